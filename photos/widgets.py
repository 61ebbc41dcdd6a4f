"""What a desk form shows of a photo, and the files its upload fields offer to pick."""

from django.utils.html import format_html

ACCEPT = "image/jpeg,image/png,image/webp"
PROCESSING = "Processing… (refresh to see it; readers get the caption and credit meanwhile)"
REMAKE = "Make the renditions again"
FAILED = (
    "Renditions failed: {}. Readers get {} meanwhile. To try again, tick the photo in the "
    "photo list and choose “" + REMAKE + "”."
)


def thumbnail(photo, width=96):
    """A small preview for admin lists and inlines, from the smallest rendition; while the
    renditions are being made, or once their job gave up, says so (with the previous
    picture, if there is one)."""
    url = photo.smallest_rendition_url()
    if photo.renditions_failed:
        meanwhile = "the previous picture" if url else "the caption and credit without a picture"
        note = format_html(
            '<span class="photo-failed">{}</span>',
            format_html(FAILED, photo.rendition_error, meanwhile),
        )
    elif photo.is_processing:
        note = format_html('<span class="photo-processing">{}</span>', PROCESSING)
    else:
        return _img(url, width) if url else "—"
    return format_html("{}<br>{}", _img(url, width), note) if url else note


def _img(url, width):
    return format_html(
        '<img src="{}" width="{}" alt="" loading="lazy" style="height:auto">', url, width
    )
