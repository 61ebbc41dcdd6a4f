"""Logging in to the desk with a password and an authenticator app, as an editor would.

Codes are computed here from the secret the setup page shows, with a small
RFC 6238 implementation of our own, at a frozen clock moved on between codes
(a code is accepted once per 30-second step).
"""

import base64
import hashlib
import hmac
import re
import struct
import time
from datetime import UTC, datetime

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

PASSWORD = "a-long-desk-passphrase"
DESK = "/admin/"


def totp(secret: str, at: float, digits: int = 6) -> str:
    """The code an authenticator app shows at Unix time `at` (RFC 6238, SHA-1, 30 s)."""
    key = base64.b32decode(secret, casefold=True)
    digest = hmac.new(key, struct.pack(">Q", int(at // 30)), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = int.from_bytes(digest[offset : offset + 4], "big") & 0x7FFFFFFF
    return f"{value % 10**digits:0{digits}d}"


@pytest.fixture
def clock():
    with time_machine.travel(datetime(2026, 11, 27, 9, 0, 5, tzinfo=UTC), tick=False) as traveller:
        yield traveller


def make_staff(email, group):
    user = get_user_model().objects.create_user(
        username=email, email=email, password=PASSWORD, is_staff=True
    )
    user.groups.add(Group.objects.get(name=group))
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def log_in_with_password(client, user, next_url=DESK):
    return client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD, "next": next_url}
    )


def enter_code(client, code):
    return client.post(reverse("mfa_authenticate"), {"code": code})


def enrol(client, clock):
    """Turns on an authenticator app through the setup page; returns secret and recovery codes."""
    activate = reverse("mfa_activate_totp")
    # allauth asks for the password again before it changes how the account logs in.
    asked = client.get(activate)
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    confirmed = client.post(
        reverse("account_reauthenticate"), {"password": PASSWORD, "next": activate}
    )
    assert confirmed["Location"] == activate
    page = client.get(activate)
    assert page.status_code == 200
    secret = page.context["form"].secret
    # The secret the editor types into the app is on the page, next to the QR code.
    assert re.search(rf'<code id="totp-secret">{secret}</code>', page.content.decode())
    assert 'src="data:image/svg+xml;base64,' in page.content.decode()
    clock.shift(30)
    response = client.post(reverse("mfa_activate_totp"), {"code": totp(secret, time.time())})
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    codes = client.get(reverse("mfa_view_recovery_codes")).context["unused_codes"]
    return secret, list(codes)


def page_text(response):
    return response.content.decode()
