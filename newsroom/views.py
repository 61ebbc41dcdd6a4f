from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

# Private or endless pages that crawlers should leave alone.
DISALLOWED = ["/admin/", "/accounts/", "/comments/", "/search/"]


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        *(f"Disallow: {path}" for path in DISALLOWED),
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap-index'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
