import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .. import structured_data

register = template.Library()

# Inside <script>, "</script>" or "<!--" in a headline would end or break the
# element: escape the characters as json_script does.
SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}

FEED_FLAVOURS = [
    ("application/rss+xml", "RSS", "feed-rss"),
    ("application/atom+xml", "Atom", "feed-atom"),
]


def ld_json(data) -> str:
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.simple_tag(takes_context=True)
def article_structured_data(context, article):
    absolute = context["request"].build_absolute_uri
    trail = [(article.headline, article.get_absolute_url())]
    if article.section:
        trail.insert(0, (article.section.name, article.section.get_absolute_url()))
    return ld_json(
        [
            structured_data.news_article(article, absolute),
            structured_data.breadcrumbs(trail, absolute),
        ]
    )


@register.simple_tag(takes_context=True)
def website_structured_data(context):
    return ld_json(structured_data.website(context["request"].build_absolute_uri))


@register.simple_tag(takes_context=True)
def section_structured_data(context, section):
    absolute = context["request"].build_absolute_uri
    return ld_json(
        structured_data.breadcrumbs([(section.name, section.get_absolute_url())], absolute)
    )


@register.inclusion_tag("distribution/feed_links.html")
def feed_links(parent=None):
    """<link rel="alternate">s to the site's feeds and, on a section, author or tag page,
    to that parent's own."""
    feeds = [
        {
            "type": kind,
            "title": f"{settings.NEWSROOM_SITE_NAME} ({label})",
            "url": reverse(f"distribution:{name}"),
        }
        for kind, label, name in FEED_FLAVOURS
    ]
    if parent is not None:
        prefix = parent._meta.model_name
        feeds += [
            {
                "type": kind,
                "title": f"{parent} ({label})",
                "url": reverse(f"distribution:{prefix}-{name}", kwargs={"slug": parent.slug}),
            }
            for kind, label, name in FEED_FLAVOURS
        ]
    return {"feeds": feeds}
