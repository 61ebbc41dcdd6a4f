"""Library photos in stories: who may change a photo readers see, where the desk
says it is used, and how the story pages offer it (photos/usage.py,
articles/photo_uses.py)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, PhotoPlacement
from imaging.renditions import FORMATS, MIME_TYPES
from imaging.tests.images import photo_bytes, upload
from newsroom.formats import desk_datetime
from newsroom.tests.html import is_inside
from photos.models import Photo, PhotoChange
from photos.services import save_photo
from photos.tests.factories import database_refuses
from photos.tests.test_admin import files_under, photo_form

from .factories import make_article, make_photo, make_section, make_staff, place_photo
from .test_views import Elements

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("desk", "d@example.org", "pw"))
    return client


@pytest.fixture
def cranes():
    """Large enough for every rendition width."""
    return make_photo(
        image=upload(photo_bytes(1800, 1200)),
        credit="Wire",
        caption="Cranes.",
        alt_text="Three cranes.",
    )


def test_alt_text_cannot_be_removed_from_a_photo_in_a_published_story(desk):
    photo = make_photo()
    place_photo(make_article(), photo)
    response = desk.post(
        reverse("admin:photos_photo_change", args=[photo.pk]),
        photo_form("", caption=photo.caption, credit=photo.credit, alt_text=""),
    )
    assert response.status_code == 200
    assert "appears in a published story" in response.content.decode()
    photo.refresh_from_db()
    assert photo.alt_text


def desk_for(role):
    user = make_staff(role)
    client = Client()
    client.force_login(user)
    return client, user


def change_url(photo):
    return reverse("admin:photos_photo_change", args=[photo.pk])


def resent(photo, image="", **changes):
    """The photo's change form sent back with some changes (and a new file, if given)."""
    kept = {
        name: str(getattr(photo, name))
        for name in ("title", "caption", "credit", "photographer", "copyright_notice", "alt_text")
    }
    focal_point = {"focal_x": str(photo.focal_x), "focal_y": str(photo.focal_y)}
    return photo_form(image, **{**kept, **focal_point, **changes})


LIVE_STORIES = {
    "published": {},
    "scheduled": {"publish_at": timezone.now() + timedelta(days=1)},
}


@pytest.mark.parametrize("story", LIVE_STORIES)
def test_a_reporter_cannot_change_a_live_photo_in_any_way(settings, story):
    photo = make_photo(image=upload(photo_bytes(1200, 800)))
    place_photo(make_article(**LIVE_STORIES[story]), photo)
    stored = Photo.objects.values().get(pk=photo.pk)
    files = files_under(settings.PHOTO_ORIGINALS_ROOT) + files_under(settings.MEDIA_ROOT)
    client, _ = desk_for("Reporters")
    page = client.get(change_url(photo)).content.decode()
    assert 'name="caption"' not in page and 'name="image"' not in page
    assert "only editors can change it" in page
    attempts = {
        "caption": {"caption": "A caption the agency never wrote."},
        "credit": {"credit": "Someone else"},
        "alt text": {"alt_text": "Not what it shows."},
        "focal point": {"focal_x": "0.1", "focal_y": "0.9"},
        "new file": {"image": upload(photo_bytes(800, 600, colour=(200, 0, 0)), name="new.jpg")},
    }
    answers = {
        what: client.post(change_url(photo), resent(photo, **changes)).status_code
        for what, changes in attempts.items()
    }
    print(f"reporter changing a photo in a {story} story: {answers}")
    assert set(answers.values()) == {403}
    assert Photo.objects.values().get(pk=photo.pk) == stored
    assert files_under(settings.PHOTO_ORIGINALS_ROOT) + files_under(settings.MEDIA_ROOT) == files
    assert not PhotoChange.objects.exists()


@pytest.mark.parametrize("placed_in", [None, Article.Status.DRAFT, Article.Status.UNPUBLISHED])
def test_a_reporter_changes_a_photo_no_reader_sees(placed_in):
    photo = make_photo()
    if placed_in:
        place_photo(make_article(status=placed_in), photo)
    client, _ = desk_for("Reporters")
    response = client.post(change_url(photo), resent(photo, caption="A sharper caption."))
    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.caption == "A sharper caption."
    # Nothing readers saw has changed, so there is nothing to keep.
    assert not PhotoChange.objects.exists()


def test_an_editor_changes_a_live_photo_and_its_page_shows_who_when_and_what():
    photo = make_photo(caption="Crowds on the quay.", credit="Old Wire")
    place_photo(make_article(), photo)
    client, editor = desk_for("Editors")
    changes = {"caption": "Crowds on the quay at Port Calder.", "credit": "New Wire/Agency"}
    response = client.post(change_url(photo), resent(photo, **changes, alt_text="Crowds."))
    assert response.status_code == 302
    kept = set(photo.changes.values_list("field", "before", "after", "changed_by"))
    assert kept == {
        ("caption", "Crowds on the quay.", "Crowds on the quay at Port Calder.", editor.pk),
        ("credit", "Old Wire", "New Wire/Agency", editor.pk),
    }
    when = photo.changes.first().changed_at
    assert abs(when - timezone.now()) < timedelta(minutes=1)
    # Everyone who opens the photo reads the history; nobody can edit it there.
    reporter, _ = desk_for("Reporters")
    for desk in (client, reporter):
        page = desk.get(change_url(photo)).content.decode()
        history = page[page.index('id="photo-history"') :]
        history = history[: history.index("</table>")]
        for text in ("Crowds on the quay.", "Crowds on the quay at Port Calder.", "Old Wire"):
            assert text in history
        assert editor.get_username() in history
        assert desk_datetime(when) in history
        assert "<input" not in history and "<textarea" not in history


