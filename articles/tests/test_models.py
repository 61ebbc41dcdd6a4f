from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.forms import modelform_factory
from django.utils import timezone

from articles.models import Article, Citation, PhotoPlacement

from .factories import (
    make_article,
    make_author,
    make_citation,
    make_correction,
    make_photo,
    make_section,
    make_staff,
    place_photo,
)

pytestmark = pytest.mark.django_db


def errors_of(instance):
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


class TestArticleValidation:
    def test_headline_cannot_be_empty_or_spaces(self):
        for headline in ["", "   "]:
            article = Article(headline=headline, slug="a-story")
            assert "headline" in errors_of(article)

    def test_bad_slug_is_refused_with_a_message(self):
        article = Article(headline="A story", slug="Not a slug!")
        assert "slug" in errors_of(article)

    def test_a_draft_needs_neither_section_nor_body(self):
        Article(headline="Working title", slug="working-title").full_clean()

    def test_publishing_needs_a_section_and_a_body(self):
        article = Article(
            headline="A story", slug="a-story", status=Article.Status.PUBLISHED, body="<p> </p>"
        )
        errors = errors_of(article)
        assert errors["section"] == ["Choose a section before publishing."]
        assert errors["body"] == ["A story needs a body before it can be published."]

    def test_slug_is_unique(self):
        make_article(slug="taken")
        assert "slug" in errors_of(Article(headline="Other", slug="taken"))


class TestArticleSave:
    def test_body_is_sanitized_on_save_keeping_the_text(self):
        article = make_article(
            body='<p onmouseover="x()">Safe <a href="javascript:evil()">words</a></p>'
            "<script>bad()</script>"
        )
        article.refresh_from_db()
        assert article.body == '<p>Safe <a rel="noopener noreferrer">words</a></p>'

    def test_publishing_without_a_time_publishes_now_and_records_first_publication(self):
        before = timezone.now()
        article = make_article(status=Article.Status.PUBLISHED, publish_at=None)
        assert before <= article.publish_at <= timezone.now()
        assert article.first_published_at == article.publish_at

    def test_first_publication_time_survives_republishing(self):
        article = make_article()
        first = article.first_published_at
        article.status = Article.Status.UNPUBLISHED
        article.save()
        article.status = Article.Status.PUBLISHED
        article.publish_at = timezone.now()
        article.save()
        assert article.first_published_at == first

    def test_updated_time_shows_only_when_after_publication(self):
        article = make_article()
        assert not article.shows_updated
        article.updated_at = article.publish_at + timedelta(hours=2)
        assert article.shows_updated
        article.updated_at = article.publish_at - timedelta(hours=2)
        assert not article.shows_updated

    def test_last_modified_is_the_shown_update_else_the_publish_time(self):
        article = make_article()
        article.updated_at = article.publish_at - timedelta(hours=2)
        assert article.last_modified == article.publish_at
        article.updated_at = article.publish_at + timedelta(hours=2)
        assert article.last_modified == article.updated_at

    def test_byline_names_follow_the_byline_order(self):
        article = make_article(authors=[make_author(name="Tom Hale"), make_author(name="Lin Mei")])
        assert article.byline_names() == "Tom Hale, Lin Mei"
        assert make_article().byline_names() == ""


