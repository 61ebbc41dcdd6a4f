"""What a desk form shows of a photo, and the files its upload fields offer to pick."""

from django.utils.html import format_html

ACCEPT = "image/jpeg,image/png,image/webp"


def thumbnail(photo, width=96):
    """A small preview for admin lists and inlines, from the smallest rendition."""
    url = photo.smallest_rendition_url()
    if not url:
        return "—"
    return format_html(
        '<img src="{}" width="{}" alt="" loading="lazy" style="height:auto">', url, width
    )
