"""The editorial workflow through the admin over HTTP: roles, status, time, versions, previews."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify
from reversion.models import Version

from articles.models import Article, FormerSlug
from articles.previews import preview_path
from articles.services import (
    publish_article,
    schedule_article,
    submit_for_review,
    unpublish_article,
)
from articles.tests.factories import (
    HIDDEN_WORD,
    article_form,
    make_article,
    make_correction,
    make_section,
    make_staff,
)
from newsroom.tests.forms import form_fields

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")


def desk_for(user):
    client = Client()
    client.force_login(user)
    return client


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def edit_data(client, article, **changes):
    """The change form's fields as the browser would send them back, with changes."""
    _, fields = form_fields(client.get(change_url(article)).content.decode(), "article_form")
    return {**fields, **changes}


@pytest.fixture
def reporter():
    return make_staff("Reporters")


@pytest.fixture
def editor():
    return make_staff("Editors")


class TestPermissionMatrix:
    """Each role against each action, through the admin as people use it."""

    @pytest.mark.parametrize(
        ("role", "expected"),
        [("Reporters", 200), ("Editors", 200), ("Moderators", 403)],
    )
    def test_open_the_story_list(self, role, expected):
        assert desk_for(make_staff(role)).get(CHANGELIST).status_code == expected

    @pytest.mark.parametrize(
        ("role", "status", "created"),
        [
            ("Reporters", "draft", True),
            ("Reporters", "in_review", True),
            ("Reporters", "published", False),
            ("Editors", "published", True),
            ("Moderators", "draft", False),
        ],
    )
    def test_create_a_story(self, role, status, created):
        client = desk_for(make_staff(role))
        response = client.post(
            reverse("admin:articles_article_add"), article_form(make_section(), status=status)
        )
        assert Article.objects.filter(slug="ferry-timetable-cut").exists() == created
        if role == "Reporters" and not created:
            assert "Only editors can publish" in response.content.decode()
        if created:
            assert Article.objects.get().created_by.groups.get().name == role

    def test_reporter_edits_own_draft_but_not_others_or_published(self, reporter):
        own = make_article(status=Article.Status.DRAFT, created_by=reporter)
        others = make_article(status=Article.Status.DRAFT, created_by=make_staff("Reporters"))
        live = make_article(created_by=reporter)
        client = desk_for(reporter)
        client.post(change_url(own), edit_data(client, own, headline="Sharper headline"))
        own.refresh_from_db()
        assert own.headline == "Sharper headline"
        for story in (others, live):
            response = client.post(change_url(story), {"headline": "Defaced"})
            story.refresh_from_db()
            assert story.headline != "Defaced"
            assert response.status_code in (302, 403)

    def test_reporter_opens_a_story_they_may_only_view_read_only(self, reporter):
        live = make_article(headline="Own story, now live", created_by=reporter)
        others = make_article(
            headline="A colleague’s draft",
            status=Article.Status.DRAFT,
            created_by=make_staff("Reporters"),
        )
        client = desk_for(reporter)
        for story in (live, others):
            response = client.get(change_url(story))
            html = response.content.decode()
            assert response.status_code == 200
            assert story.headline in html
            assert 'name="headline"' not in html and 'name="_save"' not in html
            # The form's own inputs are not part of the story: nothing to show.
            assert "Loaded version" not in html and "Substantive update" not in html

    def test_reporter_cannot_publish_by_crafted_post_to_own_draft(self, reporter):
        draft = make_article(status=Article.Status.DRAFT, created_by=reporter)
        client = desk_for(reporter)
        response = client.post(change_url(draft), edit_data(client, draft, status="published"))
        assert "Only editors can publish" in response.content.decode()
        draft.refresh_from_db()
        assert draft.status == Article.Status.DRAFT

    @pytest.mark.parametrize("action", ["publish_selected", "unpublish_selected"])
    def test_reporter_cannot_use_publishing_actions(self, reporter, action):
        draft = make_article(status=Article.Status.IN_REVIEW, created_by=reporter)
        live = make_article()
        client = desk_for(reporter)
        assert action not in client.get(CHANGELIST).content.decode()
        client.post(CHANGELIST, {"action": action, "_selected_action": [draft.pk, live.pk]})
        draft.refresh_from_db()
        live.refresh_from_db()
        assert draft.status == Article.Status.IN_REVIEW
        assert live.status == Article.Status.PUBLISHED

    def test_reporter_submits_for_review(self, reporter):
        draft = make_article(status=Article.Status.DRAFT, created_by=reporter)
        desk_for(reporter).post(
            CHANGELIST, {"action": "submit_selected", "_selected_action": [draft.pk]}
        )
        draft.refresh_from_db()
        assert draft.status == Article.Status.IN_REVIEW

    def test_editor_publishes_and_unpublishes(self, editor):
        story = make_article(status=Article.Status.IN_REVIEW)
        client = desk_for(editor)
        client.post(CHANGELIST, {"action": "publish_selected", "_selected_action": [story.pk]})
        story.refresh_from_db()
        assert story.is_published
        client.post(CHANGELIST, {"action": "unpublish_selected", "_selected_action": [story.pk]})
        story.refresh_from_db()
        assert story.status == Article.Status.UNPUBLISHED

    @pytest.mark.parametrize(
        ("role", "allowed"), [("Reporters", False), ("Editors", True), ("Moderators", False)]
    )
    def test_sections_are_for_editors(self, role, allowed):
        section = make_section(name="World")
        client = desk_for(make_staff(role))
        response = client.post(
            reverse("admin:articles_section_change", args=[section.pk]),
            {"name": "Planet", "slug": section.slug, "position": 0, "description": ""},
        )
        section.refresh_from_db()
        assert (section.name == "Planet") == allowed
        assert response.status_code == (302 if allowed else 403)

    @pytest.mark.parametrize(
        ("role", "allowed"), [("Reporters", False), ("Editors", True), ("Moderators", True)]
    )
    def test_moderators_and_editors_moderate_reporters_do_not(self, role, allowed):
        queue = reverse("admin:django_comments_xtd_xtdcomment_changelist")
        assert (desk_for(make_staff(role)).get(queue).status_code == 200) == allowed


