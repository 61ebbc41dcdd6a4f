"""The photo library's panel on the desk's front page (newsroom/dashboard.py): photos whose
renditions are still being made, or could not be."""

from newsroom.dashboard import Count, Item, Summary, page_url, register_panel

from .models import Photo

SHOWN = 5
PHOTO_LIST = "admin:photos_photo_changelist"


def photos_not_ready(request) -> Summary:
    processing, failed = Photo.objects.processing(), Photo.objects.renditions_failed()
    shown = (processing | failed).order_by("-uploaded_at", "-pk")[:SHOWN]
    return Summary(
        title="Photos not ready",
        counts=[
            Count("Processing", processing.count(), page_url(PHOTO_LIST, renditions="processing")),
            Count("Failed", failed.count(), page_url(PHOTO_LIST, renditions="failed")),
        ],
        items=[
            Item(
                str(photo),
                page_url("admin:photos_photo_change", photo.pk),
                "Renditions failed" if photo.renditions_failed else "Processing since",
                None if photo.renditions_failed else photo.uploaded_at,
            )
            for photo in shown
        ],
        empty="Every photo is ready.",
    )


def register_panels() -> None:
    register_panel(
        "photos", context=photos_not_ready, visible_to=lambda u: u.has_perm("photos.view_photo")
    )
