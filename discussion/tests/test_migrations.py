"""Data migrations that carry readers' earlier choices over."""

import importlib

import pytest
from django.apps import apps
from django_comments_xtd.models import XtdComment

from articles.tests.factories import make_article
from discussion.models import StoryFollow

from .factories import add_comment, make_reader

pytestmark = pytest.mark.django_db

story_follows = importlib.import_module("discussion.migrations.0008_story_follows_from_followup")


def test_ticked_followup_boxes_become_story_follows():
    story, other = make_article(), make_article()
    follower, held, unticked = (make_reader(status=s) for s in ("trusted", "normal", "trusted"))
    ticked = [
        add_comment(story, follower, "First, ticked."),
        add_comment(story, follower, "Second, ticked too."),
        add_comment(other, held, "Held for review, ticked."),
    ]
    add_comment(other, unticked, "Not ticked.")
    XtdComment.objects.filter(pk__in=[c.pk for c in ticked]).update(followup=True)

    story_follows.follows_from_followup(apps, None)
    story_follows.follows_from_followup(apps, None)  # run again: nothing doubles

    assert list(StoryFollow.objects.values_list("reader", "article")) == [(follower.pk, story.pk)]
    # The column stays, for the mute links in emails sent before.
    assert XtdComment.objects.filter(followup=True).count() == 3
