"""Jobs the job tests enqueue: a job must be a module-level function."""

from newsroom.jobs import background

ATTEMPTS = []


class Flaky(Exception):
    pass


@background(retry_on=(Flaky,), attempts=3)
def fails_until(succeed_on: int, label: str) -> str:
    ATTEMPTS.append(label)
    if len(ATTEMPTS) < succeed_on:
        raise Flaky(f"attempt {len(ATTEMPTS)}")
    return label


@background(retry_on=(Flaky,))
def breaks(label: str) -> None:
    ATTEMPTS.append(label)
    raise ValueError("not transient")
