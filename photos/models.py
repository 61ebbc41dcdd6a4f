from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.text import Truncator

CAPTION_MAX_LENGTH = 5000


class Photo(models.Model):
    """A picture in the library, reusable across any number of stories."""

    image = models.ImageField(
        upload_to="photos/%Y/%m/",
        width_field="width",
        height_field="height",
        help_text="JPEG, PNG or WebP. The file is kept as uploaded for the archive.",
    )
    width = models.PositiveIntegerField(editable=False, null=True)
    height = models.PositiveIntegerField(editable=False, null=True)
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
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self):
        label = self.title or self.caption or self.image.name
        return Truncator(label).chars(80)

    def clean(self):
        if (
            self.pk
            and not self.alt_text.strip()
            and self.placements.in_published_articles().exists()
        ):
            raise ValidationError(
                {
                    "alt_text": "This photo appears in a published story, so it needs alt "
                    "text describing it for readers who cannot see it."
                }
            )

    @property
    def orientation(self):
        if not (self.width and self.height):
            return "unknown"
        if self.width > self.height:
            return "landscape"
        return "portrait" if self.height > self.width else "square"