class TestArticleQuerySet:
    def test_published_means_released_and_due(self):
        now = timezone.now()
        live = make_article(publish_at=now - timedelta(minutes=1))
        make_article(publish_at=now + timedelta(hours=1))  # scheduled
        make_article(status=Article.Status.DRAFT)
        make_article(status=Article.Status.IN_REVIEW)
        make_article(status=Article.Status.UNPUBLISHED, publish_at=now - timedelta(days=1))
        assert list(Article.objects.published()) == [live]
        assert Article.objects.scheduled_or_published().count() == 2

    def test_visible_to_shows_drafts_only_to_editors(self, django_user_model):
        draft = make_article(status=Article.Status.DRAFT)
        reader = django_user_model.objects.create_user("reader", password="x")
        editor = django_user_model.objects.create_user("editor", password="x", is_staff=True)
        editor.user_permissions.add(_permission("publish_article"))
        desk = django_user_model.objects.create_user("desk", password="x", is_staff=True)
        desk.user_permissions.add(_permission("change_article"), _permission("view_article"))
        assert draft not in Article.objects.visible_to(reader)
        assert draft not in Article.objects.visible_to(desk)
        assert draft in Article.objects.visible_to(editor)

    def test_visible_to_adds_a_reporters_own_stories_once(self):
        reporter = make_staff("Reporters")
        started = make_article(status=Article.Status.DRAFT, created_by=reporter)
        bylined = make_article(
            status=Article.Status.IN_REVIEW, authors=[make_author(user=reporter), make_author()]
        )
        live = make_article()
        make_article(status=Article.Status.DRAFT)
        visible = Article.objects.visible_to(reporter)
        assert sorted(visible.values_list("pk", flat=True)) == [started.pk, bylined.pk, live.pk]
        assert list(visible.filter(pk=bylined.pk)) == [bylined]

    def test_lead_story_prefers_the_newest_featured_story(self):
        now = timezone.now()
        featured = make_article(featured=True, publish_at=now - timedelta(hours=5))
        make_article(publish_at=now - timedelta(hours=1))
        assert Article.objects.published().lead_story() == featured

    def test_lead_story_falls_back_to_the_newest(self):
        now = timezone.now()
        make_article(publish_at=now - timedelta(hours=5))
        newest = make_article(publish_at=now - timedelta(hours=1))
        assert Article.objects.published().lead_story() == newest

    def test_latest_per_section_keeps_the_newest_n_of_each_section(self):
        now = timezone.now()
        world, science = make_section(position=0), make_section(position=1)
        world_stories = [
            make_article(section=world, publish_at=now - timedelta(hours=h)) for h in range(1, 6)
        ]
        science_story = make_article(section=science)
        result = list(Article.objects.published().latest_per_section(3))
        assert result == [*world_stories[:3], science_story]

    def test_next_release_is_the_next_scheduled_story_or_embargo_lift(self):
        now = timezone.now()
        assert Article.objects.next_release() is None
        make_article(status=Article.Status.DRAFT, publish_at=now + timedelta(minutes=5))
        make_article(publish_at=now + timedelta(hours=3))
        assert Article.objects.next_release() == now + timedelta(hours=3)
        make_article(embargo_until=now + timedelta(hours=1))
        assert Article.objects.next_release() == now + timedelta(hours=1)

    def test_scheduled_embargoed_and_retracted_are_what_the_desk_labels_them(self):
        now = timezone.now()
        scheduled = make_article(publish_at=now + timedelta(hours=2))
        held_after = make_article(
            publish_at=now + timedelta(hours=1), embargo_until=now + timedelta(hours=3)
        )
        embargoed = make_article(embargo_until=now + timedelta(hours=1))
        retracted = make_article(status=Article.Status.RETRACTED, retraction_note="Wrong.")
        make_article()
        make_article(embargo_until=now - timedelta(minutes=1))
        make_article(status=Article.Status.DRAFT, publish_at=now + timedelta(hours=1))
        made = {
            "Scheduled": set(Article.objects.scheduled()),
            "Embargoed": set(Article.objects.embargoed()),
            "Retracted": set(Article.objects.retracted()),
        }
        assert made == {
            "Scheduled": {scheduled, held_after},
            "Embargoed": {embargoed},
            "Retracted": {retracted},
        }
        for label, stories in made.items():
            assert {story.state_label for story in stories} == {label}

    def test_a_story_goes_live_at_its_publish_time_or_when_a_later_embargo_lifts(self):
        now = timezone.now()
        assert Article(publish_at=None).goes_live_at is None
        assert Article(publish_at=now).goes_live_at == now
        later = now + timedelta(hours=2)
        assert Article(publish_at=now, embargo_until=later).goes_live_at == later
        assert Article(publish_at=later, embargo_until=now).goes_live_at == later

    def test_latest_per_section_among_the_newest_leaves_quiet_sections_out(self):
        now = timezone.now()
        busy, quiet = make_section(position=0), make_section(position=1)
        make_article(section=quiet, publish_at=now - timedelta(days=30))
        recent = [
            make_article(section=busy, publish_at=now - timedelta(hours=h)) for h in range(1, 4)
        ]
        result = list(Article.objects.published().latest_per_section(2, among=3))
        assert result == recent[:2]

    def test_an_authors_listed_stories_are_their_bylined_ones(self):
        author = make_author()
        story = make_article(authors=[author])
        make_article()
        assert list(author.listed_stories()) == [story]


