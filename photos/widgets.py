"""What a desk form shows of a photo, and the files its upload fields offer to pick."""

from django.utils.html import format_html

ACCEPT = "image/jpeg,image/png,image/webp"
PROCESSING = "Processing… (refresh to see it; readers get the caption and credit meanwhile)"


def thumbnail(photo, width=96):
    """A small preview for admin lists and inlines, from the smallest rendition; while the
    renditions are being made, says so (with the previous picture, if there is one)."""
    url = photo.smallest_rendition_url()
    if not photo.is_processing:
        return _img(url, width) if url else "—"
    note = format_html('<span class="photo-processing">{}</span>', PROCESSING)
    return format_html("{}<br>{}", _img(url, width), note) if url else note


def _img(url, width):
    return format_html(
        '<img src="{}" width="{}" alt="" loading="lazy" style="height:auto">', url, width
    )
