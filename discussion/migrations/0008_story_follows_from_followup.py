"""Readers who ticked django-comments-xtd's "followup" on a comment now follow the story.

The followup column is left as it is: the mute links in emails already sent
find their comment by it, and muting now ends the follow (discussion/apps.py).
"""

from django.db import migrations


def follows_from_followup(apps, schema_editor):
    XtdComment = apps.get_model("django_comments_xtd", "XtdComment")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Article = apps.get_model("articles", "Article")
    StoryFollow = apps.get_model("discussion", "StoryFollow")
    story_type = ContentType.objects.filter(app_label="articles", model="article").first()
    if story_type is None:
        return  # a fresh database: no comments yet
    followed = (
        XtdComment.objects.filter(
            content_type=story_type, followup=True, is_public=True, user__isnull=False
        )
        .values_list("user_id", "object_pk")
        .distinct()
    )
    pairs = {(user_id, int(pk)) for user_id, pk in followed if pk.isdigit()}
    stories = set(Article.objects.filter(pk__in={pk for _, pk in pairs}).values_list("pk", flat=True))
    StoryFollow.objects.bulk_create(
        [StoryFollow(reader_id=user_id, article_id=pk) for user_id, pk in pairs if pk in stories],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("discussion", "0007_readers_own_words"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(follows_from_followup, migrations.RunPython.noop)]
