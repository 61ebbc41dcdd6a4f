from imaging.tests.images import PHOTO_FIELDS, photo_bytes, upload
from imaging.uploads import open_upload
from photos.models import Photo


def test_a_files_metadata_is_read_into_the_photo_fields_with_their_labels_and_limits():
    # imaging's tests read metadata into PHOTO_FIELDS: it must be what a Photo passes.
    assert Photo.metadata_of(open_upload(upload(photo_bytes()))).into == PHOTO_FIELDS
