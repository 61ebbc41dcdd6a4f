from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles.models import Article
from articles.services import publish_article, unpublish_article

from .factories import make_article, make_photo, make_staff, place_photo

pytestmark = pytest.mark.django_db


def test_publish_makes_a_draft_live_now():
    article = make_article(status=Article.Status.DRAFT)
    publish_article(article=article, by=make_staff())
    assert Article.objects.published().filter(pk=article.pk).exists()


def test_publish_with_a_future_time_schedules():
    article = make_article(status=Article.Status.DRAFT)
    at = timezone.now() + timedelta(days=1)
    publish_article(article=article, at=at, by=make_staff())
    article.refresh_from_db()
    assert article.publish_at == at
    assert not Article.objects.published().filter(pk=article.pk).exists()
    assert Article.objects.scheduled_or_published().filter(pk=article.pk).exists()


def test_publish_refuses_a_photo_without_alt_text_and_changes_nothing():
    article = make_article(status=Article.Status.DRAFT)
    place_photo(article, make_photo(alt_text="", title="Harbour at dusk"))
    with pytest.raises(ValidationError) as caught:
        publish_article(article=article, by=make_staff())
    assert "“Harbour at dusk” has no alt text" in caught.value.messages[0]
    assert article.status == Article.Status.DRAFT
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert article.publish_at is None


def test_publish_reports_every_problem_at_once():
    article = make_article(status=Article.Status.DRAFT, section=None, body="")
    place_photo(article, make_photo(alt_text=""))
    with pytest.raises(ValidationError) as caught:
        publish_article(article=article, by=make_staff())
    assert len(caught.value.messages) == 3


def test_unpublish_takes_the_story_off_the_site_and_keeps_its_history():
    article = make_article()
    first = article.first_published_at
    unpublish_article(article=article, by=make_staff())
    article.refresh_from_db()
    assert article.status == Article.Status.UNPUBLISHED
    assert article.first_published_at == first
    assert not Article.objects.published().exists()
