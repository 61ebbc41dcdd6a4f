from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F
from django.utils.text import Truncator

from imaging import metadata
from imaging.renditions import FORMATS, MIME_TYPES
from newsroom.formats import desk_datetime

from . import usage
from .storage import originals_storage

CAPTION_MAX_LENGTH = 5000
RENDITIONS_FOLDER = "renditions"
# Values baked into the renditions: changing one calls for new ones.
RENDERED_FIELDS = ("focal_x", "focal_y", "credit", "photographer", "copyright_notice")


class PhotoQuerySet(models.QuerySet):
    def processing(self):
        """Photos whose new renditions are on their way (Photo.is_processing)."""
        return self.exclude(rendered_version=F("rendition_version")).filter(rendition_error="")

    def renditions_failed(self):
        """Photos whose renditions job gave up (Photo.renditions_failed)."""
        return self.exclude(rendition_error="")


class Photo(models.Model):
    """A picture in the library, reusable across any number of stories."""

    image = models.ImageField(
        "original",
        upload_to="%Y/%m/",
        storage=originals_storage,
        help_text="JPEG, PNG or WebP. Caption, credit, photographer, copyright, title and alt "
        "text are filled from the file's IPTC/XMP/EXIF data when left empty. The original is "
        "archived privately; readers get resized copies without location or camera data.",
    )
    width = models.PositiveIntegerField(
        editable=False, null=True, help_text="As seen, after the camera's rotation."
    )
    height = models.PositiveIntegerField(editable=False, null=True)
    focal_x = models.FloatField(
        "focal point x",
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="Where the subject is, from 0 (left edge) to 1 (right edge); click the preview "
        "to set it. Crops for story cards (16:9) and social previews (1:1) keep this point in.",
    )
    focal_y = models.FloatField(
        "focal point y",
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="From 0 (top) to 1 (bottom).",
    )
    title = models.CharField(
        max_length=255,
        blank=True,
        help_text="A short name to find the photo in the library (the wire's headline "
        "field). Readers do not see it.",
    )
    caption = models.TextField(
        blank=True,
        validators=[MaxLengthValidator(CAPTION_MAX_LENGTH)],
        help_text="What the photo shows, in full sentences: who, what, where, when. Wire "
        f"captions run to a paragraph and are kept whole (up to {CAPTION_MAX_LENGTH:,} "
        "characters).",
    )
    credit = models.CharField(
        max_length=255,
        error_messages={
            "blank": "A credit line is required, and the file carries none (IPTC Credit or XMP "
            "photoshop:Credit): type it in."
        },
        help_text="The credit line exactly as the agency or photographer requires it, "
        "e.g. “Kevin Frayer/Getty Images” or “AP Photo/Chiang Ying-ying”.",
    )
    photographer = models.CharField(
        max_length=255,
        blank=True,
        help_text="The person who took the photo, if known.",
    )
    copyright_notice = models.CharField(
        max_length=255,
        blank=True,
        help_text="The rights holder's notice, e.g. “© 2026 Reuters”.",
    )
    alt_text = models.CharField(
        "alt text",
        max_length=300,
        blank=True,
        help_text="Describes the image for readers who cannot see it, in a sentence. A "
        "photo may be saved without it, but not placed in a published story.",
    )
    autofilled_fields = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text="The fields that were filled from the file's metadata at upload.",
    )
    renditions = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text="The public files made from the original: crop, format, width, height and "
        "storage name of each. Kept on the row so pages need no query per photo. Written "
        "only by the renditions job, whole set at once.",
    )
    rendition_version = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Counts the changes that call for new renditions: a new original, a moved "
        "focal point, a changed credit, photographer or copyright. A job still making them "
        "for an older count gives way to the newer one.",
    )
    rendered_version = models.PositiveIntegerField(
        null=True,
        blank=True,
        editable=False,
        help_text="The count the listed renditions were made for. Behind rendition_version "
        "while new ones are being made (the desk shows “processing”); empty until the "
        "first set exists.",
    )
    rendition_error = models.TextField(
        blank=True,
        editable=False,
        help_text="Why the renditions for the current rendition_version could not be made, "
        "after every attempt; empty otherwise. The desk shows it instead of “processing”, and "
        "“Make the renditions again” tries once more. Readers keep the previous set, or get "
        "the caption and credit without a picture.",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = PhotoQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        permissions = [
            (
                "change_live_photo",
                "Can change photos in published or scheduled stories",
            )
        ]

    def __str__(self):
        label = self.title or self.caption or self.image.name
        return Truncator(label).chars(80)

    def clean(self):
        if not self.alt_text.strip() and self.is_live():
            raise ValidationError(
                {
                    "alt_text": "This photo appears in a published story, so it needs alt "
                    "text describing it for readers who cannot see it."
                }
            )

    def is_live(self) -> bool:
        """Readers see it, or will without a word (in a published or scheduled story, say)."""
        return self.pk is not None and usage.is_live(self)

    def can_be_changed_by(self, user) -> bool:
        """Anyone who may change photos changes one no reader sees; a live one, editors only."""
        if not user.has_perm("photos.change_photo"):
            return False
        return user.has_perm("photos.change_live_photo") or not self.is_live()

    @classmethod
    def metadata_of(cls, image) -> metadata.FileMetadata:
        """What an opened file's metadata fills in, each value cut to its field's length."""
        fields = {name: cls._meta.get_field(name) for name in metadata.SOURCES}
        into = {
            name: metadata.Field(
                label=str(field.verbose_name),
                # max_length, or the caption's validator.
                max_length=min(
                    v.limit_value for v in field.validators if isinstance(v, MaxLengthValidator)
                ),
            )
            for name, field in fields.items()
        }
        return metadata.read_metadata(image, into=into)

    def fill_blanks(self, found: dict[str, str]) -> list[str]:
        """Fills each empty field from the file's metadata; returns the names filled."""
        filled = []
        for name, value in found.items():
            if not getattr(self, name).strip():
                limit = self._meta.get_field(name).max_length
                setattr(self, name, value[:limit] if limit else value)
                filled.append(name)
        return filled

    @property
    def is_ready(self) -> bool:
        """Readers can be shown the picture: a complete set of renditions is listed. Until then
        pages show the caption and credit without it, and feeds and exports leave it out."""
        return bool(self.renditions)

    @property
    def is_processing(self) -> bool:
        """New renditions are on their way (the listed ones, if any, are the previous set)."""
        return self.rendered_version != self.rendition_version and not self.rendition_error

    @property
    def renditions_failed(self) -> bool:
        """The job gave up on the current version's renditions (rendition_error says why)."""
        return bool(self.rendition_error)

    def picture(self, crop="full"):
        """What a <picture> needs: a srcset per format, the fallback JPEG, and the size."""
        chosen = [r for r in self.renditions if r["crop"] == crop]
        if not chosen:
            return None
        largest = max(chosen, key=lambda r: r["width"])
        by_width = sorted(chosen, key=lambda r: r["width"])
        srcsets = {
            fmt: ", ".join(
                f"{default_storage.url(r['name'])} {r['width']}w"
                for r in by_width
                if r["format"] == fmt
            )
            for fmt in FORMATS
        }
        fallback = self.rendition_near(1200, crop)
        return {
            # Made with a format this Pillow lacks (or not yet made in a new one): skipped.
            "sources": [
                {"type": MIME_TYPES[fmt], "srcset": srcset}
                for fmt, srcset in srcsets.items()
                if fmt != "jpeg" and srcset
            ],
            "jpeg_srcset": srcsets["jpeg"],
            "src": default_storage.url(fallback["name"]),
            "width": largest["width"],
            "height": largest["height"],
        }

    def rendition_near(self, width, crop="full", fmt="jpeg"):
        """The rendition of that crop and format closest to the width (a dict), or None."""
        chosen = [r for r in self.renditions if r["crop"] == crop and r["format"] == fmt]
        return min(chosen, key=lambda r: abs(r["width"] - width)) if chosen else None

    def smallest_rendition_url(self):
        """A light preview for the desk (the original may be tens of megabytes)."""
        jpegs = [r for r in self.renditions if r["crop"] == "full" and r["format"] == "jpeg"]
        return default_storage.url(min(jpegs, key=lambda r: r["width"])["name"]) if jpegs else ""

    @property
    def orientation(self):
        if not (self.width and self.height):
            return "unknown"
        if self.width > self.height:
            return "landscape"
        return "portrait" if self.height > self.width else "square"


class PhotoChange(models.Model):
    """A caption or credit changed while the photo was live: what readers saw before, and after."""

    class Field(models.TextChoices):
        CAPTION = "caption", "Caption"
        CREDIT = "credit", "Credit"

    photo = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="changes")
    field = models.CharField(max_length=20, choices=Field.choices)
    before = models.TextField(blank=True)
    after = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        help_text="Empty when no desk account made the change (a script), or the account "
        "has been deleted since.",
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self):
        return f"{self.get_field_display()} changed on {desk_datetime(self.changed_at)}"