def test_the_library_lists_where_a_photo_is_used(desk):
    photo = make_photo()
    story = make_article(headline="Quay strike ends")
    place_photo(story, photo)
    listing = desk.get(reverse("admin:photos_photo_changelist")).content.decode()
    assert "1 story" in listing
    change = desk.get(reverse("admin:photos_photo_change", args=[photo.pk])).content.decode()
    link = reverse("admin:articles_article_change", args=[story.pk])
    assert f'<a href="{link}">Quay strike ends</a> (Published)' in change


def test_saving_a_live_photo_refuses_someone_who_may_not_change_it():
    photo = make_photo()
    place_photo(make_article(), photo)
    photo.caption = "Rewritten."
    with pytest.raises(PermissionDenied, match="only editors can change it"):
        save_photo(photo=photo, by=make_staff("Reporters"))
    assert Photo.objects.get().caption == "A test photo."
    assert not PhotoChange.objects.exists()


def test_the_history_is_kept_with_the_save_or_not_at_all():
    photo = make_photo()
    place_photo(make_article(), photo)
    editor = make_staff("Editors")
    # The row's update fails after the history rows are written, in the save's transaction.
    photo.caption = "A new caption."
    with database_refuses("UPDATE", "photos_photo"), pytest.raises(DatabaseError):
        save_photo(photo=photo, by=editor)
    assert Photo.objects.get().caption == "A test photo."
    assert not PhotoChange.objects.exists()


def pictures(html):
    doc = Elements(html)
    return doc, doc.by_tag("picture")


def test_story_page_offers_every_format_and_width_with_size_and_lazy_loading(client, cranes):
    story = make_article()
    place_photo(story, cranes, role=PhotoPlacement.Role.LEAD)
    place_photo(story, cranes, after_block=1)
    doc, (lead, inline) = pictures(client.get(story.get_absolute_url()).content.decode())
    for picture in (lead, inline):
        sources = [e for e in doc.by_tag("source") if picture in e["parents"]]
        assert [s["attrs"]["type"] for s in sources] == [
            MIME_TYPES[f] for f in FORMATS if f != "jpeg"
        ]
        for source in sources:
            assert [c.rsplit(" ", 1)[1] for c in source["attrs"]["srcset"].split(", ")] == [
                "480w",
                "800w",
                "1200w",
                "1600w",
            ]
            assert source["attrs"]["sizes"]
        img = doc.first_inside(picture, doc.by_tag("img"))
        assert (img["attrs"]["width"], img["attrs"]["height"]) == ("1600", "1067")
        assert img["attrs"]["src"].endswith(".jpeg")
        assert img["attrs"]["alt"] == "Three cranes."
    assert doc.first_inside(lead, doc.by_tag("img"))["attrs"]["loading"] == "eager"
    assert doc.first_inside(inline, doc.by_tag("img"))["attrs"]["loading"] == "lazy"


def test_story_cards_use_the_16_9_crop(client, cranes):
    section = make_section()
    for _ in range(2):
        place_photo(make_article(section=section), cranes, role=PhotoPlacement.Role.LEAD)
    doc, found = pictures(client.get(section.get_absolute_url()).content.decode())
    img = doc.first_inside(found[0], doc.by_tag("img"))
    assert (img["attrs"]["width"], img["attrs"]["height"]) == ("1200", "675")
    assert "-16x9-1200w-" in img["attrs"]["src"]


def test_story_page_offers_the_square_crop_to_link_previews(client, cranes):
    story = make_article()
    place_photo(story, cranes, role=PhotoPlacement.Role.LEAD)
    doc = Elements(client.get(story.get_absolute_url()).content.decode())
    meta = {m["attrs"].get("property"): m["attrs"].get("content") for m in doc.by_tag("meta")}
    square = next(r for r in cranes.renditions if r["crop"] == "1x1" and r["format"] == "jpeg")
    assert meta["og:image"] == f"http://testserver/media/{square['name']}"
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "1200")
    assert meta["og:image:alt"] == "Three cranes."


def test_only_a_long_caption_gets_the_phone_fold_and_the_credit_stays_outside_it(client):
    story = make_article()
    place_photo(story, make_photo(caption="Cranes at dusk.", credit="Lead Wire"), role="lead")
    long = "Cranes at dusk on the east quay as the night shift begins." * 4
    place_photo(story, make_photo(caption="Short.", credit="Inline Wire"), caption_override=long)
    page = Elements(client.get(story.get_absolute_url()).content.decode())
    short_caption, long_caption = page.by_class("caption")
    assert short_caption["attrs"]["class"] == "caption"
    assert long_caption["attrs"]["class"] == "caption caption--long"
    assert long_caption["text"] == long  # whole in the page; only phones fold it, visually
    [toggle] = page.by_class("caption__toggle")
    assert (toggle["tag"], toggle["attrs"]["type"]) == ("input", "checkbox")
    assert [credit["text"] for credit in page.by_class("credit")] == ["Lead Wire", "Inline Wire"]
    assert not any(is_inside(credit, long_caption) for credit in page.by_class("credit"))
