"""IPTC ninjs (News in JSON) wire items in, as stories with their pictures.

Reads text items in any of the spellings agencies send: 3.x camelCase
(`versionCreated`), 2.x lower case (`versioncreated`) and the 1.x snake_case
(`version_created`, `body_html`, `headline`, associations as an object); keys
are compared with case and underscores folded away, so one mapping serves all
three.
"""

import json
import os
import re
import stat
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import escape
from django.utils.text import slugify

from articles.html import BODY_ATTRIBUTES, BODY_TAGS, sanitize_body
from articles.models import Article, Author, Byline, Citation, PhotoPlacement, Section, Tag
from articles.ninjs_vocabulary import LEAD_ASSOCIATION, QUOTED_ROLE
from newsroom import outbound
from photos.services import create_photo_from_upload, delete_photo_files

HTML_TYPES = {"text/html", "application/xhtml+xml"}
IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp"}
SUB_HEADLINE_ROLES = {"sub", "subheadline", "subtitle", "standfirst", "dek"}
BY_SEPARATORS = re.compile(r"\s*(?:,|;|&|\band\b)\s*")


class NinjsError(Exception):
    """Why one item could not be imported, in one line an editor can act on."""


@dataclass
class ImportedItem:
    article: Article
    created: bool


@dataclass
class Picture:
    """A picture association, downloaded but not yet in the library."""

    name: str
    data: bytes
    filename: str
    fields: dict[str, str]
    fallbacks: dict[str, str] = field(default_factory=dict)


class PictureFolders:
    """Where pictures on disk may be read: the document's folder and those named with
    --pictures-from, symbolic links resolved."""

    def __init__(self, base: Path, extra: Sequence[Path] = ()):
        self.base = base
        self.roots = [Path(os.path.realpath(folder)) for folder in (base, *extra)]

    def contains(self, path: Path) -> bool:
        real = Path(os.path.realpath(path))
        return any(real.is_relative_to(root) for root in self.roots)


def read_items(path: Path) -> list[dict]:
    """The ninjs items in a file (one object, or a list of them)."""
    try:
        parsed = json.loads(path.read_bytes())
    except OSError as error:
        raise NinjsError(f"cannot read the file ({error.strerror})") from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise NinjsError(f"not valid JSON ({error})") from error
    items = parsed if isinstance(parsed, list) else [parsed]
    if not items or not all(isinstance(item, dict) for item in items):
        raise NinjsError("not a ninjs document (expected a JSON object)")
    return items


