"""Operations on a photo that reach beyond its row: files in two storages, metadata, renditions."""

from collections.abc import Callable, Mapping

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from PIL import Image

from imaging.renditions import MIME_TYPES, Rendition, make_portrait, make_renditions, oriented_size
from imaging.uploads import open_upload
from newsroom.jobs import after_commit, background

from .models import RENDERED_FIELDS, RENDITIONS_FOLDER, Photo, PhotoChange

EDITORS_ONLY = "This photo is in a published or scheduled story, so only editors can change it."
# What a save from the desk writes; the renditions job alone writes the rest.
_FORM_FIELDS = [
    field.name
    for field in Photo._meta.concrete_fields
    if not field.primary_key
    and field.name not in ("renditions", "rendered_version", "rendition_error")
]
# The most of a job's error the desk shows: its message, not a traceback.
ERROR_LENGTH = 500


def create_photo_from_upload(
    *,
    file: UploadedFile,
    fields: Mapping[str, str] | None = None,
    fallbacks: Mapping[str, str] | None = None,
) -> Photo:
    """A new library photo from an uploaded file: checked, autofilled, archived; its
    renditions follow in a job (save_photo).

    `fields` are the editor's values; the file's metadata fills only what they
    leave empty, and `fallbacks` (e.g. a credit for a batch) what is still
    empty after that. A bad file raises ValidationError before anything is
    written. The photo's `upload_notices` (not stored) say what the editor
    should know about the file: unreadable metadata, a colour profile left
    out, values cut to fit.
    """
    image = open_upload(file)
    metadata = Photo.metadata_of(image)
    photo = Photo(image=file, **(fields or {}))
    photo.autofilled_fields = photo.fill_blanks(metadata.fields)
    photo.fill_blanks({name: value for name, value in (fallbacks or {}).items() if value})
    photo.upload_notices = metadata.notices(used=photo.autofilled_fields)
    return save_photo(photo=photo, image=image)


