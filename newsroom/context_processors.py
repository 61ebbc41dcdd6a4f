from django.conf import settings


def site(request):
    """Publication-wide values every page shows (masthead, <title>)."""
    return {"site_name": settings.NEWSROOM_SITE_NAME}
