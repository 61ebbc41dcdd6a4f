"""`python -m jobs.tests.periodic_worker [options]`: run_worker with a 1-second periodic job.

The periodic tests start two of these, as two machines would run the same code.
"""

import os
import sys
from datetime import timedelta

import django
from django.core.management import call_command

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    django.setup()

    from newsroom.jobs import every

    from .jobs_for_tests import ticks

    every(timedelta(seconds=1), ticks)
    call_command("run_worker", *sys.argv[1:])
