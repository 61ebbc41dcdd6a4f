import re

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

from imaging.renditions import MIME_TYPES

from .models import RENDITIONS_FOLDER

# Rendition names carry a hash of their content, so a URL's file never changes.
IMMUTABLE = "public, max-age=31536000, immutable"
# "<photo id>/<file name>.<format>", the only shape renditions are saved under: no
# "..", no further slashes or backslashes, no NUL. Only names of this shape reach the
# storage, so no request leaves a photo's own folder (with one shared bucket, the rest
# of the media root holds the private originals).
RENDITION_PATH = re.compile(
    r"[1-9][0-9]*/[A-Za-z0-9][A-Za-z0-9_-]*"
    rf"\.(?P<format>{'|'.join(MIME_TYPES)})"
)


@require_safe
def rendition(request, name):
    """Serves a rendition from the media storage with far-future caching.

    Production can serve the same folder from the web server or a CDN with the
    same header (README, "Serving photos"); this view makes it right by default.
    """
    path = RENDITION_PATH.fullmatch(name)
    if path is None:
        raise Http404("Not a rendition.")
    try:
        file = default_storage.open(f"{RENDITIONS_FOLDER}/{name}")
    except FileNotFoundError as error:
        raise Http404("No such rendition.") from error
    response = FileResponse(file, content_type=MIME_TYPES[path["format"]])
    response["Cache-Control"] = IMMUTABLE
    return response
