"""Finding published stories by words: PostgreSQL full-text search, or a plain SQLite fallback.

PostgreSQL: each story keeps a stored, GIN-indexed `search_vector` with the
headline (weight A), standfirst (B), body (C) and photo captions (D); a query
is parsed with `websearch_to_tsquery` (quotes, `or`, `-word`), which accepts
any input without a syntax error, and ranked with `ts_rank`.

SQLite (development and tests): every word must appear somewhere, matched
with `icontains`; a match in the headline outranks one in the standfirst,
then the body, then a caption. See README ("Search") for why not FTS5.

Best match ranks the newest RANKED_MATCHES matching stories, not every
match: they are looked for among the last month's stories first, then the
last year's, and only then in the whole archive. A broad query ("election")
so touches recent stories only, and its cost stays the same however large
the archive grows, while a narrow one has few matches to rank anywhere.
Newest first pages through every match.
"""

import html
import re
from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connection
from django.db.models import (
    Case,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.functional import cached_property
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
RANKED_MATCHES = 100
# Each step back covers the time before the previous one; None is the rest.
LOOK_BACK = (timedelta(days=30), timedelta(days=365), None)


def uses_full_text_search() -> bool:
    return connection.vendor == "postgresql"


def clean_query(text: str) -> str:
    """The reader's input, trimmed to a sane length, without characters databases reject."""
    return text.replace("\x00", " ").strip()[:MAX_QUERY_LENGTH]


def terms_of(text: str) -> list[str]:
    """The words of a query, without operators or quotes (for the fallback and highlighting)."""
    words = re.findall(r"\w+", text)
    return [word for word in words if word.lower() not in {"or", "and", "not"}][:MAX_TERMS]


def search_vector(placement_model, *, body_hidden):
    """The weighted document of a story: what readers can read of it.

    Stories matching `body_hidden` (Article.BODY_HIDDEN) are found by their
    headline and standfirst only. `placement_model` lets migrations pass theirs.
    """
    captions = (
        placement_model.objects.filter(article=OuterRef("pk"))
        .values("article")
        .annotate(
            text=StringAgg(Coalesce(NullIf("caption_override", Value("")), "photo__caption"), " ")
        )
        .values("text")
    )

    def readable(text):
        return Case(When(body_hidden, then=Value("")), default=text, output_field=TextField())

    config = settings.NEWSROOM_SEARCH_CONFIG
    return (
        SearchVector("headline", weight="A", config=config)
        + SearchVector("standfirst", weight="B", config=config)
        + SearchVector(readable(F("body")), weight="C", config=config)
        + SearchVector(readable(Subquery(captions)), weight="D", config=config)
    )


def full_text_matches(articles, text):
    """The stories matching `text`, each with its `rank` (unordered)."""
    query = _tsquery(text)
    return articles.filter(search_vector=query).annotate(rank=SearchRank(F("search_vector"), query))


def with_excerpts(articles, text):
    """Each story with a `search_headline`: the body excerpt around the matches."""
    if not uses_full_text_search():
        return articles  # snippet() marks the words in Python
    plain_body = Func(
        F("body"), Value("<[^>]+>"), Value(" "), Value("g"), function="regexp_replace"
    )
    return articles.annotate(
        search_headline=SearchHeadline(
            plain_body,
            _tsquery(text),
            config=settings.NEWSROOM_SEARCH_CONFIG,
            start_sel=MARK_START,
            stop_sel=MARK_END,
            max_words=SNIPPET_WORDS,
            min_words=SNIPPET_WORDS // 2,
        )
    )


def _tsquery(text):
    return SearchQuery(text, search_type="websearch", config=settings.NEWSROOM_SEARCH_CONFIG)


class BestMatches(Sequence):
    """A query's results, best match first, as a paginator pages through them.

    One query ranks the newest RANKED_MATCHES matches (their ids and ranks
    only); the stories of the page shown are then loaded, with excerpts,
    from `stories`. `more` tells whether older matches were left unranked.
    """

    def __init__(self, matches, stories, text):
        self.matches, self.stories, self.text = matches, stories, text

    @cached_property
    def _ranked(self):
        wanted = RANKED_MATCHES + 1  # one more, to know whether there are more
        now, newest, searched_back_to = timezone.now(), [], None
        for distance in LOOK_BACK:
            rows = self.matches
            if searched_back_to is not None:
                rows = rows.filter(publish_at__lt=searched_back_to)
            if distance is not None:
                searched_back_to = now - distance
                rows = rows.filter(publish_at__gte=searched_back_to)
            rows = rows.order_by("-publish_at", "-id").values_list("pk", "rank")
            newest += rows[: wanted - len(newest)]
            if len(newest) == wanted:
                break
        # A stable sort: equal ranks stay newest first.
        ranked = sorted(newest[:RANKED_MATCHES], key=lambda row: -row[1])
        return [pk for pk, _ in ranked], len(newest) == wanted

    @property
    def more(self):
        return self._ranked[1]

    def __len__(self):
        return len(self._ranked[0])

    def __getitem__(self, index):
        ids = self._ranked[0]
        if isinstance(index, slice):
            return self._load(ids[index])
        return self._load([ids[index]])[0]

    def __iter__(self):
        return iter(self[:])

    def _load(self, ids):
        loaded = with_excerpts(self.stories, self.text).in_bulk(ids)
        return [loaded[pk] for pk in ids]


def substring_matches(articles, text, placement_model, *, body_hidden):
    """The stories containing every word of `text` in what readers can read of them
    (see search_vector), each with its `rank` (unordered)."""
    terms = terms_of(text)
    if not terms:
        # Only punctuation or operators: nothing matches, ranked like any match.
        return articles.none().annotate(rank=Value(0))
    rank = Value(0)
    for term in terms:
        caption_match = Exists(
            placement_model.objects.filter(
                Q(caption_override__icontains=term) | Q(photo__caption__icontains=term),
                article=OuterRef("pk"),
            )
        )
        places = [
            (Q(headline__icontains=term), WEIGHTS["headline"]),
            (Q(standfirst__icontains=term), WEIGHTS["standfirst"]),
            (~body_hidden & Q(body__icontains=term), WEIGHTS["body"]),
            (~body_hidden & caption_match, CAPTION_WEIGHT),
        ]
        anywhere = Q()
        for matches, weight in places:
            anywhere |= matches
            rank += Case(When(matches, then=Value(weight)), default=0, output_field=IntegerField())
        articles = articles.filter(anywhere)
    return articles.annotate(rank=rank)


def snippet(article, text) -> str:
    """A safe HTML excerpt of the story's body with the query's words in <mark>."""
    if not article.shows_body:
        return ""
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
