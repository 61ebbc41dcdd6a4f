from django.conf import settings
from django.db import models
from django.utils import timezone


class DataExport(models.Model):
    """A reader downloaded their data; kept to limit how often, and gone with the account."""

    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    made_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-made_at"]

    def __str__(self):
        return f"Data export for {self.reader_id} at {self.made_at:%Y-%m-%d %H:%M}"