def fold_keys(value):
    """The document with every key lower case and without underscores, at every depth."""
    if isinstance(value, dict):
        return {key.lower().replace("_", ""): fold_keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [fold_keys(item) for item in value]
    return value


def import_item(
    document: dict,
    *,
    base: Path,
    pictures_from: Sequence[Path] = (),
    publish: bool = False,
    section: Section | None = None,
) -> ImportedItem:
    """Creates or updates (same `uri`) the story a ninjs text item describes.

    Either the whole item lands — story, bylines, tags, citations, photos — or
    nothing does: the database work is one transaction, and photo files
    written before a failure are deleted. Raises NinjsError.

    Pictures on disk are read only inside `base` (the document's folder, which
    relative hrefs start from) or one of `pictures_from`.
    """
    item = fold_keys(document)
    uri = _text(item.get("uri"))
    if not uri:
        raise NinjsError("not a ninjs item: it has no uri")
    kind = _text(item.get("type")) or "text"
    if kind != "text":
        raise NinjsError(f"a ninjs {kind} item, not a text item")
    headline = _main_headline(item)
    if not headline:
        raise NinjsError("the item has no headline")
    body = _body_html(item)
    # Downloads first: a missing picture stops the item before anything is written.
    folders = PictureFolders(base, pictures_from)
    pictures = [_fetch_picture(a, folders) for a in _picture_associations(item)]
    existing = Article.objects.filter(ninjs_uri=uri).first()
    section = section or _section_from_genres(item) or (existing and existing.section)
    if publish and section is None:
        raise NinjsError("no section to publish in: pass --section SLUG")

    created_photos = []
    try:
        with transaction.atomic():
            created = existing is None
            article = existing or Article(
                ninjs_uri=uri, slug=_free_slug(Article, headline, "wire-story")
            )
            article.headline = headline[: Article._meta.get_field("headline").max_length]
            article.standfirst = _sub_headline(item)
            article.body = body
            article.dateline = _text(item.get("located"))[:100]
            article.section = section
            _apply_times(article, item, publish=publish)
            try:
                article.full_clean()
            except ValidationError as error:
                raise NinjsError(_one_line(error)) from error
            article.save()
            _replace_bylines(article, _text(item.get("by")))
            article.tags.set(_tags(item.get("subjects")))
            _replace_citations(article, item.get("infosources"))
            replaced = [placement.photo for placement in article.photo_placements.all()]
            article.photo_placements.all().delete()
            for picture, role in _with_roles(pictures):
                photo = _create_photo(picture)
                created_photos.append(photo)
                PhotoPlacement.objects.create(article=article, photo=photo, role=role)
            _drop_unplaced(replaced)
            # Bylines and captions changed after the save: refresh the search document.
            Article.objects.filter(pk=article.pk).refresh_search_vectors()
    except BaseException:
        for photo in created_photos:
            delete_photo_files(photo=photo)
        raise
    return ImportedItem(article=article, created=created)


def _drop_unplaced(photos):
    """A re-import brings its pictures again: the copies from the last import go, unless an
    editor has placed them in another story since."""
    for photo in photos:
        if not photo.placements.exists():
            photo.delete()
            transaction.on_commit(lambda photo=photo: delete_photo_files(photo=photo))


def _with_roles(pictures):
    """The picture named "lead" leads the story, else the first one; the rest go in the body."""
    names = [picture.name for picture in pictures]
    lead = names.index(LEAD_ASSOCIATION) if LEAD_ASSOCIATION in names else 0
    for index, picture in enumerate(pictures):
        yield picture, PhotoPlacement.Role.LEAD if index == lead else PhotoPlacement.Role.INLINE


def _text(value) -> str:
    # PostgreSQL text cannot hold NUL characters; no real wire text has them.
    return value.replace("\x00", "").strip() if isinstance(value, str) else ""


def _entries(value) -> list[dict]:
    return [entry for entry in value if isinstance(entry, dict)] if isinstance(value, list) else []


def _main_headline(item) -> str:
    headlines = _entries(item.get("headlines"))
    main = [h for h in headlines if _text(h.get("role")) not in SUB_HEADLINE_ROLES]
    for headline in main:
        if _text(headline.get("value")):
            return _text(headline["value"])
    return _text(item.get("headline")) or _text(item.get("title"))


def _sub_headline(item) -> str:
    for headline in _entries(item.get("headlines")):
        if _text(headline.get("role")) in SUB_HEADLINE_ROLES:
            return _text(headline.get("value"))[:600]
    for description in _entries(item.get("descriptions")):
        if _text(description.get("role")) in {"summary", "abstract"}:
            return _text(description.get("value"))[:600]
    return _text(item.get("descriptiontext"))[:600]


def _body_html(item) -> str:
    bodies = _entries(item.get("bodies"))
    html = [b for b in bodies if _text(b.get("contenttype")) in HTML_TYPES]
    plain = [b for b in bodies if _text(b.get("contenttype")) in {"", "text/plain"}]
    if html and _text(html[0].get("value")):
        return html_body(html[0]["value"])
    if _text(item.get("bodyhtml")):
        return html_body(item["bodyhtml"])
    text = _text(plain[0].get("value")) if plain else _text(item.get("bodytext"))
    if not text:
        raise NinjsError("the item has no body (no text/html or text/plain bodies entry)")
    return paragraphs(text)


def html_body(markup: str) -> str:
    """Agency HTML reduced to our allowlist.

    Whole pages (TT's html5 body) carry a <title> and an <h1> repeating the
    headline, and <figure>s for pictures that arrive as associations anyway:
    those go with their text; other unknown elements keep their text.
    """
    markup = nh3.clean(
        markup,
        tags=BODY_TAGS,
        attributes=BODY_ATTRIBUTES,
        clean_content_tags={"head", "title", "h1", "figure", "script", "style"},
    )
    return sanitize_body(markup)


def paragraphs(text: str) -> str:
    """Plain text as HTML paragraphs: a blank line (or, if there is none, a line) ends one."""
    blocks = re.split(r"\n\s*\n", text.strip()) if "\n\n" in text else text.strip().splitlines()
    return "".join(f"<p>{escape(' '.join(block.split()))}</p>" for block in blocks if block.strip())


def _apply_times(article, item, *, publish):
    first = _datetime(item.get("firstcreated")) or _datetime(item.get("contentcreated"))
    version = _datetime(item.get("versioncreated"))
    embargo = _datetime(item.get("embargoeduntil")) or _datetime(item.get("embargoed"))
    if embargo and embargo > timezone.now():
        # The story's embargo, not its publish time: the desk shows it as embargoed, and
        # it stays off the site, feeds and the API until then even once published.
        article.embargo_until = embargo
    if publish:
        article.publish_at = article.publish_at or first or version or timezone.now()
    if version and article.publish_at and version > article.publish_at:
        article.updated_at = version
    if publish:
        article.status = Article.Status.PUBLISHED


def _datetime(value) -> datetime | None:
    try:
        parsed = parse_datetime(_text(value))
    except ValueError:
        return None
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, timezone.UTC)
    return parsed


