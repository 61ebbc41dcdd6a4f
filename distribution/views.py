from django.http import JsonResponse
from django.views.generic import DetailView

from articles.models import Article
from articles.views import FollowsFormerSlugsMixin

from . import ninjs


class ArticleNinjsView(FollowsFormerSlugsMixin, DetailView):
    """The story as an IPTC ninjs 3 document, for partner newsrooms and aggregators."""

    def get_queryset(self):
        return Article.objects.published().for_detail()

    def render_to_response(self, context, **response_kwargs):
        document = ninjs.export_article(self.object, absolute=self.request.build_absolute_uri)
        return JsonResponse(
            document, json_dumps_params={"ensure_ascii": False}, content_type="application/json"
        )
