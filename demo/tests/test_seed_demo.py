import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles.models import Article, Author, Citation, Correction, PhotoPlacement, Section
from demo.stories import STORIES
from photos.models import Photo
from photos.tests.factories import run_jobs

pytestmark = pytest.mark.django_db


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Article, Section, Author, Photo, PhotoPlacement, Citation, Correction)
    }


def seed_and_run_jobs():
    """seed_demo, and the photos' renditions jobs a worker runs after it."""
    with run_jobs():
        call_command("seed_demo", verbosity=0)


def test_seeds_a_dozen_published_stories_with_photos_sources_and_a_correction(settings):
    seed_and_run_jobs()
    assert len(STORIES) == 12
    assert Article.objects.published().count() == 12
    assert Section.objects.count() >= 5
    photos = Photo.objects.all()
    assert photos.count() >= 5
    for photo in photos:
        assert photo.caption and photo.credit and photo.alt_text
        assert (photo.width, photo.height) == (1600, 1000)
        assert (settings.PHOTO_ORIGINALS_ROOT / photo.image.name).is_file()
        widths = {r["width"] for r in photo.renditions if r["crop"] == "full"}
        assert widths == {480, 800, 1200, 1600}
        for rendition in photo.renditions:
            assert (settings.MEDIA_ROOT / rendition["name"]).is_file()
    assert Citation.objects.count() >= 5
    assert Correction.objects.exists()
    assert Article.objects.published().lead_story().featured


def test_running_twice_adds_nothing(settings):
    seed_and_run_jobs()
    first = counts()
    files = sorted(p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file())
    seed_and_run_jobs()
    assert counts() == first
    assert sorted(p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()) == files


def test_articles_option_adds_synthetic_stories_idempotently():
    call_command("seed_demo", articles=40, verbosity=0)
    assert Article.objects.published().count() == 40
    call_command("seed_demo", articles=45, verbosity=0)
    assert Article.objects.published().count() == 45
    synthetic = Article.objects.filter(slug__startswith="synthetic-story-")
    assert synthetic.count() == 33
    assert not synthetic.filter(bylines__isnull=True).exists()
    # Hand-written stories stay on top of the front page.
    assert not Article.objects.published().newest_first()[0].slug.startswith("synthetic")


def test_synthetic_stories_render(client):
    call_command("seed_demo", articles=14, verbosity=0)
    story = Article.objects.filter(slug__startswith="synthetic-story-").first()
    assert client.get(story.get_absolute_url()).status_code == 200


def test_negative_article_count_is_refused():
    with pytest.raises(CommandError, match="zero or more"):
        call_command("seed_demo", articles=-1, verbosity=0)


def test_demo_lead_story_has_a_threaded_discussion(client):
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    lead = Article.objects.get(slug=STORIES[0]["slug"])
    lead.refresh_from_db()
    assert lead.comment_count == 4
    html = client.get(lead.get_absolute_url()).content.decode()
    assert "Quay Regular" in html and "comment--depth-2" in html


def test_stories_made_in_bulk_by_seed_demo_are_found(client):
    # bulk_create skips save(): on PostgreSQL the command fills the vectors itself.
    call_command("seed_demo", articles=len(STORIES) + 2, verbosity=0)
    response = client.get(reverse("articles:search"), {"q": "synthetic demo set"})
    assert response.status_code == 200
    assert len(response.context["articles"]) == 2
