"""The story form as the server sends it, without JavaScript: the headline's counts, the
photos' places among the story's own paragraphs, the spell-checked body and the save bar."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from articles.tests.factories import make_article, make_photo, make_staff, place_photo
from desk.widgets import AT_THE_END, BEFORE_THE_FIRST, paragraph_choices
from newsroom.tests.forms import form_fields
from newsroom.tests.html import Elements

pytestmark = pytest.mark.django_db

BODY = (
    "<p>The ferry to Calder will cross twice a day from May, the operator said on Monday."
    "[cite:1]</p>"
    "<h2>What islanders say</h2>"
    "<ul><li><p>Fewer crossings</p></li><li><p>Later &amp; dearer</p></li></ul>"
)


@pytest.fixture
def editor(client):
    client.force_login(make_staff("Editors"))
    return client


def change_url(story):
    return reverse("admin:articles_article_change", args=[story.pk])


def change_page(client, story):
    response = client.get(change_url(story))
    assert response.status_code == 200
    return response.content.decode()


def text_of(page, css_class):
    (element,) = page.by_class(css_class)
    return element["text"].strip()


def place_select(page, placement_index):
    name = f"photo_placements-{placement_index}-after_block"
    (select,) = [e for e in page.by_tag("select") if e["attrs"].get("name") == name]
    return [
        (option["attrs"]["value"], option["text"], "selected" in option["attrs"])
        for option in page.inside(select)
        if option["tag"] == "option"
    ]


def test_headline_counts_are_those_of_the_headline_and_of_the_page_title(editor, client):
    headline = "Japan to Limit Facial Recognition Tech Exports — Nikkei"
    story = make_article(headline=headline)
    page = Elements(change_page(editor, story))

    title = Elements(client.get(story.get_absolute_url()).content.decode()).by_tag("title")[0]
    assert text_of(page, "char-count__headline") == str(len(headline)) == "55"
    assert text_of(page, "char-count__title") == str(len(title["text"]))


def test_a_photo_is_placed_after_one_of_the_story_s_own_paragraphs(editor):
    story = make_article(body=BODY)
    placement = place_photo(story, after_block=2)
    page = Elements(change_page(editor, story))

    assert place_select(page, 0) == [
        ("", AT_THE_END, False),
        ("0", BEFORE_THE_FIRST, False),
        ("1", "After ¶1: The ferry to Calder will cross…", False),
        ("2", "After ¶2: What islanders say", True),
        ("3", "After ¶3: Fewer crossings Later & dearer", False),
    ]

    _action, fields = form_fields(change_page(editor, story), "article_form")
    fields["photo_placements-0-after_block"] = "3"
    response = editor.post(change_url(story), fields)
    assert response.status_code == 302, response.content.decode()[:2000]
    placement.refresh_from_db()
    assert placement.after_block == 3

    fields["loaded_version"] = Article.objects.get(pk=story.pk).modified_at.isoformat()
    fields["photo_placements-0-after_block"] = "0"
    assert editor.post(change_url(story), fields).status_code == 302
    placement.refresh_from_db()
    assert placement.after_block == 0

    fields["loaded_version"] = Article.objects.get(pk=story.pk).modified_at.isoformat()
    fields["photo_placements-0-after_block"] = ""
    assert editor.post(change_url(story), fields).status_code == 302
    placement.refresh_from_db()
    assert placement.after_block is None


def test_paragraph_choices_number_the_blocks_as_the_page_places_photos():
    """Choice N puts the photo where the page shows after_block=N: after block N."""
    story = make_article(body=BODY)
    place_photo(story, after_block=2)
    segments = story.body_segments()
    choices = paragraph_choices(story.body)

    assert (
        [number for number, _label in choices[2:]] == [1, 2, 3] == list(range(1, len(segments) + 1))
    )
    assert [len(segment.photos) for segment in segments] == [0, 1, 0]
    assert paragraph_choices("") == [("", AT_THE_END), (0, BEFORE_THE_FIRST)]


def test_a_paragraph_the_story_does_not_have_is_refused_with_a_clear_message(editor):
    story = make_article(headline="Ferry cut", body=BODY)
    placement = place_photo(story, after_block=1)
    _action, fields = form_fields(change_page(editor, story), "article_form")
    fields["photo_placements-0-after_block"] = "9"
    fields["headline"] = "A headline that must not be saved alone"

    response = editor.post(change_url(story), fields)

    assert response.status_code == 200
    html = response.content.decode()
    assert "The story has no paragraph 9 (it has 3): choose a place from the list." in html
    # Nothing was saved, and the editor's choice is still there to correct.
    placement.refresh_from_db()
    story.refresh_from_db()
    assert (placement.after_block, story.headline) == (1, "Ferry cut")
    assert ("9", "After ¶9 (not in the story)", True) in place_select(Elements(html), 0)


def test_a_place_saved_past_the_end_of_a_shortened_body_is_shown_and_kept(editor):
    story = make_article(body=BODY)
    placement = place_photo(story, after_block=7)
    html = change_page(editor, story)
    assert ("7", "After ¶7: past the end, so after the last", True) in place_select(
        Elements(html), 0
    )

    _action, fields = form_fields(html, "article_form")
    fields["headline"] = "Ferry cut to two crossings"
    assert editor.post(change_url(story), fields).status_code == 302
    placement.refresh_from_db()
    assert placement.after_block == 7


def test_the_places_offered_and_accepted_are_those_of_the_body_being_saved(editor):
    story = make_article(body=BODY)
    placement = place_photo(story, after_block=1)
    _action, fields = form_fields(change_page(editor, story), "article_form")
    fields["body"] = BODY + "<p>A fourth paragraph, added in this save.</p>"
    fields["photo_placements-0-after_block"] = "4"

    response = editor.post(change_url(story), fields)

    assert response.status_code == 302, response.content.decode()[:2000]
    placement.refresh_from_db()
    assert placement.after_block == 4


def test_body_editor_spell_checks_and_the_save_bar_is_part_of_the_form(editor):
    story = make_article(body=BODY)
    html = change_page(editor, story)
    page = Elements(html)

    (body,) = [e for e in page.by_tag("textarea") if e["attrs"].get("name") == "body"]
    assert body["attrs"]["spellcheck"] == "true"
    config = json.loads(body["attrs"]["data-django-prose-editor-configurable"])
    assert "NoSpellCheck" not in config["extensions"]

    (form,) = [e for e in page.by_tag("form") if e["attrs"].get("id") == "article_form"]
    (bar,) = page.by_class("submit-row")
    assert form in bar["parents"]
    stylesheets = [e["attrs"]["href"] for e in page.by_tag("link")]
    assert "/static/desk/story_form.css" in stylesheets


def test_a_placement_shows_its_thumbnail_and_the_caption_and_credit_readers_see(editor):
    story = make_article(body=BODY)
    photo = make_photo(caption="The library caption.", credit="Calder Wire")
    place_photo(story, photo, role="lead", caption_override="This story's own caption.")
    page = Elements(change_page(editor, story))

    assert text_of(page, "shown-caption") == "This story's own caption."
    assert text_of(page, "shown-credit") == "Calder Wire"
    (placements,) = [e for e in page.by_tag("div") if e["attrs"].get("id") == "photo_placements-0"]
    pictures = [e["attrs"]["src"] for e in page.inside(placements) if e["tag"] == "img"]
    assert pictures[0] == photo.smallest_rendition_url()


def offer_of(page, index):
    name = f"photo_placements-{index}-drop_repeated_credit"
    (offer,) = [e for e in page.by_tag("input") if e["attrs"].get("name") == name]
    return offer


def test_a_caption_override_ending_with_the_credit_is_offered_the_drop(editor):
    story = make_article(body=BODY)
    photo = make_photo(caption="Library caption.", credit="Kevin Frayer/Getty Images")
    repeating = place_photo(
        story,
        photo,
        after_block=1,
        caption_override="Ferries at the Calder pier. (Photo by Kevin Frayer/Getty Images)",
    )
    plain = place_photo(story, photo, after_block=2, caption_override="The pier at dawn.")
    html = change_page(editor, story)
    page = Elements(html)

    assert offer_of(page, 0)["attrs"]["type"] == "checkbox"
    assert "ends with “(Photo by Kevin Frayer/Getty Images)”" in html
    assert offer_of(page, 1)["attrs"]["type"] == "hidden"

    _action, fields = form_fields(html, "article_form")
    fields["photo_placements-0-drop_repeated_credit"] = "on"
    response = editor.post(change_url(story), fields)
    assert response.status_code == 302, response.content.decode()[:2000]
    repeating.refresh_from_db()
    plain.refresh_from_db()
    assert repeating.caption_override == "Ferries at the Calder pier."
    assert plain.caption_override == "The pier at dawn."
    assert offer_of(Elements(change_page(editor, story)), 0)["attrs"]["type"] == "hidden"


def count_queries(client, story):
    with CaptureQueriesContext(connection) as queries:
        change_page(client, story)
    return len(queries)


def test_placements_cost_only_the_admin_s_own_lookup_per_photo_box(editor):
    """Each autocomplete box looks up the photo it shows (the admin's widget does that); the
    thumbnail, caption and credit add nothing per placement."""
    few, many = make_article(body=BODY), make_article(body=BODY)
    for story, count in ((few, 2), (many, 8)):
        for _ in range(count):
            place_photo(story, make_photo())
    count_queries(editor, few)  # the first view warms the session and content types

    assert count_queries(editor, many) - count_queries(editor, few) <= 8 - 2
