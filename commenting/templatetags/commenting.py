"""The discussion under a story as the story page shows it ({% load commenting %}), and
the names and badges on its comments."""

from django import template
from django.utils.html import format_html

from articles.page_tags import comments_on
from commenting.threads import recommendation_count
from commenting.views import discussion_context
from discussion.page_tags import POLICY, recommendations_on
from pagecache.tags import shows

register = template.Library()


@register.filter
def author_name(comment):
    """The name a comment is shown under: its author's display name, or the name it was
    posted with by an account that no longer has one."""
    reader = getattr(comment.user, "reader", None) if comment.user_id else None
    return reader.display_name if reader else comment.user_name


@register.filter
def comment_author(item):
    """The author of a thread entry or pick, with their desk role when they are staff.

    A filter rather than an include: it runs once per comment of a long thread.
    """
    name = format_html('<bdi class="comment__author">{}</bdi>', author_name(item.comment))
    if not item.badge:
        return name
    return format_html('{} <span class="comment__badge">{}</span>', name, item.badge)


register.filter("recommendation_count", recommendation_count)


@register.inclusion_tag("commenting/_discussion.html", takes_context=True)
def discussion(context, article):
    """The discussion under a story: its threads, and the form or why there is none."""
    request = context["request"]
    shows(comments_on(article.pk), recommendations_on(article.pk), POLICY)
    return {
        "article": article,
        "request": request,
        "user": request.user,
        **discussion_context(request, article),
    }
