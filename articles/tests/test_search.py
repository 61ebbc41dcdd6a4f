import importlib
from datetime import timedelta

import pytest
from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import search as search_module
from articles.models import Article

from .factories import (
    HIDDEN_WORD,
    make_article,
    make_hidden_body_story,
    make_photo,
    place_photo,
)

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL full-text search (websearch syntax, stored vector); set DATABASE_URL",
)


def search(client, q, **params):
    response = client.get(reverse("articles:search"), {"q": q, **params})
    assert response.status_code == 200
    return response


def days_ago(days):
    return timezone.now() - timedelta(days=days)


def headlines(response):
    return [article.headline for article in response.context["articles"]]


def test_headline_match_beats_standfirst_beats_body_beats_caption(client):
    in_caption = make_article(headline="Fourth")
    place_photo(in_caption, make_photo(caption="A lighthouse at dusk."))
    make_article(headline="Third", body="<p>The lighthouse keeper retired.</p>")
    make_article(headline="Second", standfirst="A lighthouse sale.")
    make_article(headline="Lighthouse sold to the town")
    make_article(headline="Unrelated", body="<p>Nothing about it.</p>")
    assert headlines(search(client, "lighthouse")) == [
        "Lighthouse sold to the town",
        "Second",
        "Third",
        "Fourth",
    ]


def test_only_published_stories_are_found(client):
    live = make_article(headline="Harbour toll rises")
    make_article(headline="Harbour draft", status=Article.Status.DRAFT)
    make_article(headline="Harbour pulled", status=Article.Status.UNPUBLISHED)
    make_article(headline="Harbour embargoed", publish_at=timezone.now() + timedelta(hours=1))
    assert headlines(search(client, "harbour")) == [live.headline]


def test_every_word_must_match(client):
    make_article(headline="Harbour toll rises")
    make_article(headline="Harbour ferry strike")
    assert headlines(search(client, "harbour ferry")) == ["Harbour ferry strike"]


def test_snippet_highlights_the_words_and_escapes_the_story_text(client):
    make_article(
        headline="Budget",
        body="<p>Opening words.</p><p>The council&#39;s &lt;b&gt;budget&lt;/b&gt; rises by 4%.</p>",
    )
    response = search(client, "budget")
    html = response.content.decode()
    assert "<mark>budget</mark>" in html.lower()
    assert "&lt;b&gt;" in html
    assert "<b>" not in html


@pytest.mark.parametrize(
    "query",
    [
        '"harbour',
        '"harbour toll"',
        "harbour OR ferry",
        "-harbour",
        "harbour & | ! ( ) : * <->",
        "'; DROP TABLE articles_article; --",
        "1' OR '1'='1",
        "%_\\",
        "x" * 1000,
        "harbour " * 200,
        "nul\x00byte",
        "   ",
        "<script>alert(1)</script>",
    ],
)
def test_odd_queries_give_results_or_an_empty_page_never_an_error(client, query):
    make_article(headline="Harbour toll rises")
    response = search(client, query)
    assert "<script>alert(1)" not in response.content.decode()
    assert Article.objects.count() == 1


# Nothing a database can look for: no word for SQLite's substring match, no
# lexeme for websearch_to_tsquery.
NOTHING_TO_LOOK_FOR = [
    '"',
    '""',
    "\\",
    "%",
    "*",
    "-",
    "or",
    "OR",
    "'",
    "&",
    "|",
    "!",
    "!!",
    ":*",
    "(",
    ")",
    "<->",
    "\x00",
    "\x00\x00 \x00",
    "“”‘’«»",
    "… — –",
    "¿¡§¶※",
    "-or -!",
    '"(|&!:*<->)"',
    ("!&|" * 200)[:500],
    ('"' + "'") * 250,
]


@pytest.mark.parametrize("query", NOTHING_TO_LOOK_FOR)
def test_queries_with_nothing_to_look_for_give_an_empty_page_in_both_orders(client, query):
    make_article(headline="Harbour toll rises", body="<p>Rise or fall: 100% sure!</p>")
    for params in ({}, {"sort": "newest"}, {"page": 2}, {"sort": "newest", "page": 2}):
        response = search(client, query, **params)
        assert headlines(response) == [], params


