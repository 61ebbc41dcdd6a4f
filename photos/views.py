from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

from .models import RENDITIONS_FOLDER
from .renditions import MIME_TYPES

# Rendition names carry a hash of their content, so a URL's file never changes.
IMMUTABLE = "public, max-age=31536000, immutable"


@require_safe
def rendition(request, name):
    """Serves a rendition from the media storage with far-future caching.

    Production can serve the same folder from the web server or a CDN with the
    same header (README, "Serving photos"); this view makes it right by default.
    """
    extension = name.rpartition(".")[2]
    if extension not in MIME_TYPES:
        raise Http404("Not a rendition.")
    try:
        file = default_storage.open(f"{RENDITIONS_FOLDER}/{name}")
    except (FileNotFoundError, SuspiciousFileOperation) as error:
        raise Http404("No such rendition.") from error
    response = FileResponse(file, content_type=MIME_TYPES[extension])
    response["Cache-Control"] = IMMUTABLE
    return response
