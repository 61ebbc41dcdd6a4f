"""The Edit link on a public story page, for staff who may edit the story.

Story pages are cached whole and shared by every visitor (pagecache, an edge
cache), so the link is not in the page: the page carries the same empty
placeholder for everyone, and a small script asks the desk, per browser,
whether to fill it (desk/views.py, never cached). So that readers' browsers
never make that request, the script asks only when the browser carries a hint
cookie, set when a member of staff logs in. The hint is no secret and grants
nothing: the desk answers from the session, and a browser that sends the
hint without a desk session gets 403 and the hint deleted.
"""

from django.conf import settings

HINT_COOKIE = "newsroom_desk"


def hint_staff_browser(*, request, response, user, **kwargs):
    """allauth's user_logged_in: a staff member's browser gets the hint cookie."""
    if user.is_staff:
        response.set_cookie(
            HINT_COOKIE,
            "1",
            max_age=settings.SESSION_COOKIE_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            # The page's script reads it.
            httponly=False,
            samesite="Lax",
        )


def forget_hint(response):
    response.delete_cookie(HINT_COOKIE, samesite="Lax")
    return response
