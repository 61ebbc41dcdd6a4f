"""The peer for `make bench`: our site with django-comments-xtd's stock comment tree.

Only the discussion template differs (bench/peer_templates comes first), so
the same story page is rendered with `render_xtdcomment_tree` in place of our
one-query flat list.
"""

from django.core.exceptions import ImproperlyConfigured

from newsroom.settings import *  # noqa: F403
from newsroom.settings import BASE_DIR, TEMPLATES

PEER_TEMPLATES = BASE_DIR / "bench" / "peer_templates"
# A peer template stands in for one of the site's by its path. Were the site's
# moved, the peer would render our own template and the benchmark would
# compare us with ourselves.
_SITE_TEMPLATES = [*TEMPLATES[0]["DIRS"], *BASE_DIR.glob("*/templates")]
for _peer in PEER_TEMPLATES.rglob("*.html"):
    _name = _peer.relative_to(PEER_TEMPLATES)
    if not any((folder / _name).is_file() for folder in _SITE_TEMPLATES):
        raise ImproperlyConfigured(f"{_peer} stands in for no template of the site")

TEMPLATES[0]["DIRS"] = [PEER_TEMPLATES, *TEMPLATES[0]["DIRS"]]
ROOT_URLCONF = "bench.peer_urls"
