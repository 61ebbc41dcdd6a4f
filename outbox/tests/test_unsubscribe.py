"""The one-click unsubscribe mechanism, with a topic of the tests' own (apps register theirs)."""

from urllib.parse import urlsplit

import pytest
from django.contrib.sites.models import Site
from django.core import mail, signing
from django.test import Client

from outbox import unsubscribe
from outbox.models import Email
from outbox.services import queue_email

pytestmark = pytest.mark.django_db


@pytest.fixture
def stopped(monkeypatch):
    """A topic "tips" whose stop records who stopped what; unknown ids have nothing to stop."""
    calls = []
    monkeypatch.setitem(
        unsubscribe._topics,
        "tips",
        unsubscribe.Topic(
            describe=lambda user_id, arg: None if user_id == 404 else f"tips about {arg}",
            stop=lambda user_id, arg: calls.append((user_id, arg)),
        ),
    )
    return calls


def path_of(url):
    return urlsplit(url).path


def test_the_link_is_absolute_on_the_sites_domain(stopped):
    Site.objects.filter(pk=Site.objects.get_current().pk).update(domain="news.example.org")
    Site.objects.clear_cache()
    url = unsubscribe.unsubscribe_url(user_id=7, topic="tips:gardening")
    assert url.startswith("https://news.example.org/unsubscribe/")


def test_an_unregistered_topic_cannot_be_linked():
    with pytest.raises(ValueError, match="No app registered"):
        unsubscribe.unsubscribe_url(user_id=7, topic="nonsense")


def test_get_shows_a_button_and_stops_nothing(stopped):
    page = Client().get(path_of(unsubscribe.unsubscribe_url(user_id=7, topic="tips:gardening")))
    assert page.status_code == 200
    html = page.content.decode()
    assert "tips about gardening" in html
    assert 'name="List-Unsubscribe" value="One-Click"' in html
    assert stopped == []


def test_one_click_post_needs_no_login_and_no_csrf_token(stopped):
    url = unsubscribe.unsubscribe_url(user_id=7, topic="tips:gardening")
    client = Client(enforce_csrf_checks=True)
    response = client.post(path_of(url), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    assert stopped == [(7, "gardening")]


def test_a_post_without_the_one_click_body_changes_nothing(stopped):
    url = unsubscribe.unsubscribe_url(user_id=7, topic="tips:gardening")
    response = Client(enforce_csrf_checks=True).post(path_of(url), {})
    assert response.status_code == 400
    assert "List-Unsubscribe=One-Click" in response.content.decode()
    assert stopped == []


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        # Signed for another reader: the signature no longer matches.
        unsubscribe.token_for(user_id=7, topic="tips:gardening").replace("Wzcs", "Wzgs", 1),
        # Signed with another salt (another of the site's signed values).
        signing.Signer(salt="other").sign_object([7, "tips:x"]),
    ],
)
def test_a_tampered_link_is_refused_with_a_clear_message(stopped, token):
    for method in ("get", "post"):
        response = getattr(Client(enforce_csrf_checks=True), method)(
            f"/unsubscribe/{token}/", {"List-Unsubscribe": "One-Click"} if method == "post" else {}
        )
        assert response.status_code == 400
        assert "damaged; nothing was changed" in response.content.decode()
    assert stopped == []


def test_a_link_for_something_gone_or_unknown_is_refused(stopped):
    gone = unsubscribe.unsubscribe_url(user_id=404, topic="tips:gardening")
    unknown = f"/unsubscribe/{unsubscribe.token_for(user_id=7, topic='retired')}/"
    assert "no longer exists" in Client().get(path_of(gone)).content.decode()
    response = Client().post(unknown, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 400
    assert "an email we no longer send" in response.content.decode()
    assert stopped == []


def test_the_headers_are_stored_and_sent(stopped, django_capture_on_commit_callbacks):
    url = unsubscribe.unsubscribe_url(user_id=7, topic="tips:gardening")
    message = unsubscribe.stoppable_email(
        subject="Tips",
        body="Water early.",
        from_email="desk@example.org",
        to="r@example.org",
        unsubscribe=url,
    )
    with django_capture_on_commit_callbacks(execute=True):
        queue_email(message=message, key="tips-1")
    stored = Email.objects.get(key="tips-1")
    assert stored.headers["List-Unsubscribe"] == f"<{url}>"
    [sent] = mail.outbox
    assert sent.message()["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