class TestTime:
    def test_scheduled_story_appears_by_itself_everywhere(self, client, editor):
        section = make_section(slug="world")
        start = timezone.now()
        story = make_article(section=section, publish_at=start + timedelta(hours=2))
        pages = ["/", "/section/world/", "/sitemap-articles.xml", "/feed/", "/feed/atom/"]
        with time_machine.travel(start + timedelta(hours=1)):
            assert client.get(story.get_absolute_url()).status_code == 404
            for url in pages:
                assert story.slug not in client.get(url).content.decode()
        with time_machine.travel(start + timedelta(hours=3)):
            assert client.get(story.get_absolute_url()).status_code == 200
            for url in pages:
                assert story.slug in client.get(url).content.decode()

    def test_embargo_keeps_a_published_story_out_until_it_lifts(self, client):
        section = make_section(slug="world")
        start = timezone.now()
        story = make_article(section=section, embargo_until=start + timedelta(hours=6))
        with time_machine.travel(start + timedelta(hours=5)):
            assert client.get(story.get_absolute_url()).status_code == 404
            for url in [
                "/",
                "/section/world/",
                "/sitemap-articles.xml",
                "/feed/",
                "/search/?q=Body",
            ]:
                assert story.slug not in client.get(url).content.decode()
        with time_machine.travel(start + timedelta(hours=7)):
            assert client.get(story.get_absolute_url()).status_code == 200
            assert story.slug in client.get("/sitemap-articles.xml").content.decode()
            assert story.slug in client.get("/feed/").content.decode()

    def test_schedule_action_refuses_a_past_time(self, editor):
        story = make_article(status=Article.Status.IN_REVIEW)
        client = desk_for(editor)
        past = (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
        response = client.post(
            CHANGELIST,
            {"action": "schedule_selected", "schedule_at": past, "_selected_action": [story.pk]},
            follow=True,
        )
        assert "only be scheduled for a future time" in response.content.decode()
        story.refresh_from_db()
        assert story.status == Article.Status.IN_REVIEW

    def test_schedule_action_schedules_a_future_time(self, editor):
        story = make_article(status=Article.Status.IN_REVIEW)
        future = timezone.localtime() + timedelta(days=1)
        desk_for(editor).post(
            CHANGELIST,
            {
                "action": "schedule_selected",
                "schedule_at": future.strftime("%Y-%m-%dT%H:%M"),
                "_selected_action": [story.pk],
            },
        )
        story.refresh_from_db()
        assert story.state_label == "Scheduled"
        assert story.publish_at.replace(second=0, microsecond=0) == future.replace(
            second=0, microsecond=0
        )

    def test_updated_shows_only_for_a_substantive_update(self, client, editor):
        story = make_article()
        desk = desk_for(editor)
        desk.post(change_url(story), edit_data(desk, story, standfirst="Typo fixed."))
        assert "Updated" not in client.get(story.get_absolute_url()).content.decode()
        desk.post(
            change_url(story),
            edit_data(desk, story, standfirst="New facts.", substantive_update="on"),
        )
        story.refresh_from_db()
        assert story.updated_at and story.shows_updated
        assert "Updated" in client.get(story.get_absolute_url()).content.decode()


class TestRetraction:
    def test_retracted_story_stays_online_under_a_notice(self, client):
        story = make_article(
            body="<p>The claim we retract.</p>",
            status=Article.Status.RETRACTED,
            retraction_note="The main source withdrew the report.",
        )
        html = client.get(story.get_absolute_url()).content.decode()
        assert "Retracted." in html and "The main source withdrew the report." in html
        assert "The claim we retract." not in html
        story.retraction_hides_body = False
        story.save()
        assert "The claim we retract." in client.get(story.get_absolute_url()).content.decode()

    def test_retracting_needs_a_note(self):
        story = make_article()
        story.status = Article.Status.RETRACTED
        with pytest.raises(Exception, match="Say why the story is retracted"):
            story.full_clean()


class TestRevisions:
    def test_each_admin_save_keeps_a_version_and_two_can_be_compared_and_restored(self, editor):
        story = make_article(headline="First headline", body="<p>Old paragraph.</p>")
        desk = desk_for(editor)
        desk.post(change_url(story), edit_data(desk, story, headline="Second headline"))
        desk.post(
            change_url(story),
            edit_data(desk, story, headline="Third headline", body="<p>New paragraph.</p>"),
        )
        versions = list(Version.objects.get_for_object(story))
        assert len(versions) == 2
        compare = reverse("admin:articles_article_compare", args=[story.pk])
        page = desk.get(compare, {"version": [v.pk for v in versions]}).content.decode()
        text = strip_tags(page)
        assert "Second headline" in text and "Third headline" in text
        assert "Old paragraph." in text and "New paragraph." in text
        assert '<span class="diff_chg">Old</span>' in page
        older = versions[-1]
        desk.post(reverse("admin:articles_article_restore", args=[story.pk, older.pk]))
        story.refresh_from_db()
        assert story.headline == "Second headline"
        assert story.body == "<p>Old paragraph.</p>"

    def test_restoring_a_retraction_that_hid_the_body_takes_it_out_of_search(self, editor):
        story = make_article(headline="Tanker story", body=f"<p>It leaked {HIDDEN_WORD}.</p>")
        desk = desk_for(editor)
        retract = {"status": "retracted", "retraction_note": "Withdrawn."}
        desk.post(change_url(story), edit_data(desk, story, **retract))
        desk.post(change_url(story), edit_data(desk, story, status="published"))

        def found():
            response = Client().get(reverse("articles:search"), {"q": HIDDEN_WORD})
            return [article.headline for article in response.context["articles"]]

        assert found() == ["Tanker story"]
        retracted = Version.objects.get_for_object(story).last()
        assert retracted.field_dict["status"] == "retracted"
        desk.post(reverse("admin:articles_article_restore", args=[story.pk, retracted.pk]))
        assert found() == []

    @staticmethod
    def draft_then_published(reporter, editor, headline="Ferry timetable cut"):
        """A reporter's story saved as a draft, then published by an editor: two versions."""
        slug = slugify(headline)
        form = article_form(make_section(), headline=headline, slug=slug, status="draft")
        desk_for(reporter).post(reverse("admin:articles_article_add"), form)
        story = Article.objects.get(slug=slug)
        desk_for(editor).post(
            CHANGELIST, {"action": "publish_selected", "_selected_action": [story.pk]}
        )
        story.refresh_from_db()
        assert story.is_published
        return story

    @pytest.mark.parametrize(
        ("route", "refused"), [("revision", 403), ("recover", 404), ("restore", 403)]
    )
    def test_reporter_cannot_take_a_published_story_back_to_their_draft(
        self, reporter, editor, route, refused
    ):
        story = self.draft_then_published(reporter, editor)
        draft = Version.objects.get_for_object(story).last()
        assert draft.field_dict["status"] == Article.Status.DRAFT
        url = {
            "revision": reverse("admin:articles_article_revision", args=[story.pk, draft.pk]),
            "recover": reverse("admin:articles_article_recover", args=[draft.pk]),
            "restore": reverse("admin:articles_article_restore", args=[story.pk, draft.pk]),
        }[route]
        # What the reporter would send back: the story rewritten, as a draft.
        crafted = edit_data(desk_for(editor), story, headline="Defaced", status="draft")
        del crafted["loaded_version"]
        client = desk_for(reporter)
        assert client.get(url).status_code == refused
        assert client.post(url, crafted).status_code == refused
        story.refresh_from_db()
        assert (story.status, story.headline) == ("published", "Ferry timetable cut")
        assert story.is_published
        assert Version.objects.get_for_object(story).count() == 2

    def test_reporter_reverts_their_own_draft_through_its_history(self, reporter):
        client = desk_for(reporter)
        client.post(
            reverse("admin:articles_article_add"), article_form(make_section(), status="draft")
        )
        story = Article.objects.get()
        client.post(change_url(story), edit_data(client, story, headline="Second thoughts"))
        first = Version.objects.get_for_object(story).last()
        url = reverse("admin:articles_article_revision", args=[story.pk, first.pk])
        _, fields = form_fields(client.get(url).content.decode(), "article_form")
        assert fields["headline"] == "Ferry timetable cut"
        assert client.post(url, fields).status_code == 302
        story.refresh_from_db()
        assert (story.status, story.headline) == ("draft", "Ferry timetable cut")

    @pytest.mark.parametrize(
        ("whose", "status", "recovered"),
        [
            ("own", "draft", True),
            ("own", "published", False),
            ("colleague", "draft", False),
        ],
    )
    def test_recovering_a_deleted_story_follows_the_add_form(
        self, reporter, editor, whose, status, recovered
    ):
        author = reporter if whose == "own" else make_staff("Reporters")
        desk_for(author).post(
            reverse("admin:articles_article_add"), article_form(make_section(), status="draft")
        )
        story = Article.objects.get()
        if status == "published":
            desk_for(editor).post(
                CHANGELIST, {"action": "publish_selected", "_selected_action": [story.pk]}
            )
        delete = reverse("admin:articles_article_delete", args=[story.pk])
        assert desk_for(editor).post(delete, {"post": "yes"}).status_code == 302
        deleted = Version.objects.get_deleted(Article).get()
        url = reverse("admin:articles_article_recover", args=[deleted.pk])
        client = desk_for(reporter)
        page = client.get(url)
        assert page.status_code == (200 if recovered else 403)
        if recovered:
            _, fields = form_fields(page.content.decode(), "article_form")
        else:
            fields = article_form(make_section(), status="draft")
        assert client.post(url, fields).status_code == (302 if recovered else 403)
        assert Article.objects.filter(pk=story.pk, status="draft").exists() == recovered
        assert Article.objects.filter(pk=story.pk).exists() == recovered

    def test_second_editor_is_told_the_story_changed_underneath(self, editor):
        story = make_article(headline="Original")
        first, second = desk_for(editor), desk_for(make_staff("Editors"))
        first_form = edit_data(first, story, headline="First editor's headline")
        second_form = edit_data(second, story, headline="Second editor's headline")
        assert first.post(change_url(story), first_form).status_code == 302
        response = second.post(change_url(story), second_form)
        assert f"{editor.get_username()} saved this story at" in response.content.decode()
        story.refresh_from_db()
        assert story.headline == "First editor's headline"


class TestPreview:
    def test_preview_link_shows_a_draft_marked_preview_without_an_account(self, editor):
        draft = make_article(status=Article.Status.DRAFT, headline="Not yet out")
        path = preview_path(draft)
        assert (
            f'href="/preview/{draft.pk}:'
            in desk_for(editor).get(change_url(draft)).content.decode()
        )
        response = Client().get(path)
        html = response.content.decode()
        assert response.status_code == 200
        assert "Not yet out" in html and "<strong>Preview.</strong>" in html
        assert "no-cache" in response["Cache-Control"]

    def test_tampered_or_expired_preview_link_is_not_found(self):
        draft = make_article(status=Article.Status.DRAFT)
        path = preview_path(draft)
        assert Client().get(path[:-3] + "abc/").status_code == 404
        other = make_article(status=Article.Status.DRAFT)
        forged = path.replace(f"/{draft.pk}:", f"/{other.pk}:")
        assert Client().get(forged).status_code == 404
        with time_machine.travel(timezone.now() + timedelta(days=8)):
            assert Client().get(path).status_code == 404


def links_on_desk(desk, article):
    """The preview link on the story's desk page, and where its Revoke button posts."""
    html = desk.get(change_url(article)).content.decode()
    preview = re.search(r'href="(/preview/[^"]+)"', html)
    revoke = re.search(r'formaction="([^"]+)"[^>]*>Revoke preview links<', html)
    return (preview and preview[1]), (revoke and revoke[1])


class TestPreviewLifetime:
    def test_a_link_works_only_while_the_story_is_not_live(self, editor):
        now = timezone.now()
        story = make_article(status=Article.Status.DRAFT)
        path = preview_path(story)

        def opens():
            return Client().get(path).status_code == 200

        assert opens()
        submit_for_review(article=story, by=editor)
        assert opens()
        schedule_article(article=story, by=editor, at=now + timedelta(days=1))
        assert opens()
        with time_machine.travel(now + timedelta(days=2)):
            assert not opens()  # it went live by itself
        story.publish_at, story.embargo_until = now - timedelta(hours=1), now + timedelta(hours=3)
        story.save()
        assert opens()  # published, but held by its embargo
        publish_article(article=story, by=editor, at=now - timedelta(hours=1))
        story.embargo_until = None
        story.save()
        assert not opens()
        unpublish_article(article=story, by=editor)
        assert not opens()
        story.status, story.retraction_note = Article.Status.RETRACTED, "Withdrawn."
        story.save()
        assert not opens()

    def test_a_link_made_before_the_story_went_live_stays_closed_back_in_draft(self, editor):
        story = make_article(status=Article.Status.DRAFT)
        before = preview_path(story)
        publish_article(article=story, by=editor)
        unpublish_article(article=story, by=editor)
        story.status = Article.Status.DRAFT
        story.save()
        assert Client().get(before).status_code == 404
        # Links carry whole seconds: a new one made a second later opens.
        with time_machine.travel(timezone.now() + timedelta(seconds=1)):
            assert Client().get(preview_path(story)).status_code == 200

    def test_the_desk_shows_the_link_only_while_it_works(self, editor):
        desk = desk_for(editor)
        assert links_on_desk(desk, make_article(status=Article.Status.IN_REVIEW))[0]
        assert links_on_desk(desk, make_article()) == (None, None)

    def test_preview_pages_are_kept_out_of_search_engines(self, client):
        response = client.get(preview_path(make_article(status=Article.Status.DRAFT)))
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert "Disallow: /preview/" in client.get("/robots.txt").content.decode().splitlines()


class TestRevokingPreviewLinks:
    def test_revoking_gives_a_new_link_and_kills_every_old_one(self, editor):
        draft = make_article(status=Article.Status.DRAFT, headline="Not yet out")
        desk = desk_for(editor)
        shown, revoke = links_on_desk(desk, draft)
        handed_out = [shown, preview_path(draft)]
        response = desk.post(revoke, edit_data(desk, draft))
        assert response.status_code == 302 and response["Location"] == change_url(draft)
        for old in handed_out:
            assert Client().get(old).status_code == 404
        new, _ = links_on_desk(desk, draft)
        assert new not in handed_out
        assert "Not yet out" in Client().get(new).content.decode()
        messages = [str(m) for m in response.wsgi_request._messages]
        assert any("no longer work" in m for m in messages)
        revision = Version.objects.get_for_object(draft).first().revision
        assert revision.user == editor and "Preview links revoked" in revision.comment

    def test_only_those_who_may_edit_the_story_revoke_with_a_post(self, reporter):
        others = make_article(status=Article.Status.DRAFT, created_by=make_staff("Reporters"))
        own = make_article(status=Article.Status.DRAFT, created_by=reporter)
        desk = desk_for(reporter)
        revoke = reverse("admin:articles_article_revoke_previews", args=[others.pk])
        old = preview_path(others)
        assert desk.post(revoke).status_code == 403
        assert desk_for(make_staff("Moderators")).post(revoke).status_code == 403
        assert Client().post(revoke).status_code == 302  # to the login
        assert desk_for(make_staff("Editors")).get(revoke).status_code == 405
        assert Client().get(old).status_code == 200
        own_link = preview_path(own)
        assert desk.post(links_on_desk(desk, own)[1]).status_code == 302
        assert Client().get(own_link).status_code == 404

    def test_restoring_a_version_does_not_bring_revoked_links_back(self, editor):
        draft = make_article(status=Article.Status.DRAFT)
        desk = desk_for(editor)
        desk.post(change_url(draft), edit_data(desk, draft, headline="Saved once"))
        old = preview_path(Article.objects.get(pk=draft.pk))
        desk.post(links_on_desk(desk, draft)[1])
        version = Version.objects.get_for_object(draft).last()
        desk.post(reverse("admin:articles_article_restore", args=[draft.pk, version.pk]))
        assert Client().get(old).status_code == 404
        assert Client().get(links_on_desk(desk, draft)[0]).status_code == 200


class TestOldAddresses:
    """A published story whose slug changes keeps answering at its old addresses."""

    def rename(self, desk, story, slug):
        response = desk.post(change_url(story), edit_data(desk, story, slug=slug))
        assert response.status_code == 302, response.content.decode()[:2000]

    def test_every_old_address_redirects_permanently_to_the_current_one(self, editor):
        story = make_article(slug="ferry-cut")
        desk = desk_for(editor)
        self.rename(desk, story, "ferry-timetable-cut")
        self.rename(desk, story, "winter-ferry-timetable")
        reader = Client()
        for old in ("ferry-cut", "ferry-timetable-cut"):
            response = reader.get(f"/articles/{old}/?cpage=2&comments=newest&utm_source=x")
            assert response.status_code == 301
            moved = urlsplit(response["Location"])
            assert moved.path == "/articles/winter-ferry-timetable/"
            assert parse_qs(moved.query) == {"cpage": ["2"], "comments": ["newest"]}
            assert "no-store" in response["Cache-Control"]
            ninjs = reader.get(f"/articles/{old}/ninjs.json")
            assert ninjs.status_code == 301
            assert ninjs["Location"] == "/articles/winter-ferry-timetable/ninjs.json"
        assert reader.get("/articles/winter-ferry-timetable/").status_code == 200

    def test_back_at_an_old_address_it_is_the_current_one_again(self, editor):
        story = make_article(slug="first-address")
        desk = desk_for(editor)
        self.rename(desk, story, "second-address")
        self.rename(desk, story, "first-address")
        assert Client().get("/articles/first-address/").status_code == 200
        assert Client().get("/articles/second-address/")["Location"] == "/articles/first-address/"

    def test_drafts_keep_no_old_addresses(self, editor):
        draft = make_article(status=Article.Status.DRAFT, slug="working-title")
        self.rename(desk_for(editor), draft, "final-title")
        publish_article(article=Article.objects.get(pk=draft.pk), by=editor)
        assert Client().get("/articles/working-title/").status_code == 404
        assert not FormerSlug.objects.exists()

    def test_old_addresses_redirect_only_visitors_who_may_open_the_story(self, editor):
        story = make_article(slug="old-address")
        desk = desk_for(editor)
        self.rename(desk, story, "new-address")
        unpublish_article(article=Article.objects.get(pk=story.pk), by=editor)
        response = Client().get("/articles/old-address/")
        assert response.status_code == 404 and "new-address" not in response.content.decode()
        assert Client().get("/articles/old-address/ninjs.json").status_code == 404
        assert desk.get("/articles/old-address/")["Location"] == "/articles/new-address/"

    def test_a_new_story_cannot_take_an_address_that_redirects(self, editor):
        story = make_article(slug="taken-address", headline="The story that moved")
        desk = desk_for(editor)
        self.rename(desk, story, "moved-address")
        data = article_form(make_section(), slug="taken-address", headline="Another story")
        response = desk.post(reverse("admin:articles_article_add"), data)
        assert response.status_code == 200
        assert "redirects to “The story that moved”" in response.content.decode()
        assert not Article.objects.filter(headline="Another story").exists()
        other = make_article(status=Article.Status.DRAFT)
        response = desk.post(change_url(other), edit_data(desk, other, slug="taken-address"))
        assert "redirects to “The story that moved”" in response.content.decode()

    def test_the_desk_lists_the_old_addresses_and_says_they_keep_working(self, editor):
        story = make_article(slug="old-address")
        desk = desk_for(editor)
        self.rename(desk, story, "new-address")
        html = desk.get(change_url(story)).content.decode()
        assert "/articles/old-address/" in html
        assert "the old address keeps working" in Article._meta.get_field("slug").help_text

    def test_reverting_through_the_history_keeps_the_address_it_leaves(self, editor):
        story = make_article(slug="first-address")
        desk = desk_for(editor)
        self.rename(desk, story, "second-address")
        self.rename(desk, story, "third-address")
        older = Version.objects.get_for_object(story).last()
        url = reverse("admin:articles_article_revision", args=[story.pk, older.pk])
        _, fields = form_fields(desk.get(url).content.decode(), "article_form")
        assert fields["slug"] == "second-address"
        assert desk.post(url, fields).status_code == 302
        assert Client().get("/articles/second-address/").status_code == 200
        for old in ("first-address", "third-address"):
            assert Client().get(f"/articles/{old}/")["Location"] == "/articles/second-address/"

    def test_restoring_a_version_with_another_slug_keeps_the_address_it_leaves(self, editor):
        story = make_article(slug="first-address")
        desk = desk_for(editor)
        self.rename(desk, story, "second-address")
        self.rename(desk, story, "third-address")
        older = Version.objects.get_for_object(story).last()
        assert older.field_dict["slug"] == "second-address"
        desk.post(reverse("admin:articles_article_restore", args=[story.pk, older.pk]))
        assert Client().get("/articles/second-address/").status_code == 200
        for old in ("first-address", "third-address"):
            assert Client().get(f"/articles/{old}/")["Location"] == "/articles/second-address/"


class TestCorrections:
    def test_corrections_page_lists_live_corrections_newest_first(self, client):
        now = timezone.now()
        live = make_article(headline="Live story")
        gone = make_article(headline="Gone story", status=Article.Status.UNPUBLISHED)
        make_correction(live, text="Older fix.", published_at=now - timedelta(days=2))
        make_correction(live, text="Newer fix.", published_at=now - timedelta(days=1))
        make_correction(gone, text="Hidden fix.")
        html = client.get(reverse("articles:corrections")).content.decode()
        assert html.index("Newer fix.") < html.index("Older fix.")
        assert "Hidden fix." not in html

    def test_adding_a_correction_in_the_admin_moves_the_updated_time(self, client, editor):
        story = make_article()
        desk = desk_for(editor)
        data = edit_data(
            desk,
            story,
            **{
                "corrections-TOTAL_FORMS": "1",
                "corrections-0-kind": "correction",
                "corrections-0-text": "The vote was on 3 March, not 4 March.",
                "corrections-0-published_at_0": timezone.localtime().strftime("%Y-%m-%d"),
                "corrections-0-published_at_1": timezone.localtime().strftime("%H:%M:%S"),
            },
        )
        assert desk.post(change_url(story), data).status_code == 302
        story.refresh_from_db()
        assert story.shows_updated
        html = client.get(story.get_absolute_url()).content.decode()
        assert "The vote was on 3 March" in html and "Updated" in html


def test_retracted_story_is_labelled_in_lists(client):
    make_section(slug="world")
    make_article(headline="Withdrawn report", status=Article.Status.RETRACTED, retraction_note="x")
    html = client.get("/").content.decode()
    assert '<p class="kicker">Retracted</p>' in html
