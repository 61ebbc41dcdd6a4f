"""The story desk's own pages beside the change form: comparing and restoring
saved versions, and revoking preview links."""

import reversion
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from reversion.models import Version

from articles.models import Article
from articles.services import restore_version, revoke_preview_links

from .revisions import compare_versions


def revoke_previews_view(model_admin, request, pk):
    article = get_object_or_404(Article, pk=pk)
    if not model_admin.has_change_permission(request, article):
        raise PermissionDenied
    with reversion.create_revision():
        revoke_preview_links(article=article, by=request.user)
        reversion.add_to_revision(article)
        reversion.set_user(request.user)
        reversion.set_comment("Preview links revoked; the story has a new one.")
    model_admin.message_user(
        request, "The preview links handed out so far no longer work; the new link is below."
    )
    return redirect(reverse("admin:articles_article_change", args=[pk]))


def compare_view(model_admin, request, pk):
    article = get_object_or_404(Article, pk=pk)
    if not model_admin.has_view_or_change_permission(request, article):
        raise PermissionDenied
    versions = list(Version.objects.get_for_object(article).select_related("revision__user"))
    chosen = [v for v in versions if str(v.pk) in request.GET.getlist("version")]
    chosen.sort(key=lambda v: v.revision.date_created)
    diffs = compare_versions(*chosen) if len(chosen) == 2 else None
    return TemplateResponse(
        request,
        "admin/articles/article/compare.html",
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.opts,
            "title": f"Compare versions of “{article}”",
            "article": article,
            "versions": versions,
            "chosen": [v.pk for v in chosen],
            "diffs": diffs,
            "can_restore": model_admin.has_change_permission(request, article),
        },
    )


def restore_view(model_admin, request, pk, version_id):
    article = get_object_or_404(Article, pk=pk)
    version = get_object_or_404(Version.objects.get_for_object(article), pk=version_id)
    if request.method != "POST":
        raise PermissionDenied
    model_admin.check_restore(request, version, current=article)
    restore_version(article=article, version=version, by=request.user)
    model_admin.message_user(request, "The story is back to the chosen version.")
    return redirect(reverse("admin:articles_article_change", args=[pk]))
