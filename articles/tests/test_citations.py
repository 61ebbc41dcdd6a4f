"""Citation marks in the body and the Sources list."""

import re

import pytest
from django.core.exceptions import ValidationError

from articles.html import link_citations
from articles.models import letter_label
from newsroom.tests.html import Elements

from .factories import make_article, make_citation

pytestmark = pytest.mark.django_db


def test_markers_become_numbered_links_with_their_own_anchors():
    html, backlinks = link_citations("<p>A[cite:2] and B[cite:1], again A[cite:2].</p>", 2)
    assert '<sup class="cite" id="cite-2-1"><a href="#source-2"' in html
    assert 'id="cite-2-2"' in html and 'id="cite-1-1"' in html
    assert backlinks == {2: ["cite-2-1", "cite-2-2"], 1: ["cite-1-1"]}


def test_markers_for_missing_sources_stay_as_typed():
    html, backlinks = link_citations("<p>See [cite:3] and [cite:0].</p>", 2)
    assert html == "<p>See [cite:3] and [cite:0].</p>"
    assert backlinks == {}


def test_story_page_numbers_sources_and_links_both_ways(client):
    story = make_article(body="<p>Night crews were cut[cite:1]. Ships wait[cite:2][cite:1].</p>")
    make_citation(story, outlet="Calder Courier", position=1)
    make_citation(story, outlet="Harbour Radio", position=2)
    make_citation(story, outlet="Uncited Gazette", position=3)
    html = client.get(story.get_absolute_url()).content.decode()
    assert html.count('<sup class="cite"') == 3
    assert '<li class="source" id="source-1">' in html
    assert 'href="#cite-1-1"' in html and 'href="#cite-1-2"' in html
    assert 'href="#cite-2-1"' in html
    assert "Uncited Gazette" in html  # listed even without a mark in the body


def test_editor_markup_cannot_inject_through_markers(client):
    story = make_article(
        body='<p>Claim[cite:1]<script>alert(1)</script><a href="javascript:x">x</a></p>'
    )
    make_citation(story)
    html = client.get(story.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html and "javascript:x" not in html


def sources_of(client, story) -> tuple[Elements, list[dict]]:
    """The story page and the items of its Sources list."""
    page = Elements(client.get(story.get_absolute_url()).content.decode())
    return page, page.by_class("source")


def spoken(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_a_person_quoted_is_named_with_their_role_before_the_outlet(client):
    story = make_article(body="<p>Japan will limit the exports[cite:1].</p>")
    make_citation(
        story,
        person="Koichi Hagiuda",
        person_role="Japan's trade minister",
        outlet="Nikkei Asia",
        title="Japan to curb chip tool exports",
        published_on="2026-03-03",
    )
    page, [source] = sources_of(client, story)
    assert spoken(source["text"]).startswith(
        "Koichi Hagiuda, Japan's trade minister, quoted by Nikkei Asia: "
        "“Japan to curb chip tool exports”, 3 March 2026."
    )
    title = page.first_inside(source, page.by_class("source__title"))
    assert title["tag"] == "a" and title["text"] == "Japan to curb chip tool exports"


def test_a_person_without_a_role_and_an_outlet_alone_read_plainly(client):
    story = make_article(body="<p>Ships wait[cite:1][cite:2].</p>")
    make_citation(story, person="Lin Mei", outlet="Harbour Radio", title="Queues", position=1)
    make_citation(story, outlet="Calder Courier", title="Night shifts cut", position=2)
    _, sources = sources_of(client, story)
    assert [spoken(source["text"])[:40] for source in sources] == [
        "Lin Mei, quoted by Harbour Radio: “Queue",
        "Calder Courier, Night shifts cut. ↩",
    ]


def test_a_role_needs_the_person_it_describes():
    citation = make_citation(make_article(), person_role="Japan's trade minister")
    with pytest.raises(ValidationError) as raised:
        citation.full_clean()
    assert "person" in raised.value.message_dict


def test_a_source_cited_more_than_once_links_back_to_each_place_by_letter(client):
    story = make_article(body="<p>A[cite:1], B[cite:2], C[cite:2] and D[cite:2].</p>")
    make_citation(story, position=1)
    make_citation(story, position=2)
    page, (once, thrice) = sources_of(client, story)
    [back] = [e for e in page.inside(once) if e in page.by_class("source__back")]
    assert back["text"] == "↩" and back["attrs"]["href"] == "#cite-1-1"
    assert back["attrs"]["aria-label"] == "Back to citation 1 in the story"
    backs = [e for e in page.inside(thrice) if e in page.by_class("source__back")]
    assert [(e["text"], e["attrs"]["href"], e["attrs"]["aria-label"]) for e in backs] == [
        ("a", "#cite-2-1", "Back to citation 2a in the story"),
        ("b", "#cite-2-2", "Back to citation 2b in the story"),
        ("c", "#cite-2-3", "Back to citation 2c in the story"),
    ]
    # Each back-link lands on a marker of the body that exists.
    ids = {e["attrs"].get("id") for e in page.by_tag("sup")}
    assert {e["attrs"]["href"][1:] for e in backs} <= ids


def test_back_link_letters_go_on_past_z():
    assert [letter_label(i) for i in (0, 1, 25, 26, 27, 52)] == ["a", "b", "z", "aa", "ab", "ba"]
