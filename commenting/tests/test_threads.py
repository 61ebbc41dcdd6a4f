import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles.tests.factories import make_article
from commenting.threads import THREADS_PER_PAGE, discussion_page
from discussion.models import CommentModeration
from discussion.tests.factories import add_comment, make_reader

pytestmark = pytest.mark.django_db


@pytest.fixture
def trusted():
    return make_reader(status="trusted", display_name="Trusted")


def texts(entries):
    return [(e.comment.comment, e.depth) for e in entries]


def test_threads_read_in_order_with_depth(trusted):
    story = make_article()
    first = add_comment(story, trusted, "First")
    second = add_comment(story, trusted, "Second")
    reply = add_comment(story, trusted, "Reply to first", parent=first)
    add_comment(story, trusted, "Reply to reply", parent=reply)
    add_comment(story, trusted, "Reply to second", parent=second)
    _, entries = discussion_page(article=story, user=AnonymousUser())
    assert texts(entries) == [
        ("First", 0),
        ("Reply to first", 1),
        ("Reply to reply", 2),
        ("Second", 0),
        ("Reply to second", 1),
    ]
    _, newest = discussion_page(article=story, user=AnonymousUser(), order="newest")
    assert [t for t, _ in texts(newest)][:2] == ["Second", "Reply to second"]


def test_hidden_comments_stay_as_placeholders_only_when_replies_show(trusted):
    story = make_article()
    parent = add_comment(story, trusted, "Parent")
    add_comment(story, trusted, "Visible reply", parent=parent)
    lonely = add_comment(story, trusted, "Removed, no replies")
    for comment in (parent, lonely):
        CommentModeration.objects.filter(comment=comment).update(state="removed")
    _, entries = discussion_page(article=story, user=AnonymousUser())
    assert [(e.comment.comment, e.shown) for e in entries] == [
        ("Parent", False),
        ("Visible reply", True),
    ]
    html = Client().get(story.get_absolute_url()).content.decode()
    assert "This comment is not shown." in html
    assert "Parent" not in html.split('id="comments"')[1]


def test_pending_comments_show_only_to_their_author(trusted):
    story = make_article()
    newcomer = make_reader()
    add_comment(story, newcomer, "My first words")
    _, for_author = discussion_page(article=story, user=newcomer)
    assert [(e.comment.comment, e.own_pending) for e in for_author] == [("My first words", True)]
    _, for_others = discussion_page(article=story, user=trusted)
    assert for_others == []


def test_pages_hold_whole_threads(trusted):
    story = make_article()
    for n in range(THREADS_PER_PAGE + 3):
        top = add_comment(story, trusted, f"Thread {n}")
        add_comment(story, trusted, f"Reply in {n}", parent=top)
    page, entries = discussion_page(article=story, user=AnonymousUser())
    assert page.paginator.num_pages == 2
    assert len(entries) == THREADS_PER_PAGE * 2
    _, rest = discussion_page(article=story, user=AnonymousUser(), page=2)
    assert texts(rest) == [(f"Thread {n}", 0) if i % 2 == 0 else (f"Reply in {n}", 1)
                           for n in range(THREADS_PER_PAGE, THREADS_PER_PAGE + 3)
                           for i in range(2)]  # fmt: skip
    html = Client().get(story.get_absolute_url() + "?cpage=2").content.decode()
    assert "Thread 22" in html and "Thread 0<" not in html


def count_queries(client, url):
    caches["pages"].clear()  # the render is measured, not the page cache
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("logged_in", [False, True])
def test_story_page_queries_do_not_grow_with_comments(trusted, logged_in):
    few, many = make_article(), make_article()
    add_comment(few, trusted, "Only one")
    readers = [make_reader(status="trusted") for _ in range(20)]
    for n in range(200):
        parent = add_comment(many, readers[n % 20], f"Comment {n}")
        if n % 3 == 0:
            add_comment(many, readers[(n + 1) % 20], f"Reply {n}", parent=parent)
    client = Client()
    if logged_in:
        client.force_login(make_reader())
    client.get(few.get_absolute_url())  # warm per-process caches (content types, site)
    small = count_queries(client, few.get_absolute_url())
    large = count_queries(client, many.get_absolute_url())
    assert small == large
    # Anonymous: the page cache's generation, the story (6), navigation, policy,
    # thread numbers, comments and Editors' picks. Signed in skips the page cache
    # and adds the session, the user, their profile, their email status and
    # whether they follow the story.
    assert large <= (16 if logged_in else 12)
