from datetime import UTC

from django.db import connections, models, transaction
from django.db.models import F
from django.utils import timezone

from . import mirror, registry

NOT_LOOKED_UP = object()


class GenerationManager(models.Manager):
    ROW = 1

    def current(self):
        """The site's generation, moved on first if a scheduled story or embargo fell due.

        Read from the Redis copy when there is one (pagecache/mirror.py),
        otherwise from the row. A story going live at its publish time, or an
        embargo lifting, changes pages without any write; the first read after
        that moment moves the generation on (once, whichever process gets
        there first).
        """
        return self._current(mirror.read())

    def current_and_page(self, page_key):
        """The current generation, and the page stored under it when Redis can tell at once.

        The page is NOT_LOOKED_UP when the generation did not come from the
        Redis copy; then the caller looks it up under the generation's tag.
        """
        copy, page = mirror.read_with_page(page_key)
        generation = self._current(copy)
        return generation, page if generation.from_copy else NOT_LOOKED_UP

    def _current(self, copy):
        if copy is not None:
            number, changed_at, expires_at = copy
            generation = self.model(
                pk=self.ROW, number=number, changed_at=changed_at, expires_at=expires_at
            )
            generation.from_copy = True
            if not generation.is_due():
                return generation
        generation = self._read() or self.get_or_create(pk=self.ROW)[0]
        if generation.is_due():
            self.bump(expected=generation.number)
            generation = self.get(pk=self.ROW)
        self._publish(generation)
        return generation

    def _read(self):
        """The row through a plain cursor: a tenth of the ORM's cost, paid by every cached hit."""
        connection = connections[self.db]
        table = connection.ops.quote_name(self.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT number, changed_at, expires_at FROM {table} WHERE id = %s", [self.ROW]
            )
            row = cursor.fetchone()
        if row is None:
            return None
        number, changed_at, expires_at = row
        return self.model(
            pk=self.ROW, number=number, changed_at=_aware(changed_at), expires_at=_aware(expires_at)
        )

    def bump(self, *, expected=None):
        """Start a new generation: every page cached so far is out of date."""
        rows = self.filter(pk=self.ROW)
        if expected is not None:
            rows = rows.filter(number=expected)
        rows.update(
            number=F("number") + 1,
            changed_at=timezone.now(),
            expires_at=registry.next_change(),
        )
        transaction.on_commit(lambda: self._publish(self._read()), using=self.db)

    @staticmethod
    def _publish(generation):
        if generation is not None:
            mirror.publish(
                generation.number, generation.changed_at, generation.expires_at, generation.tag
            )


def _aware(moment):
    """SQLite hands back naive datetimes; Django stores them in UTC."""
    if moment is not None and timezone.is_naive(moment):
        return moment.replace(tzinfo=UTC)
    return moment


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
    from_copy = False  # read from the Redis copy rather than the row

    def __str__(self):
        return f"Generation {self.number} since {self.changed_at:%Y-%m-%d %H:%M:%S}"

    def is_due(self):
        """A scheduled story or embargo lift this generation waits for has come."""
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def tag(self):
        """Unique across resets too (a flushed table restarts at 1 with a new time)."""
        return f"{self.number}.{self.changed_at.timestamp():.6f}"
