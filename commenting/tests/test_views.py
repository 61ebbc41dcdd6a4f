"""Views of commenting's own that are not about posting or threads."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from articles.models import Article
from articles.tests.factories import (
    make_article,
    make_author,
    make_photo,
    make_section,
    make_staff,
)
from articles.tests.test_views import not_live
from discussion.models import CommentModeration
from discussion.tests.factories import add_comment, make_reader

pytestmark = pytest.mark.django_db


class TestCommentPermalinks:
    """/comments/cr/<content type>/<id>/, where django-comments' permalinks lead."""

    @staticmethod
    def permalink_of(obj):
        content_type = ContentType.objects.get_for_model(obj)
        return reverse("comments-url-redirect", args=[content_type.pk, obj.pk])

    def test_a_comment_permalink_leads_to_its_story(self, client):
        story = make_article()
        comment = add_comment(story, make_reader(status="trusted"))
        response = client.get(comment.get_absolute_url())
        assert response.status_code == 302
        assert response["Location"] == story.get_absolute_url()
        assert "no-store" in response["Cache-Control"]

    @not_live
    def test_stories_not_live_are_not_found_without_their_address(self, client, fields):
        story = make_article(slug="secret-merger-talks", **fields)
        response = client.get(self.permalink_of(story))
        assert response.status_code == 404
        assert "secret-merger-talks" not in response.content.decode()
        assert "Location" not in response

    def test_editors_follow_it_to_a_story_they_can_open(self, client):
        draft = make_article(status=Article.Status.DRAFT)
        client.force_login(make_staff("Editors"))
        assert client.get(self.permalink_of(draft))["Location"] == draft.get_absolute_url()

    @pytest.mark.parametrize("state", ["pending", "removed", "published"])
    def test_comments_themselves_are_not_found(self, client, state):
        story = make_article(slug="quiet-story")
        comment = add_comment(story, make_reader())
        CommentModeration.objects.filter(comment=comment).update(state=state)
        response = client.get(self.permalink_of(comment))
        assert response.status_code == 404
        assert "Location" not in response

    def test_other_objects_and_odd_ids_are_not_found(self, client):
        reader = make_reader()
        for url in [
            self.permalink_of(make_section()),
            self.permalink_of(make_author()),
            self.permalink_of(reader),
            self.permalink_of(make_photo()),
            reverse("comments-url-redirect", args=[999999, 1]),
            f"/comments/cr/{ContentType.objects.get_for_model(Article).pk}/x/",
            f"/comments/cr/{ContentType.objects.get_for_model(Article).pk}/999999/",
        ]:
            assert client.get(url).status_code == 404, url