def _section_from_genres(item) -> Section | None:
    names = [_text(genre.get("name")) for genre in _entries(item.get("genres"))]
    return Section.objects.filter(name__in=[n for n in names if n]).first()


def _free_slug(model, text: str, fallback: str) -> str:
    """A slug from the text that no row of the model has yet (numbered from -2 on)."""
    # Room for the number within the field's length.
    base = slugify(text)[: model._meta.get_field("slug").max_length - 10] or fallback
    slug, number = base, 1
    while model.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _replace_bylines(article, by: str):
    article.bylines.all().delete()
    names = [name for name in BY_SEPARATORS.split(by) if name]
    for position, name in enumerate(dict.fromkeys(names)):
        author = _author(name)
        Byline.objects.create(article=article, author=author, position=position)


def _author(name: str) -> Author:
    name = name[: Author._meta.get_field("name").max_length]
    author = Author.objects.filter(name=name).first()
    if author is None:
        author = Author.objects.create(name=name, slug=_free_slug(Author, name, "author"))
    return author


def _tags(subjects) -> list[Tag]:
    tags = []
    for subject in _entries(subjects):
        name = (_text(subject.get("name")) or _text(subject.get("literal")))[:80]
        slug = slugify(name)[:80]
        if not slug:
            continue
        tag = Tag.objects.filter(slug=slug).first() or Tag.objects.filter(name=name).first()
        tags.append(tag or Tag.objects.create(name=name, slug=slug))
    return tags


def _replace_citations(article, sources):
    article.citations.all().delete()
    citations = []
    for source in _entries(sources):
        if _text(source.get("role")) == QUOTED_ROLE:
            # The person the report just before it quotes, as our export writes them.
            if citations and _text(source.get("name")):
                citations[-1].person = _text(source.get("name"))[:200]
                citations[-1].person_role = _text(source.get("literal"))[:200]
            continue
        url = _text(source.get("uri"))
        if not url.startswith(("http://", "https://")):
            continue
        outlet = _text(source.get("name")) or urllib.parse.urlsplit(url).hostname or url
        citations.append(
            Citation(
                article=article,
                outlet=outlet[:200],
                title=(_text(source.get("literal")) or outlet)[:300],
                url=url,
                position=len(citations),
            )
        )
    for citation in citations:
        try:
            citation.full_clean()
        except ValidationError as error:
            raise NinjsError(f"source {citation.url}: {_one_line(error)}") from error
        citation.save()


# Pictures


def _picture_associations(item) -> list[dict]:
    associations = item.get("associations")
    if isinstance(associations, dict):  # ninjs 1.x: an object keyed by name
        associations = [{"name": name, **value} for name, value in associations.items()]
    return [a for a in _entries(associations) if _text(a.get("type")) in {"picture", ""}]


def _best_rendition(association) -> dict:
    renditions = [
        r
        for r in _entries(association.get("renditions"))
        if _text(r.get("href")) and _text(r.get("contenttype")) in IMAGE_TYPES | {""}
    ]
    if not renditions:
        raise NinjsError(
            f"picture {_text(association.get('name')) or '?'}: no rendition with an href"
        )
    return max(renditions, key=lambda r: _int(r.get("width")) * _int(r.get("height")))


def _int(value) -> int:
    return value if isinstance(value, int) else 0


