"""The permission layer: no staff rights until a required second factor is set up.

A member of NEWSROOM_REQUIRE_2FA_GROUPS who has not turned on an
authenticator app has no permissions anywhere, so every check that asks
`user.has_perm()` (the desk, drafts on the public site, moderation) says no
for them. Django asks each backend in AUTHENTICATION_BACKENDS in turn, so
both the plain and allauth's backend must withhold them.
"""

from allauth.account.auth_backends import AuthenticationBackend
from allauth.mfa.models import Authenticator
from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth import backends
from django.db.models import Exists


def must_enrol_first(user) -> bool:
    """A member of a group that requires two-factor authentication, without an authenticator app.

    Asked by every permission check, so the answer is kept on the user object:
    one query per request at most.
    """
    groups = settings.NEWSROOM_REQUIRE_2FA_GROUPS
    if not groups or not user.is_authenticated:
        return False
    if not hasattr(user, "_must_enrol_first"):
        enrolled = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP)
        user._must_enrol_first = user.groups.filter(~Exists(enrolled), name__in=groups).exists()
    return user._must_enrol_first


class WithheldUntilEnrolled:
    """Gives a member who must enrol first no permissions; everyone else their usual ones."""

    def get_user_permissions(self, user_obj, obj=None):
        if must_enrol_first(user_obj):
            return set()
        return super().get_user_permissions(user_obj, obj)

    def get_group_permissions(self, user_obj, obj=None):
        if must_enrol_first(user_obj):
            return set()
        return super().get_group_permissions(user_obj, obj)

    # Django's async checks (user.ahas_perm) reach the permissions by their own path.
    async def aget_user_permissions(self, user_obj, obj=None):
        if await sync_to_async(must_enrol_first)(user_obj):
            return set()
        return await super().aget_user_permissions(user_obj, obj)

    async def aget_group_permissions(self, user_obj, obj=None):
        if await sync_to_async(must_enrol_first)(user_obj):
            return set()
        return await super().aget_group_permissions(user_obj, obj)


class ModelBackend(WithheldUntilEnrolled, backends.ModelBackend):
    pass


class AllauthBackend(WithheldUntilEnrolled, AuthenticationBackend):
    pass
