"""How a reader's words show, wherever they are shown (the thread, the moderators' desk)."""

import re

from django import template
from django.utils.html import urlize
from django.utils.safestring import mark_safe

register = template.Library()

PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@register.filter
def comment_text(text):
    """A reader's plain text as paragraphs, with web addresses made into links.

    urlize escapes everything the reader typed; the only markup on the page is
    what this filter adds. Links carry rel="nofollow ugc" so search engines
    know they are user content.
    """
    paragraphs = []
    for block in PARAGRAPH_BREAK.split(text.strip()):
        linked = urlize(block, nofollow=True, autoescape=True)
        linked = linked.replace('rel="nofollow"', 'rel="nofollow ugc"')
        paragraphs.append("<p>" + linked.replace("\n", "<br>") + "</p>")
    return mark_safe("".join(paragraphs))
