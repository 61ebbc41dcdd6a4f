"""Where uploaded originals are kept: a private folder the web server never serves."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.urls import reverse
from django.utils.functional import cached_property


class OriginalsStorage(FileSystemStorage):
    """A FileSystemStorage rooted at PHOTO_ORIGINALS_ROOT, outside MEDIA_ROOT.

    The location is read lazily (and re-read when the setting changes, as in
    tests) because the model field holds one instance from import time. Its
    URLs point at the staff-only download view in the admin.
    """

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PHOTO_ORIGINALS_ROOT)

    @cached_property
    def base_url(self):
        return f"{reverse('admin:photos_photo_changelist')}original/"

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PHOTO_ORIGINALS_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)


def originals_storage():
    return storages["photo_originals"]
