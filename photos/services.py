"""Operations on a photo that reach beyond its row: files in two storages, metadata, renditions."""

from collections.abc import Mapping

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from PIL import Image

from .metadata import read_metadata
from .models import RENDITIONS_FOLDER, Photo, PhotoChange
from .renditions import MIME_TYPES, Rendition, make_portrait, make_renditions, oriented_size
from .uploads import open_upload

EDITORS_ONLY = "This photo is in a published or scheduled story, so only editors can change it."


def create_photo_from_upload(
    *,
    file: UploadedFile,
    fields: Mapping[str, str] | None = None,
    fallbacks: Mapping[str, str] | None = None,
) -> Photo:
    """A new library photo from an uploaded file: checked, autofilled, archived, rendered.

    `fields` are the editor's values; the file's metadata fills only what they
    leave empty, and `fallbacks` (e.g. a credit for a batch) what is still
    empty after that. A bad file raises ValidationError before anything is
    written. The photo's `upload_notices` (not stored) say what the editor
    should know about the file: unreadable metadata, a colour profile left
    out, values cut to fit.
    """
    image = open_upload(file)
    metadata = read_metadata(image)
    photo = Photo(image=file, **(fields or {}))
    photo.autofilled_fields = photo.fill_blanks(metadata.fields)
    photo.fill_blanks({name: value for name, value in (fallbacks or {}).items() if value})
    photo.upload_notices = metadata.notices(used=photo.autofilled_fields)
    return save_photo(photo=photo, image=image)


def save_photo(
    *, photo: Photo, by: AbstractBaseUser | None = None, image: Image.Image | None = None
) -> Photo:
    """Validates and saves the photo, and makes its renditions when they are missing.

    `by` is the person saving it (None for a script), who must be allowed to
    change it (Photo.can_be_changed_by); the caption and credit changes of a
    live photo are kept in its history under their name. `image` is the
    opened upload, when there is a new one. Either everything lands (row,
    history, original, renditions) or nothing does: files written before a
    failure are deleted again.
    """
    if by is not None and photo.pk is not None and not photo.can_be_changed_by(by):
        raise PermissionDenied(EDITORS_ONLY if photo.is_live() else "You may not change photos.")
    photo.full_clean()
    new_original = image is not None
    if new_original:
        photo.width, photo.height = oriented_size(image)
    try:
        with transaction.atomic():
            _keep_live_changes(photo, by=by)
            photo.save()
            if new_original or not photo.renditions:
                generate_renditions(photo=photo, image=image)
    except BaseException:
        if new_original and photo.image.name:
            photo.image.storage.delete(photo.image.name)
        raise
    return photo


def _keep_live_changes(photo: Photo, *, by: AbstractBaseUser | None) -> None:
    """Records what readers saw change: the live photo's caption and credit, before and after."""
    if not photo.is_live():
        return
    stored = Photo.objects.filter(pk=photo.pk).values(*PhotoChange.Field.values).get()
    PhotoChange.objects.bulk_create(
        PhotoChange(photo=photo, field=name, before=stored[name], after=after, changed_by=by)
        for name in PhotoChange.Field.values
        if (after := getattr(photo, name)) != stored[name]
    )


@transaction.atomic
def generate_renditions(*, photo: Photo, image: Image.Image | None = None) -> Photo:
    """(Re)makes every public file of the photo from its original, and drops the old ones.

    Names come from the content, so an unchanged rendition is not written twice.
    """
    if image is None:
        with photo.image.open("rb") as original:
            renditions = _render(photo, Image.open(original))
    else:
        renditions = _render(photo, image)
    folder = f"{RENDITIONS_FOLDER}/{photo.pk}"
    written, entries = [], []
    try:
        for rendition in renditions:
            name = f"{folder}/{rendition.name}"
            if not default_storage.exists(name):
                name = default_storage.save(name, _public_file(rendition))
                written.append(name)
            entries.append(
                {
                    "crop": rendition.crop,
                    "format": rendition.format,
                    "width": rendition.width,
                    "height": rendition.height,
                    "name": name,
                }
            )
        stale = {entry["name"] for entry in photo.renditions} - {e["name"] for e in entries}
        photo.renditions = entries
        photo.save(update_fields=["renditions"])
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise
    transaction.on_commit(lambda: [default_storage.delete(name) for name in stale])
    return photo


def portrait_from_upload(*, file: UploadedFile) -> ContentFile:
    """A person's portrait from an uploaded photo, ready to store: checked as photos are (a
    bad file raises ValidationError naming the problem), then re-encoded with the credit and
    rights the file carries and nothing else of it (make_portrait())."""
    image = open_upload(file)
    rights = read_metadata(image).fields
    portrait = make_portrait(
        image,
        credit=rights.get("credit", ""),
        photographer=rights.get("photographer", ""),
        copyright_notice=rights.get("copyright_notice", ""),
    )
    return _public_file(portrait)


def _public_file(rendition: Rendition) -> ContentFile:
    content = ContentFile(rendition.data, name=rendition.name)
    # Object storage keeps the type it is given for every later download;
    # guessing from the name misses WebP on Python 3.11 hosts without
    # /etc/mime.types.
    content.content_type = MIME_TYPES[rendition.format]
    return content


def _render(photo: Photo, image: Image.Image):
    return make_renditions(
        image,
        focal_point=(photo.focal_x, photo.focal_y),
        credit=photo.credit,
        photographer=photo.photographer,
        copyright_notice=photo.copyright_notice,
    )


def delete_photo_files(*, photo: Photo) -> None:
    """Deletes the photo's original and renditions, e.g. when the row it was made for is
    rolled back: files are outside the transaction."""
    if photo.image.name:
        photo.image.storage.delete(photo.image.name)
    for rendition in photo.renditions:
        default_storage.delete(rendition["name"])
