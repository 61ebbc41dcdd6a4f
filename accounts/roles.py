"""The staff roles: each desk group and exactly the permissions it holds.

Migrations grant them (accounts/migrations), so a changed role takes a new
migration that calls grant() again; grant() only adds, so it is safe to run on
a database that holds a role already.
"""

from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS

CRUD = ("add", "change", "delete", "view")
STORY_PARTS = ("byline", "photoplacement", "citation")

# The discussion's desk: the workbench, readers' standing and the policy.
MODERATION = {
    # The approve view checks django_comments' can_moderate, not xtd's namesake.
    "django_comments_xtd": ["view_xtdcomment", "change_xtdcomment"],
    "django_comments": ["can_moderate"],
    "discussion": [
        "view_commentmoderation",
        "view_commentreport",
        "view_readerprofile",
        "change_readerprofile",
        "view_readerstatuschange",
        "view_moderationpolicy",
        "change_moderationpolicy",
    ],
}

# Group name → app label → permission codenames.
ROLES = {
    # Reporters draft stories and submit them; the admin narrows "change" to
    # their own drafts, and only editors may choose a publishing status.
    "Reporters": {
        "articles": [
            "add_article",
            "change_article",
            "view_article",
            "view_section",
            "view_tag",
            "add_tag",
            "view_author",
            "view_correction",
            *(f"{action}_{model}" for model in STORY_PARTS for action in CRUD),
        ],
        "photos": ["add_photo", "change_photo", "view_photo"],
    },
    "Editors": {
        "articles": [
            "publish_article",
            *(
                f"{action}_{model}"
                for model in ("article", "section", "tag", "author", "correction", *STORY_PARTS)
                for action in CRUD
            ),
        ],
        # Only editors may change a photo that is in a published or scheduled story.
        "photos": [*(f"{action}_photo" for action in CRUD), "change_live_photo"],
        # A job that failed for good (a mail server down for an hour) is theirs to run again.
        "jobs": ["view_jobresult", "retry_jobresult", "view_periodicjob", "view_workerheartbeat"],
        # Editors answer for the discussion under their stories: they moderate and feature too.
        **MODERATION,
    },
    "Moderators": MODERATION,
}

# create_staff's --role names for the groups.
GROUP_OF_ROLE = {"editor": "Editors", "reporter": "Reporters", "moderator": "Moderators"}


def grant(apps, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Every role's group, holding at least its permissions; others it holds stay."""
    # An app added after a migration that grants is not in that migration's
    # state; the later migration that grants its permissions depends on it.
    labels = {label for by_app in ROLES.values() for label in by_app} & {
        app_config.label for app_config in apps.get_app_configs()
    }
    for label in labels:
        # Django creates permissions after the last migration; the groups need them now.
        # It skips apps without a models module, which in a migration's state is every app.
        app_config = apps.get_app_config(label)
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = True
        try:
            create_permissions(app_config, apps=apps, using=using, verbosity=0)
        finally:
            app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, by_app in ROLES.items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        for app_label, codenames in by_app.items():
            if app_label not in labels:
                continue
            permissions = Permission.objects.using(using).filter(
                content_type__app_label=app_label, codename__in=codenames
            )
            if permissions.count() != len(set(codenames)):
                raise LookupError(f"{name}: a permission in {app_label} does not exist")
            group.permissions.add(*permissions)
