"""The desk's answers to public pages (not admin pages)."""

from django.contrib import admin
from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from articles.models import Article

from .edit_link import forget_hint


@never_cache
@require_GET
def can_edit_view(request, pk):
    """JSON for the Edit link on a story page: the story's desk page, when this browser's
    desk session may edit the story; 403 or 404 with no detail otherwise.

    Only staff learn whether a story exists (as the desk's own list would tell
    them); anyone else gets the same 403 for every number.
    """
    user = request.user
    if not (user.is_active and user.is_staff):
        return forget_hint(JsonResponse({"error": "Not signed in to the desk."}, status=403))
    article = Article.objects.filter(pk=pk).first()
    if article is None:
        return JsonResponse({"error": "No such story."}, status=404)
    # The story form's own rule (articles.services.may_edit, and the model permission).
    if not admin.site.get_model_admin(Article).has_change_permission(request, article):
        return JsonResponse({"error": "You may not edit this story."}, status=403)
    return JsonResponse({"url": reverse("admin:articles_article_change", args=[pk])})