def save_photo(
    *, photo: Photo, by: AbstractBaseUser | None = None, image: Image.Image | None = None
) -> Photo:
    """Validates and saves the photo, and asks for new renditions when it needs them.

    `by` is the person saving it (None for a script), who must be allowed to
    change it (Photo.can_be_changed_by); the caption and credit changes of a
    live photo are kept in its history under their name. `image` is the
    opened upload, when there is a new one. Either everything lands (row,
    history, original) or nothing does: a new original is deleted again on a
    failure. A new original, or a change to a value baked into the files
    (RENDERED_FIELDS), counts up `rendition_version`, and once the save
    commits a job makes that version's renditions (make_renditions_job).
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
            if _save_row(photo, new_original=new_original):
                version = photo.rendition_version
                after_commit(make_renditions_job, photo_id=photo.pk, version=version)
    except BaseException:
        if new_original and photo.image.name:
            photo.image.storage.delete(photo.image.name)
        raise
    return photo


def _save_row(photo: Photo, *, new_original: bool) -> bool:
    """Saves the row; True when it calls for new renditions (its version was counted up).

    The job's fields are not the form's to write: a desk page opened while
    the job ran still holds the old set, and saving it must not put that back.
    """
    if photo.pk is None:
        photo.rendition_version, photo.rendered_version, photo.renditions = 1, None, []
        photo.save()
        return True
    stored = (
        Photo.objects.select_for_update()
        .filter(pk=photo.pk)
        .values(
            "rendition_version",
            "rendered_version",
            "renditions",
            "rendition_error",
            *RENDERED_FIELDS,
        )
        .get()
    )
    wanted = new_original or any(getattr(photo, f) != stored[f] for f in RENDERED_FIELDS)
    photo.rendition_version = stored["rendition_version"] + int(wanted)
    photo.rendered_version, photo.renditions = stored["rendered_version"], stored["renditions"]
    photo.rendition_error = "" if wanted else stored["rendition_error"]
    photo.save(update_fields=[*_FORM_FIELDS, "rendition_error"])
    return wanted


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


def request_renditions(*, photo_id: int) -> int:
    """Counts up the photo's rendition version, so that the next make_renditions_job (or
    generate_renditions) makes a fresh set with today's widths, formats and encoder
    settings; returns the new version."""
    Photo.objects.filter(pk=photo_id).update(
        rendition_version=F("rendition_version") + 1, rendition_error=""
    )
    return Photo.objects.values_list("rendition_version", flat=True).get(pk=photo_id)


def remake_renditions(*, photo_id: int) -> int:
    """A fresh set for the photo made by a worker (request_renditions, then a job once that
    commits); returns the new version. The desk's retry after a failure, and
    rebuild_renditions."""
    with transaction.atomic():
        version = request_renditions(photo_id=photo_id)
        after_commit(make_renditions_job, photo_id=photo_id, version=version)
    return version


def record_renditions_failure(error: Exception, *, photo_id: int, version: int) -> None:
    """The job gave up: the desk says so, with the error, instead of “processing” for ever.

    Only for the version the photo still wants: a newer one has a job of its own.
    """
    message = f"{type(error).__name__}: {error}"[:ERROR_LENGTH]
    Photo.objects.filter(pk=photo_id, rendition_version=version).exclude(
        rendered_version=version
    ).update(rendition_error=message)


@background(retry_on=(OSError,), on_failure=record_renditions_failure)
def make_renditions_job(*, photo_id: int, version: int) -> None:
    """Makes the photo's renditions for that version. The file was checked at upload, so what
    fails here is mostly storage timing out or refusing for a while: retried with backoff.
    After the last attempt (or an error that is not transient) the photo records why."""
    generate_renditions(photo_id=photo_id, version=version)


def generate_renditions(*, photo_id: int, version: int) -> bool:
    """Makes every public file of the photo's `version` and lists them as its renditions.

    Safe to run again, and to be killed: files are named by version and
    content, so a rerun finds the complete ones and rewrites only what is
    missing or cut short; the set is listed in one save, and only then are
    the previous set and the strays of a killed run deleted. A done version
    writes nothing. A version the photo has moved past (a new original came
    in meanwhile) lists nothing and leaves no file of its own behind.
    Returns whether this run listed a new set.
    """
    photo = Photo.objects.filter(pk=photo_id, rendition_version=version).first()
    if photo is None:
        return False
    listed_now = photo.rendered_version != version
    if listed_now:
        with photo.image.open("rb") as original:
            renditions = _render(photo, Image.open(original))
            entries = [_store(photo_id, version, rendition) for rendition in renditions]
        if not _list(photo_id, version, entries):
            transaction.on_commit(
                lambda: _delete_files(photo_id, lambda name: _version_of(name) == version)
            )
            return False
        photo.renditions = entries
    # Also on a rerun: the run that listed the set may have died before this.
    keep = {entry["name"] for entry in photo.renditions}
    transaction.on_commit(
        lambda: _delete_files(
            photo_id, lambda name: name not in keep and _version_of(name) <= version
        )
    )
    return listed_now


def _list(photo_id: int, version: int, entries: list[dict]) -> bool:
    """Lists the set on the photo unless it has moved past `version` (or is gone)."""
    with transaction.atomic():
        photo = (
            Photo.objects.select_for_update().filter(pk=photo_id, rendition_version=version).first()
        )
        if photo is None:
            return False
        photo.renditions, photo.rendered_version, photo.rendition_error = entries, version, ""
        # A save, not an update: the page cache hears of it, and the stories
        # showing the photo get their picture.
        photo.save(update_fields=["renditions", "rendered_version", "rendition_error"])
        return True


def _store(photo_id: int, version: int, rendition: Rendition) -> dict:
    name = f"{RENDITIONS_FOLDER}/{photo_id}/v{version}-{rendition.name}"
    if default_storage.exists(name) and default_storage.size(name) != len(rendition.data):
        # Cut short by a worker killed while writing it: the name promises the content.
        default_storage.delete(name)
    if not default_storage.exists(name):
        stored = default_storage.save(name, _public_file(rendition))
        if stored != name:
            default_storage.delete(stored)
            raise OSError(f"{name} appeared while it was being written; trying again")
    return {
        "crop": rendition.crop,
        "format": rendition.format,
        "width": rendition.width,
        "height": rendition.height,
        "name": name,
    }


def _delete_files(photo_id: int, chosen: Callable[[str], bool]) -> None:
    """Deletes the photo's rendition files whose storage names are `chosen`. Never a newer
    version's: its own job may be writing them now."""
    folder = f"{RENDITIONS_FOLDER}/{photo_id}"
    for name in _rendition_files(folder):
        if chosen(f"{folder}/{name}"):
            default_storage.delete(f"{folder}/{name}")


def _rendition_files(folder: str) -> list[str]:
    try:
        return default_storage.listdir(folder)[1]
    except FileNotFoundError:
        return []


def _version_of(name: str) -> int:
    """The version in a rendition's storage name; names from before versions count as 0."""
    prefix = name.rsplit("/", 1)[-1].split("-", 1)[0]
    return int(prefix[1:]) if prefix[:1] == "v" and prefix[1:].isdigit() else 0


def portrait_from_upload(*, file: UploadedFile) -> ContentFile:
    """A person's portrait from an uploaded photo, ready to store: checked as photos are (a
    bad file raises ValidationError naming the problem), then re-encoded with the credit and
    rights the file carries and nothing else of it (make_portrait())."""
    image = open_upload(file)
    rights = Photo.metadata_of(image).fields
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
    # A deleted row has no pk left, but its listed files still name their folder; the
    # folder also holds what a job wrote before it was listed.
    folders = {rendition["name"].rsplit("/", 1)[0] for rendition in photo.renditions}
    if photo.pk is not None:
        folders.add(f"{RENDITIONS_FOLDER}/{photo.pk}")
    for folder in folders:
        for name in _rendition_files(folder):
            default_storage.delete(f"{folder}/{name}")
