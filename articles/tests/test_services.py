from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection
from django.utils import timezone

from articles.models import Article, Author
from articles.services import publish_article, save_author, unpublish_article
from imaging.tests.images import photo_bytes

from .factories import make_article, make_author, make_photo, make_staff, place_photo

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


@contextmanager
def database_refusing_writes():
    """The database refuses every write, as a full disk or a demoted primary makes it."""
    read_only = {
        "sqlite": ("PRAGMA query_only = ON", "PRAGMA query_only = OFF"),
        # The test's transaction ends read only; it is rolled back all the same.
        "postgresql": ("SET TRANSACTION READ ONLY", None),
    }[connection.vendor]
    with connection.cursor() as cursor:
        cursor.execute(read_only[0])
    try:
        yield
    finally:
        if read_only[1]:
            with connection.cursor() as cursor:
                cursor.execute(read_only[1])


def media_files(settings):
    root = settings.MEDIA_ROOT
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_a_portrait_that_is_no_photo_is_refused_and_nothing_is_written(settings):
    author = make_author()
    author.portrait = SimpleUploadedFile("face.jpg", b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    with pytest.raises(ValidationError) as refused:
        save_author(author=author)
    assert "SVG drawing" in refused.value.messages[0]
    assert media_files(settings) == []


def test_a_failed_save_deletes_the_new_portrait_and_keeps_the_old(settings):
    author = make_author()
    author.portrait = SimpleUploadedFile("old.jpg", photo_bytes(500, 500))
    save_author(author=author)
    old = author.portrait.name
    author.portrait = SimpleUploadedFile("new.jpg", photo_bytes(600, 400, colour=(1, 2, 3)))
    with database_refusing_writes(), pytest.raises(DatabaseError):
        save_author(author=author)
    assert media_files(settings) == [old]
    assert Author.objects.get().portrait.name == old
