"""Every dependency between our rooms points one way (README, *What is in it*).

Reads every module's imports with `ast`, including imports inside functions,
and model references written as strings ("articles.Article" in a ForeignKey or
a get_model call), because a lazy import or a string is as much a dependency as
a top-level import. Migrations are left out: they name the models and
permissions of the apps they build on, which is history, not design.
"""

import ast
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Each room and the rooms it may use. `newsroom` is the foundation every room
# builds on (settings, middleware, rate limits, outbound requests); only its
# URL file and the suite-wide tests compose the rooms, and they may use any.
DEPENDS_ON = {
    "newsroom": set(),
    "jobs": {"newsroom"},
    "outbox": {"newsroom"},
    "accounts": {"newsroom", "outbox"},
    "imaging": {"newsroom"},
    "photos": {"newsroom", "imaging"},
    "pagecache": {"newsroom"},
    "edge": {"newsroom", "pagecache"},
    "screening": {"newsroom"},
    "articles": {"newsroom", "imaging", "photos", "pagecache"},
    "desk": {"newsroom", "accounts", "imaging", "photos", "pagecache", "articles"},
    "discussion": {"newsroom", "outbox", "accounts", "pagecache", "screening", "articles"},
    "commenting": {"newsroom", "outbox", "accounts", "pagecache", "articles", "discussion"},
    "moderation": {
        "newsroom",
        "outbox",
        "accounts",
        "pagecache",
        "articles",
        "discussion",
        "commenting",
    },
    "readers": {
        "newsroom",
        "outbox",
        "accounts",
        "pagecache",
        "articles",
        "discussion",
        "commenting",
    },
    "distribution": {"newsroom", "pagecache", "imaging", "photos", "articles"},
    "wire": {"newsroom", "imaging", "photos", "articles"},
    "demo": {"newsroom", "accounts", "photos", "pagecache", "articles", "discussion", "commenting"},
    "bench": {
        "newsroom",
        "accounts",
        "imaging",
        "photos",
        "pagecache",
        "articles",
        "discussion",
        "moderation",
        "screening",
        "demo",
    },
}
COMPOSERS = ["newsroom/urls.py", "newsroom/tests/"]
MODEL_LABEL = re.compile(r"^(?P<room>[a-z_]+)\.[A-Z]\w*$")


def used_rooms(tree: ast.AST) -> set[str]:
    rooms = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            rooms.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            rooms.add(node.module.split(".")[0])
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            label = MODEL_LABEL.match(node.value)
            if label:
                rooms.add(label["room"])
    return rooms & DEPENDS_ON.keys()


def our_modules():
    for room in DEPENDS_ON:
        for path in sorted((ROOT / room).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative or relative.startswith(tuple(COMPOSERS)):
                continue
            yield room, relative, path


def upward_imports():
    for room, relative, path in our_modules():
        allowed = DEPENDS_ON[room] | {room}
        for used in sorted(used_rooms(ast.parse(path.read_text(), relative)) - allowed):
            yield f"{relative} uses {used}"


def test_every_import_between_rooms_runs_down_the_layout():
    assert list(upward_imports()) == []


def test_the_layout_itself_has_no_cycle():
    finished, visiting = set(), []

    def visit(room):
        if room in visiting:
            raise AssertionError(" -> ".join([*visiting[visiting.index(room) :], room]))
        if room not in finished:
            visiting.append(room)
            for used in DEPENDS_ON[room]:
                visit(used)
            visiting.pop()
            finished.add(room)

    for room in DEPENDS_ON:
        visit(room)


def test_every_room_is_in_the_layout():
    packages = {path.parent.name for path in ROOT.glob("*/__init__.py")}
    assert packages == DEPENDS_ON.keys()


def test_every_room_s_tests_are_collected():
    """pytest collects only the folders pyproject.toml names: a room left out has its tests
    pass by never running."""
    with open(ROOT / "pyproject.toml", "rb") as config:
        collected = set(tomllib.load(config)["tool"]["pytest"]["ini_options"]["testpaths"])
    with_tests = {path.parent.parent.name for path in ROOT.glob("*/tests/__init__.py")}
    assert with_tests - collected == set()


def test_the_check_sees_lazy_imports_and_model_labels():
    tree = ast.parse(
        "def ready():\n"
        "    from articles.models import Article\n"
        "    import discussion.services\n"
        "LABELS = ['photos.Photo', 'articles.change_article', 'not.a.label']\n"
    )
    assert used_rooms(tree) == {"articles", "discussion", "photos"}
