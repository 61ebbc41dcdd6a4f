from django.db import models
from django.db.models import F
from django.utils import timezone


class GenerationManager(models.Manager):
    ROW = 1

    def current(self):
        """The site's generation, moved on first if a scheduled story or embargo fell due.

        A story going live at its publish time, or an embargo lifting, changes
        pages without any write; the first read after that moment moves the
        generation on (once, whichever process gets there first).
        """
        generation, _ = self.get_or_create(pk=self.ROW)
        if generation.expires_at and generation.expires_at <= timezone.now():
            self.bump(expected=generation.number)
            generation = self.get(pk=self.ROW)
        return generation

    def bump(self, *, expected=None):
        """Start a new generation: every page cached so far is out of date."""
        from articles.models import Article

        rows = self.filter(pk=self.ROW)
        if expected is not None:
            rows = rows.filter(number=expected)
        rows.update(
            number=F("number") + 1,
            changed_at=timezone.now(),
            expires_at=Article.objects.next_release(),
        )


class Generation(models.Model):
    """The version of everything readers can see; part of every cached page's key.

    One row, read once per cached page view. Any write that changes a public
    page moves it on, in the writer's own transaction, so every process sees
    the new generation exactly when it sees the new content, and pages cached
    under an older generation are never served again.
    """

    number = models.PositiveBigIntegerField(default=1)
    changed_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(
        null=True, help_text="The next scheduled publication or embargo lift."
    )

    objects = GenerationManager()

    def __str__(self):
        return f"Generation {self.number} since {self.changed_at:%Y-%m-%d %H:%M:%S}"

    @property
    def tag(self):
        """Unique across resets too (a flushed table restarts at 1 with a new time)."""
        return f"{self.number}.{self.changed_at.timestamp():.6f}"
