"""The story list's filters that are not a single field: each asks a named queryset method."""

from django.contrib import admin


class ReleaseFilter(admin.SimpleListFilter):
    """Where a story stands with readers, as the Status badge says it."""

    title = "release"
    parameter_name = "release"
    # Choice → ArticleQuerySet method.
    CHOICES = {
        "online": ("Online now", "published"),
        "scheduled": ("Scheduled", "scheduled"),
        "embargoed": ("Embargoed", "embargoed"),
        "retracted": ("Retracted", "retracted"),
    }

    def lookups(self, request, model_admin):
        return [(value, label) for value, (label, _method) in self.CHOICES.items()]

    def queryset(self, request, queryset):
        if self.value() not in self.CHOICES:
            return queryset
        _label, method = self.CHOICES[self.value()]
        return getattr(queryset, method)()


class MineFilter(admin.SimpleListFilter):
    """The stories the signed-in user started or is bylined on (the dashboard's "My drafts")."""

    title = "whose"
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("yes", "Started by me or bylined")]

    def queryset(self, request, queryset):
        return queryset.started_or_bylined_by(request.user) if self.value() == "yes" else queryset


class SourcesFilter(admin.SimpleListFilter):
    title = "sources"
    parameter_name = "sources"

    def lookups(self, request, model_admin):
        return [("broken", "With a broken link")]

    def queryset(self, request, queryset):
        return queryset.with_broken_sources() if self.value() == "broken" else queryset
