"""Readers recommend each other's comments (issue 17): the rules, the page, the count, the sort."""

import re
import threading

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_comments_xtd.models import XtdComment
from playwright.sync_api import expect

from articles.tests.factories import make_article
from commenting.services import (
    CommentRefused,
    RecommendationRefused,
    recommend_comment,
    withdraw_recommendation,
)
from commenting.threads import THREADS_PER_PAGE, discussion_page
from discussion.models import CommentModeration, Recommendation
from discussion.services import moderate_comment
from discussion.tests.factories import add_comment, make_moderator, make_reader
from newsroom.tests.browser import (
    DESKTOP,
    MOBILE,
    axe_check,
    axe_context,
    blocking_violations,
    log_in,
    make_discussed_story,
    report,
    screenshot,
)
from newsroom.tests.forms import form_fields
from newsroom.tests.html import Elements

from .test_browser import tab_to

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def author():
    return make_reader(status="trusted", display_name="Harbour pilot")


@pytest.fixture
def story():
    return make_article()


@pytest.fixture
def comment(story, author):
    return add_comment(story, author, "Four on a night lift was never enough.")


@pytest.fixture
def reader():
    return make_reader(display_name="Quayside neighbour")


def stored_count(comment):
    return CommentModeration.objects.get(comment=comment).recommendations


def by_id(doc, element_id):
    return next((e for e in doc.found if e["attrs"].get("id") == element_id), None)


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def recommend_url(comment):
    return reverse("commenting:recommend", args=[comment.pk])


# The services.


def test_a_reader_recommends_and_withdraws_and_the_stored_count_follows(comment, reader):
    other = make_reader()
    assert recommend_comment(comment=comment, reader=reader) == 1
    assert recommend_comment(comment=comment, reader=other) == 2
    assert stored_count(comment) == 2
    assert withdraw_recommendation(comment=comment, reader=reader) == 1
    assert list(Recommendation.objects.values_list("reader", flat=True)) == [other.pk]
    assert stored_count(comment) == 1


def test_recommending_twice_is_refused_and_counts_once(comment, reader):
    """The second request counts, then breaks the one-per-reader constraint (as the
    loser of two requests at once would): its transaction takes the count back."""
    recommend_comment(comment=comment, reader=reader)
    with pytest.raises(RecommendationRefused, match="already recommend"):
        recommend_comment(comment=comment, reader=reader)
    assert (stored_count(comment), Recommendation.objects.count()) == (1, 1)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two connections at once: the SQLite test database is one in-memory file",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_requests_at_once_count_once(comment, reader):
    """Two recommendations by one reader racing in two connections: one counts."""
    start = threading.Barrier(2)
    outcomes = []

    def press():
        start.wait()
        try:
            outcomes.append(recommend_comment(comment=comment, reader=reader))
        except RecommendationRefused as refusal:
            outcomes.append(str(refusal))
        finally:
            connection.close()

    pressing = [threading.Thread(target=press) for _ in range(2)]
    for thread in pressing:
        thread.start()
    for thread in pressing:
        thread.join()
    assert sorted(outcomes, key=str) == [1, "You already recommend this comment."]
    assert (stored_count(comment), Recommendation.objects.count()) == (1, 1)


def test_withdrawing_what_one_never_recommended_is_refused(comment, reader):
    with pytest.raises(RecommendationRefused, match="do not recommend"):
        withdraw_recommendation(comment=comment, reader=reader)
    assert stored_count(comment) == 0


def test_ones_own_comment_cannot_be_recommended(comment, author):
    with pytest.raises(RecommendationRefused, match="your own comment"):
        recommend_comment(comment=comment, reader=author)
    assert (stored_count(comment), Recommendation.objects.count()) == (0, 0)


@pytest.mark.parametrize("state", ["pending", "removed"])
def test_only_a_published_comment_can_be_recommended(comment, reader, state):
    moderate_comment(comment=comment, state=state, by=make_moderator())
    with pytest.raises(RecommendationRefused, match="no longer shown"):
        recommend_comment(comment=comment, reader=reader)
    assert (stored_count(comment), Recommendation.objects.count()) == (0, 0)


