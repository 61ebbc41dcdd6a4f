from django import template

register = template.Library()


@register.filter
def picture(photo, crop=""):
    """`photo|picture:"16x9"`: the <picture> sources for that crop (by default the full frame)."""
    return photo.picture(crop or "full")
