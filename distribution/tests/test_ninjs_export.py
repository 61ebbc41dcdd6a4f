"""The ninjs export of a story, against IPTC's 3.1 schema (read from ../shared/ninjs)."""

import json
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse

from articles.models import Article
from articles.tests.factories import make_article
from newsroom.tests.ninjs import ferry_story, validate

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    return ferry_story()


def exported(client, article):
    response = client.get(reverse("distribution:ninjs", kwargs={"slug": article.slug}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def test_export_validates_against_the_ninjs_3_1_schema(client, story):
    validate(exported(client, story), "ninjs-schema_3.1.json")


def test_export_carries_the_story(client, story):
    document = exported(client, story)
    assert document["uri"] == f"http://testserver{story.get_absolute_url()}"
    assert document["type"] == "text"
    assert document["pubStatus"] == "usable"
    assert "edNote" not in document
    assert document["language"] == settings.LANGUAGE_CODE
    assert document["firstCreated"] == story.publish_at.isoformat()
    assert document["versionCreated"] == story.publish_at.isoformat()
    assert document["headlines"] == [
        {"role": "main", "value": story.headline, "contentType": "text/plain"},
        {"role": "sub", "value": story.standfirst, "contentType": "text/plain"},
    ]
    assert document["by"] == "Lin Mei and Tom Hale"
    assert document["bodies"] == [{"role": "main", "contentType": "text/html", "value": story.body}]
    assert [s["name"] for s in document["subjects"]] == ["Transport"]
    assert document["infoSources"] == [
        {
            "name": "Harbour Gazette",
            "literal": "Storm report",
            "uri": "https://g.example/s",
            "role": "cited",
        },
        # The person the report before it quotes.
        {"name": "Ada Quay", "literal": "the harbour master", "role": "quoted"},
        {
            "name": "Coast Radio",
            "literal": "Crossings",
            "uri": "https://radio.example/c",
            "role": "cited",
        },
    ]


def test_export_associates_the_photos_with_caption_credit_and_renditions(client, story):
    lead, inline = exported(client, story)["associations"]
    assert (lead["name"], inline["name"]) == ("lead", "inline1")
    assert lead["type"] == "picture"
    assert {"role": "caption", "value": "The ferry leaves the quay."} in lead["descriptions"]
    assert {"role": "creditline", "value": "Jo Example/Test Wire"} in lead["descriptions"]
    assert lead["by"] == "Jo Example"
    assert lead["copyrightNotice"] == "© 2026 Test Wire"
    rendition = lead["renditions"][0]
    assert rendition["href"].startswith("http://testserver/media/renditions/")
    assert {"width", "height", "contentType", "name"} <= rendition.keys()


def test_export_carries_the_embargo_the_story_was_held_under(client, story):
    assert "embargoedUntil" not in exported(client, story)
    story.embargo_until = story.publish_at + timedelta(minutes=30)
    story.save()
    document = exported(client, story)
    validate(document, "ninjs-schema_3.1.json")
    assert document["embargoedUntil"] == story.embargo_until.isoformat()


def retract(story, *, hides_body):
    story.status = Article.Status.RETRACTED
    story.retraction_note = "The harbour master withdrew the statement."
    story.retraction_hides_body = hides_body
    story.save()
    return story


def test_a_retracted_story_with_its_body_hidden_is_canceled_without_what_the_page_hides(
    client, story
):
    document = exported(client, retract(story, hides_body=True))
    validate(document, "ninjs-schema_3.1.json")
    assert document["pubStatus"] == "canceled"
    assert document["edNote"] == "The harbour master withdrew the statement."
    assert document["headlines"][0]["value"] == "Ferry line reopens after storm"
    # The page shows the headline, standfirst, byline and notice; nor body, photos,
    # topics or sources.
    for hidden in ["bodies", "associations", "subjects", "infoSources"]:
        assert hidden not in document, hidden
    text = json.dumps(document)
    for word in ["Boats run", "Timetable", "ferry leaves the quay", "renditions", "Storm report"]:
        assert word not in text, word


def test_a_retracted_story_that_keeps_its_body_is_canceled_with_it(client, story):
    document = exported(client, retract(story, hides_body=False))
    validate(document, "ninjs-schema_3.1.json")
    assert document["pubStatus"] == "canceled"
    assert document["edNote"] == "The harbour master withdrew the statement."
    assert document["bodies"][0]["value"] == story.body
    assert [a["name"] for a in document["associations"]] == ["lead", "inline1"]


def test_unpublished_stories_have_no_ninjs_document(client):
    for status in [Article.Status.DRAFT, Article.Status.UNPUBLISHED]:
        draft = make_article(status=status)
        url = reverse("distribution:ninjs", kwargs={"slug": draft.slug})
        assert client.get(url).status_code == 404


def test_export_query_count_is_constant(client, story, django_assert_max_num_queries):
    with django_assert_max_num_queries(7):
        exported(client, story)