@pytest.mark.parametrize(
    ("standing", "refusal"),
    [
        ({"status": "banned"}, "can no longer comment"),
        (
            {"status": "suspended", "suspended_until": timezone.now() + timezone.timedelta(days=2)},
            "can comment again after",
        ),
        ({"verified": False}, "Confirm your email address"),
    ],
)
def test_readers_who_may_not_take_part_cannot_recommend(comment, standing, refusal):
    with pytest.raises(CommentRefused, match=refusal):
        recommend_comment(comment=comment, reader=make_reader(**standing))
    assert stored_count(comment) == 0


def test_a_reader_whose_standing_changed_can_still_withdraw(comment, reader):
    recommend_comment(comment=comment, reader=reader)
    reader.reader.status = "banned"
    reader.reader.save()
    assert withdraw_recommendation(comment=comment, reader=reader) == 0


# The view, as a plain form and as the script sends it.


def test_the_form_recommends_and_comes_back_to_the_comment_with_a_message(story, comment, reader):
    client = signed_in(reader)
    page = client.get(story.get_absolute_url() + "?comments=newest")
    action, fields = form_fields(page.content.decode(), f"recommend-{comment.pk}")
    assert fields["action"] == "recommend"
    response = client.post(action, fields)
    assert response["Location"] == f"{story.get_absolute_url()}?comments=newest#c{comment.pk}"
    after = Elements(client.get(response["Location"]).content.decode())
    assert "You recommend the comment by Harbour pilot." in after.text
    button = after.first_inside(by_id(after, f"recommend-{comment.pk}"), after.by_tag("button"))
    assert button["attrs"]["aria-pressed"] == "true"
    assert "1 recommendation" in by_id(after, f"c{comment.pk}")["text"]

    again = client.get(story.get_absolute_url()).content.decode()
    _, fields = form_fields(again, f"recommend-{comment.pk}")
    assert fields["action"] == "withdraw"
    client.post(action, fields)
    assert stored_count(comment) == 0


def test_the_script_gets_the_new_state_and_count_as_json(comment, reader):
    client = signed_in(reader)
    response = client.post(recommend_url(comment), {"action": "recommend"}, **JSON)
    assert response.json() == {"recommended": True, "count": 1, "label": "1 recommendation"}
    signed_in(make_reader()).post(recommend_url(comment), {"action": "recommend"}, **JSON)
    response = client.post(recommend_url(comment), {"action": "withdraw"}, **JSON)
    assert response.json() == {"recommended": False, "count": 1, "label": "1 recommendation"}


def test_a_refusal_by_fetch_is_a_409_with_the_reason(comment, author, reader):
    client = signed_in(reader)
    client.post(recommend_url(comment), {"action": "recommend"}, **JSON)
    twice = client.post(recommend_url(comment), {"action": "recommend"}, **JSON)
    assert twice.status_code == 409
    assert twice.json() == {"error": "You already recommend this comment."}
    own = signed_in(author).post(recommend_url(comment), {"action": "recommend"}, **JSON)
    assert (own.status_code, own.json()) == (
        409,
        {"error": "You cannot recommend your own comment."},
    )
    assert stored_count(comment) == 1


def test_a_refusal_by_form_is_a_message_at_the_story(story, comment, author):
    client = signed_in(author)
    response = client.post(recommend_url(comment), {"action": "recommend"})
    assert response["Location"] == f"{story.get_absolute_url()}#c{comment.pk}"
    assert "You cannot recommend your own comment." in client.get(response["Location"]).text


@pytest.mark.parametrize("next_url", ["https://elsewhere.example/", "/accounts/comments/"])
def test_the_way_back_leads_only_to_the_story(story, comment, reader, next_url):
    response = signed_in(reader).post(
        recommend_url(comment), {"action": "recommend", "next": next_url}
    )
    assert response["Location"] == f"{story.get_absolute_url()}#c{comment.pk}"


