"""Finding published stories by words: PostgreSQL full-text search, or a plain SQLite fallback.

PostgreSQL: each story keeps a stored, GIN-indexed `search_vector` with the
headline (weight A), standfirst (B), body (C) and photo captions (D); a query
is parsed with `websearch_to_tsquery` (quotes, `or`, `-word`), which accepts
any input without a syntax error, and ranked with `ts_rank`.

SQLite (development and tests): every word must appear somewhere, matched
with `icontains`; a match in the headline outranks one in the standfirst,
then the body, then a caption. See README ("Search") for why not FTS5.
"""

import html
import re

from django.conf import settings
from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connection
from django.db.models import Case, Exists, F, Func, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

# Longer input is cut: no reader types more, and it bounds the work per query.
MAX_QUERY_LENGTH = 200
MAX_TERMS = 10
SNIPPET_WORDS = 30
# ts_headline marks matches with these; they cannot occur in a story, so the
# snippet can be escaped as text first and the marks turned into <mark> after.
MARK_START, MARK_END = "\ue000", "\ue001"
WEIGHTS = {"headline": 8, "standfirst": 4, "body": 2}
CAPTION_WEIGHT = 1


def uses_full_text_search() -> bool:
    return connection.vendor == "postgresql"


def clean_query(text: str) -> str:
    """The reader's input, trimmed to a sane length, without characters databases reject."""
    return text.replace("\x00", " ").strip()[:MAX_QUERY_LENGTH]


def terms_of(text: str) -> list[str]:
    """The words of a query, without operators or quotes (for the fallback and highlighting)."""
    words = re.findall(r"\w+", text)
    return [word for word in words if word.lower() not in {"or", "and", "not"}][:MAX_TERMS]


def search_vector(placement_model):
    """The weighted document of a story; `placement_model` lets migrations pass theirs."""
    captions = (
        placement_model.objects.filter(article=OuterRef("pk"))
        .values("article")
        .annotate(
            text=StringAgg(Coalesce(NullIf("caption_override", Value("")), "photo__caption"), " ")
        )
        .values("text")
    )
    config = settings.NEWSROOM_SEARCH_CONFIG
    return (
        SearchVector("headline", weight="A", config=config)
        + SearchVector("standfirst", weight="B", config=config)
        + SearchVector("body", weight="C", config=config)
        + SearchVector(Subquery(captions), weight="D", config=config)
    )


def full_text_search(articles, text):
    """Matching stories, best first, each with a `search_headline` (the body excerpt)."""
    query = SearchQuery(text, search_type="websearch", config=settings.NEWSROOM_SEARCH_CONFIG)
    plain_body = Func(
        F("body"), Value("<[^>]+>"), Value(" "), Value("g"), function="regexp_replace"
    )
    return (
        articles.filter(search_vector=query)
        .annotate(
            rank=SearchRank(F("search_vector"), query),
            search_headline=SearchHeadline(
                plain_body,
                query,
                config=settings.NEWSROOM_SEARCH_CONFIG,
                start_sel=MARK_START,
                stop_sel=MARK_END,
                max_words=SNIPPET_WORDS,
                min_words=SNIPPET_WORDS // 2,
            ),
        )
        .order_by("-rank", "-publish_at", "-id")
    )


def substring_search(articles, text, placement_model):
    terms = terms_of(text)
    if not terms:
        return articles.none()
    rank = Value(0)
    for term in terms:
        caption_match = Exists(
            placement_model.objects.filter(
                Q(caption_override__icontains=term) | Q(photo__caption__icontains=term),
                article=OuterRef("pk"),
            )
        )
        anywhere = caption_match
        for field, weight in WEIGHTS.items():
            matches = Q(**{f"{field}__icontains": term})
            anywhere |= matches
            rank += Case(When(matches, then=Value(weight)), default=0, output_field=IntegerField())
        rank += Case(
            When(caption_match, then=Value(CAPTION_WEIGHT)), default=0, output_field=IntegerField()
        )
        articles = articles.filter(anywhere)
    return articles.annotate(rank=rank).order_by("-rank", "-publish_at", "-id")


def snippet(article, text) -> str:
    """A safe HTML excerpt of the story's body with the query's words in <mark>."""
    if hasattr(article, "search_headline"):
        marked = html.unescape(article.search_headline or "")
    else:
        marked = _mark_in_python(html.unescape(strip_tags(article.body)), terms_of(text))
    return mark_safe(
        escape(" ".join(marked.split())).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    )


def _mark_in_python(plain: str, terms: list[str]) -> str:
    words = plain.split()
    if not terms:
        return " ".join(words[:SNIPPET_WORDS])
    pattern = re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)
    first = next((i for i, word in enumerate(words) if pattern.search(word)), 0)
    start = max(0, first - SNIPPET_WORDS // 3)
    window = " ".join(words[start : start + SNIPPET_WORDS])
    return pattern.sub(lambda match: f"{MARK_START}{match.group()}{MARK_END}", window)
