from django.db import models


class TagVersion(models.Model):
    """How many times the things a tag names have changed; one row per tag.

    Used when the site has no Redis (pagecache/versions.py). A write moves
    only the rows of its own tags, with an atomic increment in the writer's
    transaction, so writers to different stories never wait on one another
    and a page is seen out of date exactly when the write is visible.
    """

    name = models.CharField(
        max_length=200, primary_key=True, help_text="What the tag names, e.g. story:42."
    )
    version = models.BigIntegerField(default=0, help_text="Moved on by every write to it.")
    changes_at = models.DateTimeField(
        null=True,
        help_text="When what the tag names changes with no write (the next scheduled story "
        "going live, say); the first read after it moves the version on.",
    )

    def __str__(self):
        return f"{self.name} v{self.version}"
