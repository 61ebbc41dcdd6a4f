"""How every page of the desk writes a time: "1 Dec 2026, 14:05" (settings.FORMAT_MODULE_PATH).

The admin shows model fields through these formats by itself; code that
writes a time into a message or a column uses the two functions below, and
templates `|date:"DATETIME_FORMAT"`, so one format holds across the desk.
"""

from django.utils import formats, timezone


def desk_datetime(value) -> str:
    """An aware time in the site's time zone, as the desk writes it: "1 Dec 2026, 14:05"."""
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def desk_date(value) -> str:
    """A date (or the day of an aware time, in the site's zone): "1 Dec 2026"."""
    if hasattr(value, "tzinfo") and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "DATE_FORMAT")