class TestBodyWithPhotos:
    def test_inline_photos_follow_their_paragraph(self):
        article = make_article(body="<p>One</p><p>Two</p><p>Three</p>")
        second = place_photo(article, after_block=2)
        late = place_photo(article, after_block=99)
        unplaced = place_photo(article)
        place_photo(article, role=PhotoPlacement.Role.LEAD)
        segments = Article.objects.for_detail().get(pk=article.pk).body_segments()
        assert [s.html for s in segments] == ["<p>One</p>", "<p>Two</p>", "<p>Three</p>"]
        assert [s.photos for s in segments] == [[], [second], [late, unplaced]]

    def test_a_photo_placed_at_0_opens_the_body_above_its_first_paragraph(self, client):
        article = make_article(body="<p>One</p><p>Two</p>")
        opening = place_photo(article, make_photo(caption="Above it all."), after_block=0)
        after_first = place_photo(article, after_block=1)
        segments = Article.objects.for_detail().get(pk=article.pk).body_segments()
        assert [(s.html, s.photos) for s in segments] == [
            ("", [opening]),
            ("<p>One</p>", [after_first]),
            ("<p>Two</p>", []),
        ]
        html = client.get(article.get_absolute_url()).content.decode()
        body = html[html.index('class="story__body"') :]
        assert body.index("Above it all.") < body.index("<p>One</p>")

    def test_photos_still_show_when_the_body_is_empty(self):
        article = make_article(status=Article.Status.DRAFT, body="")
        photo = place_photo(article, after_block=1)
        assert article.body_segments()[0].photos == [photo]


class TestPhotoPlacement:
    def test_only_one_lead_photo_per_story(self):
        article = make_article()
        place_photo(article, role=PhotoPlacement.Role.LEAD)
        with pytest.raises(IntegrityError):
            place_photo(article, role=PhotoPlacement.Role.LEAD)

    def test_photo_without_alt_text_cannot_be_placed_in_a_published_story(self):
        article = make_article()
        placement = PhotoPlacement(article=article, photo=make_photo(alt_text=""))
        assert "has no alt text" in errors_of(placement)["photo"][0]

    def test_photo_without_alt_text_can_be_placed_in_a_draft(self):
        article = make_article(status=Article.Status.DRAFT)
        PhotoPlacement(article=article, photo=make_photo(alt_text="")).full_clean()

    @pytest.mark.parametrize("place", [0, 2])
    def test_lead_photo_takes_no_paragraph_number(self, place):
        placement = PhotoPlacement(
            article=make_article(), photo=make_photo(), role="lead", after_block=place
        )
        assert errors_of(placement)["after_block"] == [
            "The lead photo sits above the story; leave this empty."
        ]

    def test_caption_override_wins_over_the_library_caption(self):
        placement = place_photo(make_article(), make_photo(caption="Library caption"))
        assert placement.caption == "Library caption"
        placement.caption_override = "For this story"
        assert placement.caption == "For this story"


class TestCitationAndCorrection:
    @pytest.mark.parametrize(
        "url", ["not a url", "javascript:alert(1)", "ftp://files.example.org/x", "example.org"]
    )
    def test_citation_urls_must_be_web_addresses(self, url):
        citation = Citation(article=make_article(), outlet="Outlet", title="Title", url=url)
        assert "url" in errors_of(citation)
        citation.url = "https://example.org/ok"
        citation.archive_url = url
        assert "archive_url" in errors_of(citation)

    @pytest.mark.parametrize(
        "url",
        [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "data:text/html;base64,PHNjcmlwdD4=",
            "vbscript:msgbox(1)",
        ],
    )
    def test_script_and_data_addresses_are_refused_with_a_clear_message(self, url):
        """In the desk's citation form and in model validation alike, saying what is accepted."""
        message = "Enter a web address starting with http:// or https://."
        article = make_article()
        citation = Citation(article=article, outlet="Outlet", title="Title", url=url)
        assert errors_of(citation)["url"] == [message]
        form = modelform_factory(Citation, fields=["article", "outlet", "title", "url"])(
            data={"article": article.pk, "outlet": "Outlet", "title": "Title", "url": url}
        )
        assert not form.is_valid()
        assert form.errors["url"] == [message]
        assert not Citation.objects.exists()

    def test_citation_needs_outlet_and_title(self):
        citation = Citation(article=make_article(), outlet=" ", title="", url="https://a.example")
        assert {"outlet", "title"} <= set(errors_of(citation))

    def test_citations_keep_their_order(self):
        article = make_article()
        second = make_citation(article, position=2)
        first = make_citation(article, position=1)
        assert list(article.citations.all()) == [first, second]

    def test_corrections_are_in_date_order(self):
        article = make_article()
        now = timezone.now()
        later = make_correction(article, published_at=now)
        earlier = make_correction(article, published_at=now - timedelta(days=1))
        assert list(article.corrections.all()) == [earlier, later]


def _permission(codename):
    from django.contrib.auth.models import Permission

    return Permission.objects.get(codename=codename, content_type__app_label="articles")
