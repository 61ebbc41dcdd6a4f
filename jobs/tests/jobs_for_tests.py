"""Jobs the worker tests enqueue: a job must be a module-level function."""

import os
import time
from pathlib import Path

from newsroom.jobs import background

FAILING = {"on": True}


@background()
def waits_for(folder: str) -> int:
    """Says it started, waits for the test to let it finish, and records who finished it."""
    folder = Path(folder)
    (folder / f"started-{os.getpid()}").touch()
    while not (folder / "go").exists():
        time.sleep(0.05)
    with open(folder / "finished", "a") as log:
        log.write(f"{os.getpid()}\n")
    return os.getpid()


@background()
def fails_while_told(label: str) -> str:
    if FAILING["on"]:
        raise ConnectionRefusedError(f"{label}: the mail server is down")
    return label


FAILURES: list[tuple[str, str]] = []


def remember_failure(error: Exception, label: str) -> None:
    FAILURES.append((label, f"{type(error).__name__}: {error}"))


@background(on_failure=remember_failure)
def says_when_it_fails(label: str) -> str:
    return label


@background()
def ticks() -> None:
    """Registered as periodic by the test worker below; the queue's rows are its record."""
