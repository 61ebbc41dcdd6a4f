from django.contrib import admin
from django.utils.html import format_html

from .models import Photo


def thumbnail(photo, width=96):
    """A small preview for admin lists and inlines."""
    return format_html(
        '<img src="{}" width="{}" alt="" loading="lazy" style="height:auto">',
        photo.image.url,
        width,
    )


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    list_display = [
        "preview",
        "__str__",
        "credit",
        "photographer",
        "has_alt_text",
        "size",
        "uploaded_at",
    ]
    list_display_links = ["preview", "__str__"]
    search_fields = ["title", "caption", "credit", "photographer"]
    readonly_fields = ["large_preview", "width", "height", "uploaded_at"]
    fields = [
        "image",
        "large_preview",
        "title",
        "caption",
        "credit",
        "photographer",
        "copyright_notice",
        "alt_text",
        ("width", "height"),
        "uploaded_at",
    ]

    @admin.display(description="")
    def preview(self, photo):
        return thumbnail(photo)

    @admin.display(description="Preview")
    def large_preview(self, photo):
        return thumbnail(photo, width=480) if photo.image else "—"

    @admin.display(boolean=True, description="Alt text")
    def has_alt_text(self, photo):
        return bool(photo.alt_text.strip())

    @admin.display(description="Size")
    def size(self, photo):
        return f"{photo.width}×{photo.height}" if photo.width else "—"
