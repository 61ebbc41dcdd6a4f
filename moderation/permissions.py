"""Who may work the moderation queue: staff holding the moderators' permission."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse

# django_comments' own, which accounts/roles.py grants the Moderators (its
# namesake in django_comments_xtd is not what the package's views check).
MODERATE = "django_comments.can_moderate"


def may_moderate(user) -> bool:
    return user.is_active and user.is_staff and user.has_perm(MODERATE)


class ModeratorRequiredMixin:
    """Anyone not signed in to the desk goes to the desk login; staff without the permission
    get 403."""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not (user.is_active and user.is_staff):
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        if not user.has_perm(MODERATE):
            raise PermissionDenied("Moderating comments takes the moderators' permission.")
        return super().dispatch(request, *args, **kwargs)
