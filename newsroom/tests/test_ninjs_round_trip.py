"""A story exported as ninjs and imported again comes back as it left."""

import pytest

from articles.models import Article, Author, Tag
from distribution.ninjs import export_article
from newsroom.tests.ninjs import ferry_story, run_import, serving_wire, write
from photos.models import Photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    return ferry_story()


def test_round_trip_export_import_export(story, tmp_path, settings):
    with serving_wire(tmp_path, settings) as (folder, base):

        def absolute(path):
            return f"{base}{path}"

        first = export_article(Article.objects.for_detail().get(pk=story.pk), absolute=absolute)
        (folder / "media").symlink_to(settings.MEDIA_ROOT)
        source = write(tmp_path, "story.json", first)
        # An empty site: no stories, photos, people or topics (sections stay: they are the site's).
        section_slug = story.section.slug
        Article.objects.all().delete()
        Photo.objects.all().delete()
        Author.objects.all().delete()
        Tag.objects.all().delete()

        lines, _, failure = run_import(source, publish=True, section=section_slug)
        assert failure is None, lines
        second = export_article(Article.objects.for_detail().get(), absolute=absolute)

        for key in ["headlines", "bodies", "by", "infoSources", "language", "firstCreated"]:
            assert second[key] == first[key], key
        assert [s["name"] for s in second["subjects"]] == [s["name"] for s in first["subjects"]]
        assert [a["descriptions"] for a in second["associations"]] == [
            a["descriptions"] for a in first["associations"]
        ]
        assert [a["name"] for a in second["associations"]] == ["lead", "inline1"]
