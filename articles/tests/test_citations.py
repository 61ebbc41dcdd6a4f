"""Citation marks in the body and the Sources list."""

import pytest

from articles.html import link_citations

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
