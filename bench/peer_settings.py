"""The peer for `make bench`: our site with django-comments-xtd's stock comment tree.

Only the discussion template differs (bench/peer_templates comes first), so
the same story page is rendered with `render_xtdcomment_tree` in place of our
one-query flat list.
"""

from newsroom.settings import *  # noqa: F403
from newsroom.settings import BASE_DIR, TEMPLATES

TEMPLATES[0]["DIRS"] = [BASE_DIR / "bench" / "peer_templates", *TEMPLATES[0]["DIRS"]]
ROOT_URLCONF = "bench.peer_urls"
