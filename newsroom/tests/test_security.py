"""Security settings and headers, and the rate limits readers meet."""

import secrets

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from articles.tests.factories import make_article
from discussion.models import CommentReport
from discussion.tests.factories import add_comment, make_reader, post_through_form

from .html import Elements
from .test_settings import run_manage

# The production environment the README documents, with throwaway secrets.
DOCUMENTED_PRODUCTION = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "news.example.org",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://news.example.org",
    "DJANGO_SECURE_PROXY_SSL_HEADER": "1",
    "DJANGO_SECURE_SSL_REDIRECT": "1",
    "DJANGO_HSTS_SECONDS": "31536000",
    "DJANGO_HSTS_INCLUDE_SUBDOMAINS": "1",
    "DJANGO_HSTS_PRELOAD": "1",
}


def test_deploy_check_is_clean_with_the_documented_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **DOCUMENTED_PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_public_pages_send_security_headers_without_inline_scripts(client):
    story = make_article()
    for url in ["/", story.get_absolute_url()]:
        response = client.get(url)
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response["X-Frame-Options"] == "DENY"
        assert "geolocation=()" in response["Permissions-Policy"]
        html = response.content.decode()
        # Public pages carry no inline script that a strict policy would have to allow:
        # scripts are files of our own (the story page's Edit link), JSON-LD is data.
        for script in Elements(html).by_tag("script"):
            attrs = script["attrs"]
            assert attrs.get("type") == "application/ld+json" or (
                attrs.get("src", "").startswith(settings.STATIC_URL) and not script["text"]
            ), script


@pytest.mark.django_db
def test_commenting_too_fast_gets_a_429_and_stores_nothing_more(client):
    reader = make_reader(status="trusted")
    client.force_login(reader)
    story = make_article()
    statuses = [post_through_form(client, story, f"Comment {n}").status_code for n in range(6)]
    assert statuses[:5] == [302] * 5
    assert statuses[5] == 429
    response = post_through_form(client, story, "One more")
    assert "Too many comments in a short time" in response.content.decode()
    story.refresh_from_db()
    assert story.comment_count == 5


@pytest.mark.django_db
def test_reporting_too_often_is_limited():
    comments = [add_comment(make_article(), make_reader(status="trusted")) for _ in range(11)]
    client = Client()
    client.force_login(make_reader())
    statuses = [
        client.post(reverse("commenting:report", args=[c.pk]), {"reason": "spam"}).status_code
        for c in comments
    ]
    assert statuses[:10] == [302] * 10 and statuses[10] == 429
    assert CommentReport.objects.count() == 10


@pytest.mark.django_db
def test_searching_too_often_from_one_address_is_limited(client):
    statuses = [client.get("/search/", {"q": f"harbour {n}"}).status_code for n in range(31)]
    assert statuses[:30] == [200] * 30
    assert statuses[30] == 429
    assert client.get("/search/").status_code == 200  # the empty search page is not counted
