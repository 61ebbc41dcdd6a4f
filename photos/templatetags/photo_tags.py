from django import template
from django.utils.html import format_html, format_html_join

from photos.captions import LONG_CAPTION

register = template.Library()


@register.filter
def picture(photo, crop=""):
    """`photo|picture:"16x9"`: the <picture> sources for that crop (by default the full frame)."""
    return photo.picture(crop or "full")


@register.simple_tag(takes_context=True)
def social_image_meta(context, photo):
    """Open Graph tags for the square JPEG crop that link previews show, and the Twitter
    card's image: the 16:9 crop, since large-image cards are wide."""
    absolute = context["request"].build_absolute_uri
    square, wide = photo.picture("1x1"), photo.picture("16x9")
    tags = []
    if square:
        tags.append(
            format_html(
                '<meta property="og:image" content="{}">'
                '<meta property="og:image:width" content="{}">'
                '<meta property="og:image:height" content="{}">'
                '<meta property="og:image:alt" content="{}">',
                absolute(square["src"]),
                square["width"],
                square["height"],
                photo.alt_text,
            )
        )
    if wide:
        tags.append(
            format_html(
                '<meta name="twitter:image" content="{}">'
                '<meta name="twitter:image:alt" content="{}">',
                absolute(wide["src"]),
                photo.alt_text,
            )
        )
    return format_html_join("", "{}", ((tag,) for tag in tags))


@register.filter
def folds_on_phones(caption):
    """Whether a caption is long enough for phones to open it folded (see photo_figure.html)."""
    return len(caption or "") > LONG_CAPTION
