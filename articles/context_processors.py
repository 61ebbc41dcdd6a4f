from django.utils.functional import SimpleLazyObject

from pagecache.tags import shows

from .models import Section
from .page_tags import SECTIONS


def navigation(request):
    """Sections for the masthead; queried only when a template shows them."""
    return {"nav_sections": SimpleLazyObject(_sections)}


def _sections():
    shows(SECTIONS)
    return list(Section.objects.all())
