"""What the discussion under a story shows, and which writes change it.

The discussion shows under its story's `story:<id>:comments` tag (shared
with the lists that show the story's comment count, articles/page_tags.py),
`story:<id>:recommendations` for the counts on its comments (shown on the
story page alone, so a recommendation leaves the lists' cached copies be;
moved by commenting's recommendation services, which write with update() and would
otherwise cost a query per row to find the story),
and `discussion` for the site's moderation policy, which opens and closes
every discussion. A comment held for review, and a reader signing up, change
nothing readers see and move nothing.
"""

from articles.page_tags import comments_on

POLICY = "discussion"


def recommendations_on(pk):
    return f"story:{pk}:recommendations"


def of_comment(comment, created):
    """A published comment written or deleted; hiding one is its moderation's decision."""
    if comment.is_public and not comment.is_removed:
        return [comments_on(comment.object_pk)]
    return []


def of_moderation(moderation, created):
    """A decision shows or hides a comment; a new comment waiting for one changes nothing."""
    if created and moderation.state == moderation.State.PENDING:
        return []
    return [comments_on(moderation.comment.object_pk)]


def of_reader(reader, created):
    """A new name shows on every comment the reader has published."""
    if created or not reader.renamed:
        return []
    from django_comments_xtd.models import XtdComment

    stories = (
        XtdComment.objects.filter(user_id=reader.user_id, is_public=True, is_removed=False)
        .values_list("object_pk", flat=True)
        .distinct()
    )
    return [comments_on(pk) for pk in stories]


def of_policy(policy, created):
    return [POLICY]