def test_a_page_past_the_last_shows_the_last_page(client, settings):
    for number in range(settings.NEWSROOM_PAGE_SIZE + 1):
        make_article(headline=f"Harbour story {number}")
    for params in ({}, {"sort": "newest"}):
        response = search(client, "harbour", page=9, **params)
        assert response.context["page_obj"].number == 2
        assert len(headlines(response)) == 1


def test_empty_query_shows_the_form_without_results(client):
    make_article(headline="Harbour toll rises")
    response = search(client, "")
    assert headlines(response) == []
    assert b'name="q"' in response.content


def test_results_are_paginated_and_pages_keep_the_query(client, settings):
    for number in range(settings.NEWSROOM_PAGE_SIZE + 1):
        make_article(headline=f"Harbour story {number}")
    first = search(client, "harbour")
    assert len(headlines(first)) == settings.NEWSROOM_PAGE_SIZE
    assert 'href="?q=harbour&amp;page=2"' in first.content.decode()
    assert len(headlines(search(client, "harbour", page=2))) == 1


def test_every_match_newest_first_is_counted_without_ranking_them(client, settings):
    for number in range(settings.NEWSROOM_PAGE_SIZE + 3):
        make_article(headline=f"Harbour story {number}")
    with CaptureQueriesContext(connection) as queries:
        response = search(client, "harbour", sort="newest")
    count = next(q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"])
    assert "ORDER BY" not in count
    assert response.context["paginator"].count == settings.NEWSROOM_PAGE_SIZE + 3


def test_newest_first_lists_every_match_by_date(client):
    make_article(headline="Harbour toll rises", publish_at=days_ago(3))
    make_article(headline="Harbour", body="<p>harbour harbour</p>", publish_at=days_ago(9))
    make_article(headline="Ferry strike", body="<p>At the harbour.</p>", publish_at=days_ago(0))
    assert headlines(search(client, "harbour", sort="newest")) == [
        "Ferry strike",
        "Harbour toll rises",
        "Harbour",
    ]


def test_best_match_ranks_the_newest_matches_only(client, monkeypatch):
    monkeypatch.setattr(search_module, "RANKED_MATCHES", 3)
    make_article(headline="Harbour", standfirst="Harbour.", publish_at=days_ago(40))  # best, oldest
    for days in (1, 2, 3):
        make_article(headline=f"Story {days}", body="<p>Harbour.</p>", publish_at=days_ago(days))
    response = search(client, "harbour")
    assert headlines(response) == ["Story 1", "Story 2", "Story 3"]
    html = response.content.decode()
    assert "More than 3 stories match" in html
    assert 'href="?q=harbour&amp;sort=newest"' in html
    assert "Harbour" in headlines(search(client, "harbour", sort="newest"))


def test_best_match_looks_further_back_until_it_has_enough(client, monkeypatch):
    monkeypatch.setattr(search_module, "RANKED_MATCHES", 3)
    for days in (500, 10, 800, 100):
        make_article(headline=f"Harbour {days} days ago", publish_at=days_ago(days))
    with CaptureQueriesContext(connection) as queries:
        response = search(client, "harbour")
    # The last month, then the last year, then the rest: three steps back.
    assert headlines(response) == [f"Harbour {days} days ago" for days in (10, 100, 500)]
    assert "More than 3 stories match" in response.content.decode()
    steps = [q["sql"] for q in queries.captured_queries if "LIMIT" in q["sql"]]
    assert len(steps) == 3


def test_a_narrow_query_finds_old_stories(client):
    make_article(headline="Lighthouse keeper retires", publish_at=days_ago(3000))
    make_article(headline="Harbour toll rises")
    response = search(client, "lighthouse")
    assert headlines(response) == ["Lighthouse keeper retires"]
    assert "1 story found" in response.content.decode()


def test_best_match_pages_say_previous_and_next(client, settings):
    for number in range(settings.NEWSROOM_PAGE_SIZE + 1):
        make_article(headline=f"Harbour story {number}")
    html = search(client, "harbour", page=2).content.decode()
    assert "← Previous" in html and "Newer" not in html


def test_search_page_query_count_is_constant(client, django_assert_max_num_queries):
    for number in range(5):
        place_photo(make_article(headline=f"Harbour story {number}"), role="lead")
    # 8 for the page, 9 for counting the search against the reader's limit in
    # the database cache (production without Redis): the first search of a
    # window creates the counter, and the test's transaction adds savepoints.
    with django_assert_max_num_queries(8 + 9):
        search(client, "harbour")


def test_a_retraction_that_hides_the_body_hides_its_words_and_captions(client):
    story = make_hidden_body_story(headline="Tanker story withdrawn")
    for params in ({}, {"sort": "newest"}):
        assert headlines(search(client, HIDDEN_WORD, **params)) == []
        assert headlines(search(client, "barrels", **params)) == []  # a caption's word
        found = search(client, "tanker", **params)  # in the headline and the body
        assert headlines(found) == [story.headline]
        html = found.content.decode()
        assert HIDDEN_WORD not in html.lower() and '<p class="kicker">Retracted</p>' in html
    story.retraction_hides_body = False
    story.save()
    assert headlines(search(client, HIDDEN_WORD)) == [story.headline]
    assert f"<mark>{HIDDEN_WORD}</mark>" in search(client, HIDDEN_WORD).content.decode()


def test_a_hidden_body_adds_nothing_to_the_rank(client):
    # Both have "tanker" in the headline, standfirst and body; the withdrawn one is newer.
    withdrawn = make_hidden_body_story(headline="Tanker story withdrawn", publish_at=days_ago(1))
    make_article(
        headline="Tanker story live",
        standfirst=withdrawn.standfirst,
        body="<p>The tanker sailed.</p>",
        publish_at=days_ago(2),
    )
    assert headlines(search(client, "tanker")) == ["Tanker story live", "Tanker story withdrawn"]


@on_postgresql
def test_postgresql_websearch_syntax(client):
    make_article(headline="Harbour toll rises")
    make_article(headline="Toll on the harbour road")
    make_article(headline="Ferry strike")
    assert headlines(search(client, '"harbour toll"')) == ["Harbour toll rises"]
    assert sorted(headlines(search(client, "harbour -road"))) == ["Harbour toll rises"]
    assert len(headlines(search(client, "strike or toll"))) == 3


@on_postgresql
def test_postgresql_stems_words(client):
    make_article(headline="Councils vote on budgets")
    assert headlines(search(client, "council budget")) == ["Councils vote on budgets"]


@on_postgresql
def test_postgresql_stored_vector_follows_the_story_and_its_captions(client):
    story = make_article(headline="Quiet day")
    assert headlines(search(client, "lighthouse")) == []
    placement = place_photo(story, make_photo(caption="The old lighthouse."))
    assert headlines(search(client, "lighthouse")) == ["Quiet day"]
    placement.delete()
    assert headlines(search(client, "lighthouse")) == []
    story.headline = "Lighthouse reopens"
    story.save()
    assert headlines(search(client, "lighthouse")) == ["Lighthouse reopens"]


@on_postgresql
def test_postgresql_search_uses_the_gin_index():
    with connection.cursor() as cursor:
        cursor.execute("select indexdef from pg_indexes where indexname = 'article_search_vector'")
        [(definition,)] = cursor.fetchall()
    assert "USING gin (search_vector)" in definition


@on_postgresql
def test_postgresql_migration_refreshes_the_vectors_of_hidden_bodies(client):
    from django.apps import apps

    story = make_hidden_body_story()
    # As a story retracted before this release was stored: body and captions in its vector.
    Article.objects.filter(pk=story.pk).update(
        search_vector=SearchVector("headline", "body", config="english")
    )
    assert headlines(search(client, HIDDEN_WORD)) == [story.headline]
    migration = importlib.import_module("articles.migrations.0013_search_leaves_out_hidden_bodies")
    with connection.schema_editor() as editor:
        migration.refresh_hidden_bodies(apps, editor)
    assert headlines(search(client, HIDDEN_WORD)) == []
    assert headlines(search(client, "tanker")) == [story.headline]
