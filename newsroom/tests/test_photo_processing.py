"""Readers never see a broken image: a photo whose renditions are still being made.

Until its job has listed a set, a placed photo shows as its caption and credit
without a picture on the story page, and is left out of cards, link previews,
feeds, JSON-LD and the ninjs export; once the set is listed, every one of them
shows it (through the page cache, which hears of the job's save).
"""

import json
import re
from datetime import timedelta

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus

from articles.models import PhotoPlacement
from articles.tests.factories import make_article, make_section, place_photo
from imaging.tests.images import photo_bytes, upload
from jobs.models import JobResult
from jobs.services import requeue_abandoned_jobs
from photos.models import Photo
from photos.services import create_photo_from_upload, make_renditions_job
from photos.tests.factories import damage_original, run_jobs

from .html import Elements

pytestmark = pytest.mark.django_db

RENDITIONS = "/media/renditions/"
RENDITION_URL = re.compile(r"/media/(renditions/[^\"'\s<,&]+)")


@pytest.fixture
def processing(django_capture_on_commit_callbacks):
    """A story leading the home page and its section with a photo whose job has not run; the
    callbacks that would enqueue it."""
    with django_capture_on_commit_callbacks() as after_commit:
        photo = create_photo_from_upload(
            file=upload(photo_bytes(1800, 1200)),
            fields={"credit": "Ana Ruiz/Wire", "caption": "Cranes at dawn.", "alt_text": "Cranes."},
        )
    story = make_article(section=make_section(), body="<p>First.</p><p>Second.</p>", featured=True)
    place_photo(story, photo, role=PhotoPlacement.Role.LEAD)
    place_photo(story, photo, after_block=1)
    assert Photo.objects.get().is_processing and not Photo.objects.get().is_ready
    return story, after_commit


def reader_views(client, story):
    """Everything a reader or a machine fetches that could show the photo."""
    urls = {
        "story": story.get_absolute_url(),
        "home": reverse("articles:home"),
        "section": story.section.get_absolute_url(),
        "rss": reverse("distribution:feed-rss"),
        "atom": reverse("distribution:feed-atom"),
        "ninjs": reverse("distribution:ninjs", kwargs={"slug": story.slug}),
    }
    views = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, name
        views[name] = response.content.decode()
    return views


def json_ld_images(html):
    """The images of the page's NewsArticle."""
    blocks = []
    for script in Elements(html).by_tag("script"):
        if script["attrs"].get("type") == "application/ld+json":
            parsed = json.loads(script["text"])
            blocks += parsed if isinstance(parsed, list) else [parsed]
    [article] = [block for block in blocks if block["@type"] == "NewsArticle"]
    return article.get("image", [])


def test_until_its_renditions_exist_a_photo_shows_as_caption_and_credit_only(client, processing):
    story, _ = processing
    assert_caption_and_credit_only(reader_views(client, story))


def test_when_its_renditions_fail_for_good_readers_still_get_caption_and_credit(client, processing):
    story, after_commit = processing
    photo = Photo.objects.get()
    damage_original(photo)
    with run_jobs():
        for callback in after_commit:
            callback()
    photo.refresh_from_db()
    assert photo.renditions_failed and not photo.is_processing and not photo.is_ready
    assert_caption_and_credit_only(reader_views(client, story))


def test_a_renditions_job_that_keeps_killing_its_workers_fails_on_the_photo(
    client, processing, settings
):
    """A worker killed by the job itself (out of memory on a huge original) never reaches
    the job's own error handling; the queue's keeper fails the job and tells the photo."""
    story, after_commit = processing
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    for callback in after_commit:
        callback()
    started = timezone.now() - timedelta(minutes=5)
    JobResult.objects.filter(task_path=make_renditions_job.module_path).update(
        status=TaskResultStatus.RUNNING, worker_ids=["w1", "w2", "w3"], started_at=started
    )

    requeue_abandoned_jobs(lease=timedelta(seconds=30))

    photo = Photo.objects.get()
    assert photo.renditions_failed and not photo.is_processing
    assert photo.rendition_error == "WorkerLost: its worker stopped 3 times while running it"
    assert_caption_and_credit_only(reader_views(client, story))


def assert_caption_and_credit_only(views):
    for name, body in views.items():
        assert RENDITIONS not in body, name
    page = Elements(views["story"])
    figures = page.by_tag("figure")
    assert len(figures) == 2
    for figure in figures:
        assert not [e for e in page.inside(figure) if e["tag"] in ("picture", "img", "source")]
        assert page.first_inside(figure, page.by_class("credit"))["text"] == "Ana Ruiz/Wire"
    assert [page.first_inside(f, page.by_class("caption"))["text"] for f in figures] == [
        "Cranes at dawn.",
        "Cranes at dawn.",
    ]
    assert 'property="og:image"' not in views["story"]
    assert '<meta name="twitter:card" content="summary">' in views["story"]
    assert json_ld_images(views["story"]) == []
    # No empty photo link on a card or the home page's lead.
    for name in ("home", "section"):
        assert "card--with-photo" not in views[name] and "card__photo" not in views[name]
        assert "lead-story__photo" not in views[name]
    for name in ("rss", "atom"):
        [entry] = feedparser.parse(views[name]).entries
        assert entry.enclosures == [] and "media_content" not in entry
    [lead, inline] = json.loads(views["ninjs"])["associations"]
    assert "renditions" not in lead and "renditions" not in inline
    assert {"role": "creditline", "value": "Ana Ruiz/Wire"} in lead["descriptions"]


def test_once_the_job_has_run_every_view_shows_the_picture(client, processing):
    story, after_commit = processing
    reader_views(client, story)  # cached while the photo was processing
    with run_jobs():
        for callback in after_commit:
            callback()
    photo = Photo.objects.get()
    assert photo.is_ready and not photo.is_processing
    views = reader_views(client, story)
    listed = {r["name"] for r in photo.renditions}
    for name, body in views.items():
        shown = set(RENDITION_URL.findall(body))
        assert shown and shown <= listed, name
    page = Elements(views["story"])
    assert len(page.by_tag("picture")) == 2
    assert 'property="og:image"' in views["story"]
    assert len(json_ld_images(views["story"])) == 3
    assert "card--with-photo" in views["section"] and "lead-story__photo" in views["home"]