def test_an_unknown_action_is_a_400_and_changes_nothing(comment, reader):
    response = signed_in(reader).post(recommend_url(comment), {"action": "toggle"})
    assert response.status_code == 400
    assert stored_count(comment) == 0


def test_a_comment_under_a_story_the_reader_cannot_open_is_a_404(reader):
    draft = make_article(status="draft")
    hidden = add_comment(draft, make_reader(status="trusted"))
    assert signed_in(reader).post(recommend_url(hidden), {"action": "recommend"}).status_code == 404
    assert stored_count(hidden) == 0


def test_anonymous_readers_are_sent_to_log_in(comment):
    response = Client().post(recommend_url(comment), {"action": "recommend"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert stored_count(comment) == 0


@pytest.mark.parametrize("token", [None, "forged" * 8])
def test_a_recommendation_without_the_right_csrf_token_is_refused(story, comment, reader, token):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    client.get(story.get_absolute_url())
    data = {"action": "recommend", **({"csrfmiddlewaretoken": token} if token else {})}
    assert client.post(recommend_url(comment), data).status_code == 403
    assert stored_count(comment) == 0


def test_recommending_too_fast_is_a_429_by_form_and_by_fetch(settings, story, reader):
    settings.NEWSROOM_RATE_LIMITS = {
        **settings.NEWSROOM_RATE_LIMITS,
        "recommend": [("user", 2, 60)],
    }
    comments = [add_comment(story, make_reader(status="trusted")) for _ in range(4)]
    client = signed_in(reader)
    statuses = [
        client.post(recommend_url(c), {"action": "recommend"}, **JSON).status_code
        for c in comments[:3]
    ]
    assert statuses == [200, 200, 429]
    refused = client.post(recommend_url(comments[3]), {"action": "recommend"})
    assert refused.status_code == 429 and "Too many recommendations" in refused.text
    assert [stored_count(c) for c in comments] == [1, 1, 0, 0]


# The thread.


def test_each_comment_shows_its_count_and_a_button_naming_its_author(story, comment, reader):
    mine = add_comment(story, reader, "My own view.")
    moderate_comment(comment=mine, state="published", by=make_moderator())
    for voter in (make_reader(), make_reader(), make_reader()):
        recommend_comment(comment=comment, reader=voter)
    recommend_comment(comment=mine, reader=make_reader())
    page = Elements(signed_in(reader).get(story.get_absolute_url()).content.decode())
    form = by_id(page, f"recommend-{comment.pk}")
    button = page.first_inside(form, page.by_tag("button"))
    assert " ".join(button["text"].split()) == "Recommend the comment by Harbour pilot"
    assert button["attrs"]["aria-pressed"] == "false"
    assert "3 recommendations" in form["text"]
    # One's own comment shows its count, with nothing to press.
    assert by_id(page, f"recommend-{mine.pk}") is None
    assert "1 recommendation" in by_id(page, f"c{mine.pk}")["text"]


def test_anonymous_readers_see_counts_and_no_button(story, comment):
    recommend_comment(comment=comment, reader=make_reader())
    page = Elements(Client().get(story.get_absolute_url()).content.decode())
    assert not [f for f in page.by_tag("form") if f["attrs"].get("data-recommend") is not None]
    assert "1 recommendation" in by_id(page, f"c{comment.pk}")["text"]


def test_the_cached_anonymous_page_shows_the_new_count_at_once(story, comment, reader):
    first = Client().get(story.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"
    assert Client().get(story.get_absolute_url())["X-Page-Cache"] == "hit"
    recommend_comment(comment=comment, reader=reader)
    after = Client().get(story.get_absolute_url())
    assert after["X-Page-Cache"] == "miss"
    assert "1 recommendation" in by_id(Elements(after.content.decode()), f"c{comment.pk}")["text"]
    withdraw_recommendation(comment=comment, reader=reader)
    page = Elements(Client().get(story.get_absolute_url()).content.decode())
    assert "recommendation" not in by_id(page, f"c{comment.pk}")["text"]


def test_a_recommendation_leaves_the_lists_cached(story, comment, reader):
    Client().get("/")
    recommend_comment(comment=comment, reader=reader)
    assert Client().get("/")["X-Page-Cache"] == "hit"


def test_which_comments_the_reader_recommends_costs_no_query_per_comment(
    story, reader, django_assert_num_queries
):
    trusted = make_reader(status="trusted")
    comments = [add_comment(story, trusted, f"Comment {n}") for n in range(6)]
    for comment in comments[::2]:
        recommend_comment(comment=comment, reader=reader)
    with django_assert_num_queries(2):
        _, entries = discussion_page(article=story, user=reader)
    assert [e.recommended for e in entries] == [True, False] * 3
    _, anonymous = discussion_page(article=story, user=AnonymousUser())
    assert not any(e.recommended for e in anonymous)


# Most recommended first.


def recommend_times(comment, times):
    for _ in range(times):
        recommend_comment(comment=comment, reader=make_reader())


def test_most_recommended_orders_threads_by_their_first_comment_ties_oldest_first(story):
    trusted = make_reader(status="trusted")
    quiet, popular, tied, also_tied = (
        add_comment(story, trusted, text) for text in ("Quiet", "Popular", "Tied", "Also tied")
    )
    # A much-recommended reply does not lift its thread: the first comment is what is seen first.
    recommend_times(add_comment(story, trusted, "Loud reply", parent=quiet), 5)
    recommend_times(popular, 3)
    recommend_times(tied, 1)
    recommend_times(also_tied, 1)
    _, entries = discussion_page(article=story, user=AnonymousUser(), order="recommended")
    assert [e.comment.comment for e in entries] == [
        "Popular",
        "Tied",
        "Also tied",
        "Quiet",
        "Loud reply",
    ]


def test_a_removed_first_comment_counts_for_nothing_in_the_sort(story):
    trusted = make_reader(status="trusted")
    hidden, plain = add_comment(story, trusted, "Hidden"), add_comment(story, trusted, "Plain")
    add_comment(story, trusted, "Reply kept", parent=hidden)
    recommend_times(hidden, 2)
    recommend_times(plain, 1)
    moderate_comment(comment=hidden, state="removed", by=make_moderator())
    _, entries = discussion_page(article=story, user=AnonymousUser(), order="recommended")
    assert [(e.comment.comment, e.shown) for e in entries] == [
        ("Plain", True),
        ("Hidden", False),
        ("Reply kept", True),
    ]


def test_most_recommended_pages_through_whole_threads(story):
    trusted = make_reader(status="trusted")
    tops = []
    for n in range(THREADS_PER_PAGE + 2):
        tops.append(add_comment(story, trusted, f"Thread {n}"))
        add_comment(story, trusted, f"Reply in {n}", parent=tops[-1])
    recommend_times(tops[-1], 2)
    recommend_times(tops[0], 1)
    _, entries = discussion_page(article=story, user=AnonymousUser(), order="recommended")
    last = THREADS_PER_PAGE + 1
    assert [e.comment.comment for e in entries][:4] == [
        f"Thread {last}",
        f"Reply in {last}",
        "Thread 0",
        "Reply in 0",
    ]
    assert len(entries) == THREADS_PER_PAGE * 2
    _, rest = discussion_page(article=story, user=AnonymousUser(), order="recommended", page=2)
    assert [e.comment.comment for e in rest] == [
        f"Thread {THREADS_PER_PAGE - 1}",
        f"Reply in {THREADS_PER_PAGE - 1}",
        f"Thread {THREADS_PER_PAGE}",
        f"Reply in {THREADS_PER_PAGE}",
    ]


def test_the_sort_control_offers_three_orders_and_the_cached_page_keeps_the_choice(story, comment):
    recommend_times(comment, 1)
    page = Elements(Client().get(story.get_absolute_url()).content.decode())
    control = page.by_class("discussion__order")[0]
    links = [a["attrs"]["href"] for a in page.inside(control) if a["tag"] == "a"]
    assert links == ["?comments=newest#comments", "?comments=recommended#comments"]
    assert " ".join(control["text"].split()) == (
        "Show: Oldest first · Newest first · Most recommended"
    )
    sorted_page = Elements(
        Client().get(story.get_absolute_url() + "?comments=recommended").content.decode()
    )
    chosen = sorted_page.by_class("discussion__order")[0]
    assert [e["text"] for e in sorted_page.inside(chosen) if e["tag"] == "strong"] == [
        "Most recommended"
    ]


# In a real browser: the keyboard alone, no reload, the sort, and axe-core.


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_reader_recommends_by_keyboard_without_a_reload_and_sorts_by_it(
    browser, live_server, artifacts
):
    story = make_discussed_story()
    first = XtdComment.objects.get(comment="Four on a night lift was never enough.")
    later = XtdComment.objects.get(comment="Who pays the crews while they are out?")
    reader = make_reader(display_name="Keys only", email="keys@example.org", status="trusted")
    page = browser.new_page(viewport=DESKTOP)
    page.set_default_timeout(10_000)
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)
    log_in(page, live_server.url, reader.email, "a-long-passphrase")
    page.goto(live_server.url + story.get_absolute_url())
    page.evaluate("window.notReloaded = true")
    steps = []

    button = page.locator(f"#recommend-{later.pk} button")
    tab_to(page, lambda f: f["tag"] == "button" and f["comment"] == f"c{later.pk}", steps)
    expect(button).to_be_focused()
    expect(button).to_have_accessible_name("Recommend the comment by Quayside neighbour")
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(page.locator(f"#recommend-{later.pk} [data-count]")).to_have_text("1 recommendation")
    assert stored_count(later) == 1
    page.keyboard.press("Space")  # the focus stayed on the button: press again to take it back
    expect(button).to_have_attribute("aria-pressed", "false")
    expect(page.locator(f"#recommend-{later.pk} [data-count]")).to_have_text("")
    assert stored_count(later) == 0
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("window.notReloaded"), "the page reloaded"
    steps.append(f"Enter, Space, Enter on the button: #{later.pk} counts {stored_count(later)}")
    screenshot(page, artifacts / "recommended.png")

    tab_to(page, lambda f: f["text"] == "Most recommended", steps, key="Shift+Tab")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"\?comments=recommended#comments$"))
    order = page.locator(".comments > li.comment--depth-0")
    expect(order.first).to_have_id(f"c{later.pk}")
    expect(order.nth(1)).to_have_id(f"c{first.pk}")
    expect(page.locator(f"#recommend-{later.pk} button")).to_have_attribute("aria-pressed", "true")
    steps.append(
        f"sorted by most recommended: {[order.nth(n).get_attribute('id') for n in (0, 1)]}"
    )
    assert blocked == [], blocked
    report(artifacts, "recommend-keyboard.txt", steps)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_discussion_with_recommendations_passes_axe(browser, live_server, artifacts):
    story = make_discussed_story()
    later = XtdComment.objects.get(comment="Who pays the crews while they are out?")
    reader = make_reader(display_name="Mei on the quay", email="mei@example.org")
    recommend_comment(comment=later, reader=reader)
    found = []
    for who in ("anonymous", "reader"):
        for width, viewport in (("desktop 1280", DESKTOP), ("mobile 390", MOBILE)):
            page = axe_context(browser, viewport).new_page()
            if who == "reader":
                log_in(page, live_server.url, reader.email, "a-long-passphrase")
            page.goto(live_server.url + story.get_absolute_url() + "?comments=recommended")
            expect(page.locator(f"#c{later.pk}")).to_contain_text("1 recommendation")
            result = axe_check(page)
            blocking = blocking_violations(result)
            found.append(
                f"{who}, {width}: {result['passed']} axe rules passed, blocking: {blocking}"
            )
            assert result["passed"] >= 20 and not blocking, blocking
            page.context.close()
    report(artifacts, "recommend-axe.txt", found)
