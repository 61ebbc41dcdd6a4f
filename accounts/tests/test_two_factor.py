"""Two-factor authentication for the desk, through allauth's real views."""

import base64
import time

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.tests.two_factor import (
    DESK,
    PASSWORD,
    enrol,
    enter_code,
    log_in_with_password,
    make_staff,
    page_text,
    totp,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolled(client, clock):
    """An editor who has turned on an authenticator app, and logged out again."""
    editor = make_staff("ed@example.org", "Editors")
    log_in_with_password(client, editor)
    secret, recovery_codes = enrol(client, clock)
    client.post(reverse("account_logout"))
    return editor, secret, recovery_codes


def test_our_code_function_matches_the_rfc_6238_test_vectors():
    secret = base64.b32encode(b"12345678901234567890").decode()
    vectors = {59: "94287082", 1111111109: "07081804", 2000000000: "69279037"}
    found = {at: totp(secret, at, digits=8) for at in vectors}
    print(f"RFC 6238 SHA-1 vectors: expected {vectors}, computed {found}")
    assert found == vectors


def test_admin_login_goes_through_allauth_keeping_the_page_asked_for(client):
    response = client.get("/admin/articles/article/")
    assert response["Location"] == "/admin/login/?next=/admin/articles/article/"
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Farticles%2Farticle%2F"
    # The admin's own password form is gone: posting to it logs nobody in.
    editor = make_staff("ed@example.org", "Editors")
    response = client.post("/admin/login/", {"username": editor.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_editor_enrols_then_needs_the_code_and_a_wrong_one_is_refused(client, clock):
    editor = make_staff("ed@example.org", "Editors")
    assert log_in_with_password(client, editor)["Location"] == DESK
    secret, recovery_codes = enrol(client, clock)
    print(f"enrolled: secret of {len(secret)} base32 chars, {len(recovery_codes)} recovery codes")
    assert Authenticator.objects.filter(user=editor, type="totp").exists()
    assert len(recovery_codes) == 10
    client.post(reverse("account_logout"))

    response = log_in_with_password(client, editor)
    assert response["Location"] == reverse("mfa_authenticate")
    # Between the password and the code the editor is not signed in.
    desk = client.get(DESK)
    assert desk.status_code == 302 and desk["Location"].startswith("/admin/login/")
    page = client.get(reverse("mfa_authenticate"))
    assert "Enter the six-digit code" in page_text(page)

    clock.shift(30)
    right = totp(secret, time.time())
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    refused = enter_code(client, wrong)
    print(f"wrong code {wrong}: HTTP {refused.status_code}; right code {right} next")
    assert refused.status_code == 200
    assert "Incorrect code." in page_text(refused)
    assert client.get(DESK).status_code == 302

    accepted = enter_code(client, right)
    assert accepted.status_code == 302 and accepted["Location"] == DESK
    desk = client.get(DESK)
    print(f"desk after the right code: HTTP {desk.status_code}")
    assert desk.status_code == 200
    assert int(client.session["_auth_user_id"]) == editor.pk


def test_a_code_is_accepted_once(client, clock, enrolled):
    editor, secret, _ = enrolled
    clock.shift(30)
    code = totp(secret, time.time())
    log_in_with_password(client, editor)
    assert enter_code(client, code)["Location"] == DESK
    client.post(reverse("account_logout"))
    # Someone who watched the code being typed cannot replay it within its 30 seconds.
    log_in_with_password(client, editor)
    replay = enter_code(client, code)
    print(f"replayed code {code} in the same step: HTTP {replay.status_code}")
    assert "Incorrect code." in page_text(replay)


def test_a_recovery_code_works_once_and_only_once(client, enrolled):
    editor, _, recovery_codes = enrolled
    log_in_with_password(client, editor)
    first = enter_code(client, recovery_codes[0])
    assert first["Location"] == DESK and client.get(DESK).status_code == 200
    client.post(reverse("account_logout"))

    log_in_with_password(client, editor)
    again = enter_code(client, recovery_codes[0])
    print(
        f"recovery code first use: HTTP {first.status_code}; second use: HTTP {again.status_code}"
    )
    assert "Incorrect code." in page_text(again)
    assert client.get(DESK).status_code == 302
    # The other nine still work.
    assert enter_code(client, recovery_codes[1])["Location"] == DESK


def test_guessing_codes_is_limited_even_the_right_one_is_then_refused(client, clock, enrolled):
    editor, secret, _ = enrolled
    log_in_with_password(client, editor)
    clock.shift(30)
    right = totp(secret, time.time())
    guesses = [f"{(int(right) + n) % 1_000_000:06d}" for n in range(1, 7)]
    answers = [page_text(enter_code(client, guess)) for guess in guesses]
    limited = ["Too many failed login attempts" in answer for answer in answers]
    print(f"{len(guesses)} wrong codes; limited after each: {limited}")
    assert limited == [False] * 5 + [True]
    assert "Too many failed login attempts" in page_text(enter_code(client, right))
    assert client.get(DESK).status_code == 302


def test_login_rate_limits_are_configured(settings):
    limits = settings.ACCOUNT_RATE_LIMITS
    print(f"allauth rate limits: {limits}")
    assert limits["login_failed"] == "10/m/ip,5/5m/key"
    assert limits["login"] == "30/m/ip"
    assert limits["reset_password"] == "20/m/ip,5/m/key"


def test_required_groups_send_an_editor_to_setup_until_enrolled(client, clock, settings):
    settings.NEWSROOM_REQUIRE_2FA_GROUPS = ["Editors", "Moderators"]
    editor = make_staff("ed@example.org", "Editors")
    log_in_with_password(client, editor)
    tried = {}
    for path in [DESK, "/admin/articles/article/", "/admin/articles/article/add/"]:
        response = client.get(path)
        tried[path] = (response.status_code, response.get("Location"))
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")
    print(f"editor without 2FA: {tried}")
    setup = client.get(reverse("mfa_activate_totp"), follow=True)
    assert "Your role needs two-factor authentication" in page_text(setup)
    # The public site stays open meanwhile.
    assert client.get("/").status_code == 200
    enrol(client, clock)
    assert client.get(DESK).status_code == 200
    assert client.get("/admin/articles/article/").status_code == 200
    assert client.post("/admin/logout/").status_code == 200


def test_the_admin_can_remove_a_lost_authenticator(client, enrolled):
    editor, _, _ = enrolled
    admin = get_user_model().objects.create_superuser("boss", "boss@example.org", PASSWORD)
    totp_row = Authenticator.objects.get(user=editor, type="totp")
    client.force_login(admin)
    url = reverse("admin:mfa_authenticator_delete", args=[totp_row.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Authenticator.objects.filter(user=editor, type="totp").exists()
    client.post(reverse("account_logout"))
    # Without an authenticator app the password alone lets the editor in again.
    assert log_in_with_password(client, editor)["Location"] == DESK