def _fetch_picture(association, folders: PictureFolders) -> Picture:
    rendition = _best_rendition(association)
    href = _text(rendition["href"])
    label = f"picture {_text(association.get('name')) or href}"
    data = _download(href, folders, label)
    descriptions = {
        _text(d.get("role")): _text(d.get("value"))
        for d in _entries(association.get("descriptions"))
    }
    caption = (
        descriptions.get("caption")
        or descriptions.get("", "")
        or _text(association.get("descriptiontext"))  # ninjs 1.x
    )
    title = next((_text(h.get("value")) for h in _entries(association.get("headlines"))), "")
    return Picture(
        name=_text(association.get("name")),
        data=data,
        filename=PurePosixPath(urllib.parse.urlsplit(href).path).name or "picture.jpg",
        # Empty values are filled from the file's IPTC/XMP by the photo desk.
        fields={
            "caption": caption,
            "credit": descriptions.get("creditline", ""),
            "photographer": _text(association.get("by")),
            "copyright_notice": _text(association.get("copyrightnotice")),
            "alt_text": descriptions.get("alt", ""),
            "title": title,
        },
        # Still empty after the file's own metadata: a wire caption describes the image
        # well enough to stand in for alt text, and the byline for a credit.
        fallbacks={"alt_text": caption, "credit": _text(association.get("by"))},
    )


def _download(href: str, folders: PictureFolders, label: str) -> bytes:
    limit = settings.PHOTO_MAX_UPLOAD_BYTES
    parts = urllib.parse.urlsplit(href)
    scheme = parts.scheme.lower()
    if scheme in {"http", "https"}:
        return _http_get(href, limit, label)
    if scheme == "file" and parts.netloc in {"", "localhost"}:
        path = Path(urllib.request.url2pathname(parts.path))
    elif scheme == "" or (len(scheme) == 1 and href[1:3] in {":\\", ":/"}):
        path = folders.base / href
    else:
        raise NinjsError(f"{label}: cannot fetch {scheme}: addresses ({href})")
    # Whether or not something is there, and what: a document must not learn either
    # about the rest of the disk.
    if not folders.contains(path):
        raise NinjsError(
            f"{label}: {href} is outside the allowed folders "
            "(the document's folder and --pictures-from)"
        )
    return _read_file(path, href, limit, label)


def _read_file(path: Path, href: str, limit: int, label: str) -> bytes:
    """A regular file's first `limit` bytes, opened without following a symbolic link
    swapped in since the check, nor waiting on a pipe."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        descriptor = os.open(os.path.realpath(path), flags)
    except OSError as error:
        raise NinjsError(f"{label}: cannot read {href} ({error.strerror})") from error
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise NinjsError(f"{label}: {href} is not a regular file")
        with open(descriptor, "rb", closefd=False) as file:
            # One byte past the limit: a file may grow, or report no size (/proc).
            data = file.read(limit + 1)
    except OSError as error:
        raise NinjsError(f"{label}: cannot read {href} ({error.strerror})") from error
    finally:
        os.close(descriptor)
    if len(data) > limit:
        raise NinjsError(f"{label}: {href} is larger than {filesizeformat(limit)}")
    return data


def _http_get(url: str, limit: int, label: str) -> bytes:
    try:
        response = outbound.fetch(
            url,
            timeout=settings.NEWSROOM_NINJS_FETCH_TIMEOUT,
            max_bytes=limit,
            headers={"User-Agent": "Newsroom ninjs importer"},
        )
    except outbound.TooLarge as error:
        raise NinjsError(f"{label}: {url} is larger than {filesizeformat(limit)}") from error
    except outbound.OutboundError as error:
        raise NinjsError(f"{label}: cannot download {url} ({error})") from error
    if not 200 <= response.status < 300:
        raise NinjsError(f"{label}: {url} answered HTTP {response.status} {response.reason}")
    return response.body


def _create_photo(picture: Picture):
    upload = SimpleUploadedFile(picture.filename, picture.data)
    try:
        return create_photo_from_upload(
            file=upload,
            fields={name: value for name, value in picture.fields.items() if value},
            fallbacks=picture.fallbacks,
        )
    except ValidationError as error:
        raise NinjsError(
            f"picture {picture.name or picture.filename}: {_one_line(error)}"
        ) from error


def _one_line(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
        )
    return " ".join(error.messages)
