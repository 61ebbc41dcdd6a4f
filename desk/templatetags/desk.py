"""What public pages show of the desk."""

from django import template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html

from desk.edit_link import HINT_COOKIE

register = template.Library()


@register.simple_tag
def edit_link(article):
    """The Edit link's placeholder, the same for every visitor (the page may be cached); the
    script fills it in for staff who may edit the story (desk/edit_link.py)."""
    return format_html(
        '<p class="edit-link" data-can-edit="{}" data-hint-cookie="{}" hidden></p>'
        '<script src="{}" defer></script>',
        reverse("desk-can-edit", args=[article.pk]),
        HINT_COOKIE,
        static("desk/edit_link.js"),
    )
