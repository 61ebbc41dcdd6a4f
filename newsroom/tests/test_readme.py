"""The commands the README gives work as written, on a fresh checkout.

They are read from the README itself — its shell blocks, its indented code and
its inline code — so a renamed target or command, or a line that needs an
environment it does not set, fails here instead of in a new editor's terminal.
"""

import os
import re
import shlex
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from django.core.management import get_commands

from newsroom.tests.services import require_path, require_program

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()
# A command: environment assignments, then make or a manage.py invocation.
COMMAND = re.compile(r"^(?:[A-Z_]+=\S* )*(?:make|(?:\S*python3? )?manage\.py)\b")
TARGET = re.compile(r"^([a-z][\w-]*):", re.MULTILINE)
# What a checkout's environment would otherwise hand the commands: the test
# settings, the CI database, a parent make's flags.
INHERITED = ("DJANGO_", "NEWSROOM_", "AWS_", "DATABASE_URL", "REDIS_URL", "MAKE", "MFLAGS")


def readme_commands():
    """Every command line in the README, whitespace folded (inline code may wrap)."""
    fence = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
    lines = []
    for language, block in fence.findall(README):
        if language == "sh":
            lines += [line.split("#")[0] for line in block.splitlines()]
    prose = fence.sub("", README)
    lines += re.findall(r"^    (\S.*)$", prose, re.MULTILINE)
    lines += re.findall(r"`([^`]+)`", prose)
    folded = (" ".join(line.split()) for line in lines)
    return sorted({line for line in folded if COMMAND.match(line)})


def words(command):
    """The command's words after its environment assignments."""
    split = shlex.split(command.replace("[", "").replace("]", ""))
    return [word for word in split if not re.match(r"^[A-Z_]+=", word) or word.startswith("ARGS=")]


def manage_py_command(command):
    """The manage.py command a line runs, directly or through `make manage ARGS=…`."""
    split = words(command)
    if split[:2] == ["make", "manage"]:
        return split[2].removeprefix("ARGS=").split()[0]
    return split[split.index(next(w for w in split if w.endswith("manage.py"))) + 1]


COMMANDS = readme_commands()


def test_the_readme_gives_the_commands_this_test_knows():
    # A guard on the parsing itself: these must be among what it finds.
    assert {"make run", "make test", "make staff EMAIL=reporter@example.org ROLE=reporter"} <= set(
        COMMANDS
    )
    assert len(COMMANDS) > 20


@pytest.mark.parametrize("command", [c for c in COMMANDS if words(c)[0] == "make"])
def test_every_make_target_exists(command):
    targets = set(TARGET.findall((ROOT / "Makefile").read_text()))
    assert words(command)[1] in targets


@pytest.mark.parametrize(
    # Leaving out the prose's mentions of manage.py itself and of ARGS="…".
    "command",
    [c for c in COMMANDS if re.search(r"manage\.py \w|make manage ARGS=\"?\w", c)],
)
def test_every_manage_py_command_exists(command):
    assert manage_py_command(command) in get_commands()


def test_no_command_runs_a_python_a_fresh_checkout_does_not_have():
    # Only .venv/bin/python has the project's requirements; a bare `python`
    # on a fresh machine has no Django.
    bare = [c for c in COMMANDS if re.search(r"(^|\s)python3? manage\.py", c)]
    assert bare == []


@pytest.fixture
def fresh_checkout(tmp_path):
    """The project's files as a clone has them, with this suite's environment installed.

    Requirements files older than the installed environment tell make it is up
    to date, as it is after the first `make run`.
    """
    require_program(shutil.which("git") or "git", "apt-get install -y git")
    venv = ROOT / ".venv"
    require_path(venv / "bin" / "python", "the project's environment: make test creates it")
    files = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    checkout = tmp_path / "checkout"
    for name in filter(None, files.split("\0")):
        if (ROOT / name).is_file():
            (checkout / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, checkout / name)
    (checkout / ".venv").symlink_to(venv.resolve())
    for requirements in checkout.glob("requirements*.txt"):
        os.utime(requirements, (0, 0))
    return checkout


def run_as_written(command, checkout):
    environment = {k: v for k, v in os.environ.items() if not k.startswith(INHERITED)}
    return subprocess.run(
        ["bash", "-c", command],
        cwd=checkout,
        env=environment,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_staff_account_is_made_as_the_readme_says(fresh_checkout):
    (command,) = [c for c in COMMANDS if c.startswith("make staff EMAIL=")]
    done = run_as_written(command, fresh_checkout)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert "Created reporter reporter@example.org" in done.stdout
    assert "Password (shown once" in done.stdout
    with sqlite3.connect(fresh_checkout / "db.sqlite3") as database:
        groups = database.execute(
            "SELECT g.name FROM auth_user u JOIN auth_user_groups ug ON ug.user_id = u.id "
            "JOIN auth_group g ON g.id = ug.group_id WHERE u.email = ? AND u.is_staff",
            ["reporter@example.org"],
        ).fetchall()
    assert groups == [("Reporters",)]
    # The same account again is refused with the reason, not a traceback.
    again = run_as_written(command, fresh_checkout)
    assert again.returncode != 0
    assert "exists already" in again.stderr and "Traceback" not in again.stderr
