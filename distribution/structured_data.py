"""schema.org data (JSON-LD) for search engines: NewsArticle, WebSite and BreadcrumbList.

Each builder takes `absolute`, a function that turns a path into a full URL
(the request's `build_absolute_uri`), and returns plain dicts; the
`structured_data` template filter writes them into the page.
"""

from django.conf import settings
from django.core.files.storage import default_storage
from django.templatetags.static import static
from django.urls import reverse

SCHEMA_ORG = "https://schema.org"
# Google asks for images in 16:9, 4:3 and 1:1; the photo desk makes 16:9 and 1:1
# crops, and the full frame (most wire photos are 3:2 or 4:3) stands for the rest.
IMAGE_CROPS = ("16x9", "1x1", "full")
IMAGE_WIDTH = 1200
PUBLISHER_LOGO_SIZE = (600, 60)


def publisher(absolute) -> dict:
    width, height = PUBLISHER_LOGO_SIZE
    return {
        "@type": "NewsMediaOrganization",
        "name": settings.NEWSROOM_SITE_NAME,
        "url": absolute(reverse("articles:home")),
        "logo": {
            "@type": "ImageObject",
            "url": absolute(static(settings.NEWSROOM_PUBLISHER_LOGO)),
            "width": width,
            "height": height,
        },
    }


def photo_images(photo, absolute) -> list[str]:
    """The photo's JPEG nearest 1200 pixels wide, in each crop it has."""
    chosen = (photo.rendition_near(IMAGE_WIDTH, crop) for crop in IMAGE_CROPS)
    return [absolute(default_storage.url(r["name"])) for r in chosen if r]


def news_article(article, absolute) -> dict:
    """NewsArticle for a story page; expects the story fetched with `for_detail()`."""
    url = absolute(article.get_absolute_url())
    modified = article.last_modified
    data = {
        "@context": SCHEMA_ORG,
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": article.headline,
        "description": article.standfirst or article.headline,
        "inLanguage": settings.LANGUAGE_CODE,
        "datePublished": article.publish_at.isoformat() if article.publish_at else None,
        "dateModified": modified.isoformat() if modified else None,
        "author": [
            {
                "@type": "Person",
                "name": byline.author.name,
                "url": absolute(byline.author.get_absolute_url()),
            }
            for byline in article.bylines.all()
        ],
        "publisher": publisher(absolute),
        "isAccessibleForFree": True,
        "articleSection": article.section.name if article.section else None,
        "keywords": [tag.name for tag in article.shown_tags],
        "correction": [
            {
                "@type": "CorrectionComment",
                "text": correction.text,
                "datePublished": correction.published_at.isoformat(),
            }
            for correction in article.corrections.all()
        ],
        "citation": [citation_work(citation) for citation in article.shown_citations],
    }
    lead = article.lead_placement
    if lead is not None:
        data["image"] = photo_images(lead.photo, absolute)
    return {key: value for key, value in data.items() if value not in (None, [], "")}


def citation_work(citation) -> dict:
    work = {
        "@type": "CreativeWork",
        "name": citation.title,
        "url": citation.url,
        "publisher": {"@type": "Organization", "name": citation.outlet},
    }
    if citation.published_on:
        work["datePublished"] = citation.published_on.isoformat()
    if citation.person:
        # The person quoted did not write the report (its author is the reporter),
        # so they are a Person the work mentions, described as the story describes them.
        person = {"@type": "Person", "name": citation.person}
        if citation.person_role:
            person["description"] = citation.person_role
        work["mentions"] = person
    return work


def website(absolute) -> dict:
    """The site itself, with the search box search engines may offer under its result."""
    search = absolute(reverse("articles:search"))
    return {
        "@context": SCHEMA_ORG,
        "@type": "WebSite",
        "name": settings.NEWSROOM_SITE_NAME,
        "url": absolute(reverse("articles:home")),
        "publisher": publisher(absolute),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{search}?q={{search_term_string}}"},
            "query-input": "required name=search_term_string",
        },
    }


def breadcrumbs(trail, absolute) -> dict:
    """BreadcrumbList from the home page down; `trail` is (name, path) pairs after home."""
    steps = [(settings.NEWSROOM_SITE_NAME, reverse("articles:home")), *trail]
    return {
        "@context": SCHEMA_ORG,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": number, "name": name, "item": absolute(path)}
            for number, (name, path) in enumerate(steps, start=1)
        ],
    }
