from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def picture(photo, crop=""):
    """`photo|picture:"16x9"`: the <picture> sources for that crop (by default the full frame)."""
    return photo.picture(crop or "full")


@register.simple_tag(takes_context=True)
def social_image_meta(context, photo):
    """Open Graph tags for the square JPEG crop that link previews show."""
    picture = photo.picture("1x1")
    if not picture:
        return ""
    return format_html(
        '<meta property="og:image" content="{}">'
        '<meta property="og:image:width" content="{}">'
        '<meta property="og:image:height" content="{}">'
        '<meta property="og:image:alt" content="{}">',
        context["request"].build_absolute_uri(picture["src"]),
        picture["width"],
        picture["height"],
        photo.alt_text,
    )
