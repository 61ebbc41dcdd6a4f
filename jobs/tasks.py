"""The queue's own periodic work (registered in apps.py)."""

from datetime import timedelta

from newsroom.jobs import background

from . import services

# Successes are kept a while to answer "did it run?"; failures a month, for the desk to retry.
KEEP_SUCCESSFUL = timedelta(days=7)
KEEP_FAILED = timedelta(days=30)


@background()
def prune_job_results() -> int:
    return services.prune_job_results(keep_successful=KEEP_SUCCESSFUL, keep_failed=KEEP_FAILED)
