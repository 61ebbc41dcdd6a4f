"""Two-factor authentication for the desk, on stories and for readers."""

import pytest
from asgiref.sync import async_to_sync
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.two_factor import DESK, enrol, log_in_with_password, make_staff, page_text
from articles.models import Article
from articles.tests.factories import make_article
from discussion.tests.factories import make_reader

pytestmark = pytest.mark.django_db


def test_a_signed_in_reader_gets_a_clear_refusal_at_the_desk_not_a_loop(client):
    reader = make_reader()
    client.force_login(reader)
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 403
    assert "This account has no access to the desk." in page_text(response)


def test_until_enrolled_a_required_member_has_no_staff_rights_anywhere(client, clock, settings):
    settings.NEWSROOM_REQUIRE_2FA_GROUPS = ["Editors"]
    editor = make_staff("ed@example.org", "Editors")
    colleague = make_staff("rep@example.org", "Reporters")
    drafts = {
        "a colleague's": make_article(status=Article.Status.DRAFT, created_by=colleague),
        "their own": make_article(status=Article.Status.DRAFT, created_by=editor),
    }
    log_in_with_password(client, editor)
    before = {whose: client.get(d.get_absolute_url()).status_code for whose, d in drafts.items()}
    print(f"editor without 2FA opens drafts: {before}")
    # Drafts show only to people with rights on the story, and they have none yet.
    assert before == {"a colleague's": 404, "their own": 404}
    assert not editor.has_perm("articles.change_article")
    assert not async_to_sync(editor.ahas_perm)("articles.change_article")
    assert editor.get_all_permissions() == set()
    enrol(client, clock)
    after = {whose: client.get(d.get_absolute_url()).status_code for whose, d in drafts.items()}
    print(f"after enrolling: {after}")
    assert after == {"a colleague's": 200, "their own": 200}
    assert get_user_model().objects.get(pk=editor.pk).has_perm("articles.publish_article")


def test_a_superuser_who_must_enrol_is_sent_to_setup_from_every_page(client, clock, settings):
    # A superuser's rights come with the account, not from permissions that can be withheld.
    settings.NEWSROOM_REQUIRE_2FA_GROUPS = ["Editors"]
    boss = make_staff("boss@example.org", "Editors")
    boss.is_superuser = True
    boss.save()
    draft = make_article(status=Article.Status.DRAFT)
    log_in_with_password(client, boss)
    for path in ["/", draft.get_absolute_url(), DESK]:
        response = client.get(path)
        assert (response.status_code, response["Location"]) == (302, reverse("mfa_activate_totp"))
    assert client.get(reverse("account_logout")).status_code == 200
    enrol(client, clock)
    assert client.get("/").status_code == 200
    assert client.get(draft.get_absolute_url()).status_code == 200
    assert client.get(DESK).status_code == 200


def test_the_requirement_costs_one_query_per_request(client, clock, settings):
    settings.NEWSROOM_REQUIRE_2FA_GROUPS = ["Editors"]
    editor = make_staff("ed@example.org", "Editors")
    draft = make_article(status=Article.Status.DRAFT)
    log_in_with_password(client, editor)

    def requirement_queries(path):
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        return sum("mfa_authenticator" in query["sql"] for query in queries)

    pages = [draft.get_absolute_url(), DESK, "/admin/articles/article/"]
    waiting = {path: requirement_queries(path) for path in pages}
    enrol(client, clock)
    enrolled = {path: requirement_queries(path) for path in pages}
    print(f"queries on the authenticator table, before: {waiting}, after enrolling: {enrolled}")
    assert set(waiting.values()) == set(enrolled.values()) == {1}


def test_required_groups_leave_other_staff_and_readers_alone(client, settings):
    settings.NEWSROOM_REQUIRE_2FA_GROUPS = ["Editors"]
    reporter = make_staff("rep@example.org", "Reporters")
    log_in_with_password(client, reporter)
    assert client.get(DESK).status_code == 200
    client.post(reverse("account_logout"))

    reader = make_reader()
    client.force_login(reader)
    assert client.get("/").status_code == 200
    assert client.get(reverse("mfa_index")).status_code == 200
    desk = client.get(DESK)
    print(f"reader at the desk: HTTP {desk.status_code} → {desk.get('Location')}")
    assert desk["Location"].startswith("/admin/login/")
