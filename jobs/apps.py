from datetime import timedelta

from django.apps import AppConfig

from newsroom.jobs import every

# Often enough that the table stays small, rarely enough to cost nothing.
PRUNE_EVERY = timedelta(hours=1)


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = "Background jobs"

    def ready(self):
        from .tasks import prune_job_results

        every(PRUNE_EVERY, prune_job_results)
