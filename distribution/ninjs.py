"""IPTC ninjs (News in JSON): each published story as a ninjs 3.1 document (camelCase)."""

from django.conf import settings
from django.core.files.storage import default_storage

from articles.models import Article
from articles.ninjs_vocabulary import LEAD_ASSOCIATION, QUOTED_ROLE
from imaging.renditions import MIME_TYPES

# Info sources without a web address are the agency's own provenance (e.g.
# {"name": "dpa", "role": "source"}), not a report a reader could check.
CITATION_ROLE = "cited"


def export_article(article: Article, *, absolute) -> dict:
    """The ninjs 3.1 document of a story fetched with `for_detail()`.

    `absolute` turns a path into a full URL (the request's `build_absolute_uri`).
    """
    url = absolute(article.get_absolute_url())
    headlines = [{"role": "main", "value": article.headline, "contentType": "text/plain"}]
    if article.standfirst:
        headlines.append({"role": "sub", "value": article.standfirst, "contentType": "text/plain"})
    document = {
        "uri": url,
        "type": "text",
        "representationType": "full",
        "version": article.last_modified.strftime("%Y%m%d%H%M%S"),
        "firstCreated": (article.first_published_at or article.publish_at).isoformat(),
        "versionCreated": article.last_modified.isoformat(),
        "embargoedUntil": article.embargo_until.isoformat() if article.embargo_until else "",
        # A retracted story stays online under its notice; partners must withdraw their copy.
        "pubStatus": "canceled" if article.is_retracted else "usable",
        # The notice readers see above the story, for the partner's desk.
        "edNote": article.retraction_note if article.is_retracted else "",
        "language": settings.LANGUAGE_CODE,
        "copyrightHolder": settings.NEWSROOM_SITE_NAME,
        "copyrightNotice": f"© {article.publish_at.year} {settings.NEWSROOM_SITE_NAME}",
        "headlines": headlines,
        "by": _join_names(byline.author.name for byline in article.bylines.all()),
        "located": article.dateline,
        "slugline": article.slug,
        "genres": [
            {"name": article.section.name, "uri": absolute(article.section.get_absolute_url())}
        ]
        if article.section
        else [],
    }
    if article.shows_body:
        document |= _reported_content(article, absolute)
    return {key: value for key, value in document.items() if value not in ("", [])}


def _reported_content(article: Article, absolute) -> dict:
    """The body and what the story page shows with it: its photos, topics and sources.

    A retraction that hides the body hides all of these on the page, so the
    document leaves them out too.
    """
    return {
        "bodies": [{"role": "main", "contentType": "text/html", "value": article.body}],
        "subjects": [
            {"name": tag.name, "uri": absolute(tag.get_absolute_url()), "rel": "about"}
            for tag in article.tags.all()
        ],
        "infoSources": [
            source for citation in article.citations.all() for source in _info_sources(citation)
        ],
        "associations": [
            _picture(placement, name, absolute)
            for name, placement in _named_placements(article.photo_placements.all())
        ],
    }


def _info_sources(citation) -> list[dict]:
    """The cited report, and the person it quotes when the citation names one."""
    sources = [
        {
            "name": citation.outlet,
            "literal": citation.title,
            "uri": citation.url,
            "role": CITATION_ROLE,
        }
    ]
    if citation.person:
        person = {"name": citation.person, "role": QUOTED_ROLE, "literal": citation.person_role}
        sources.append({key: value for key, value in person.items() if value})
    return sources


def _named_placements(placements):
    """The lead photo first (the placements' own order sorts roles alphabetically)."""
    inline = 0
    for placement in sorted(placements, key=lambda placement: not placement.is_lead):
        if placement.is_lead:
            yield LEAD_ASSOCIATION, placement
        else:
            inline += 1
            yield f"inline{inline}", placement


def _picture(placement, name, absolute) -> dict:
    photo = placement.photo
    descriptions = [
        {"role": role, "value": value}
        for role, value in (
            ("caption", placement.caption),
            ("creditline", photo.credit),
            ("alt", photo.alt_text),
        )
        if value
    ]
    picture = {
        "name": name,
        "uri": absolute(f"/photos/{photo.pk}"),
        "type": "picture",
        "headlines": [{"value": photo.title}] if photo.title else [],
        "descriptions": descriptions,
        "by": photo.photographer,
        "copyrightNotice": photo.copyright_notice,
        "renditions": [
            {
                "name": f"{r['crop']}-{r['width']}w-{r['format']}",
                "href": absolute(default_storage.url(r["name"])),
                "width": r["width"],
                "height": r["height"],
                "contentType": MIME_TYPES[r["format"]],
            }
            for r in photo.renditions
        ],
    }
    return {key: value for key, value in picture.items() if value not in ("", [])}


def _join_names(names) -> str:
    names = list(names)
    return " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else "".join(names)
