from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from photos.admin import thumbnail

from .models import Article, Author, Byline, Citation, Correction, PhotoPlacement, Section, Tag
from .services import publish_article, unpublish_article


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position", "premoderate_comments"]
    list_editable = ["position", "premoderate_comments"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "job_title", "user"]
    list_select_related = ["user"]
    search_fields = ["name", "job_title"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["user"]


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 1
    autocomplete_fields = ["author"]


class PhotoPlacementInline(admin.TabularInline):
    model = PhotoPlacement
    extra = 1
    autocomplete_fields = ["photo"]
    fields = ["preview", "photo", "role", "after_block", "caption_override"]
    readonly_fields = ["preview"]

    @admin.display(description="")
    def preview(self, placement):
        return thumbnail(placement.photo) if placement.photo_id else ""


class CitationInline(admin.StackedInline):
    model = Citation
    extra = 0
    fields = [
        ("outlet", "published_on", "position"),
        "title",
        ("url", "archive_url"),
        "quote",
        "claim",
    ]


class CorrectionInline(admin.StackedInline):
    model = Correction
    extra = 0
    fields = [("kind", "published_at"), "text"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["headline", "status", "is_live", "section", "publish_at", "featured"]
    list_filter = ["status", "section", "publish_at", "featured"]
    list_select_related = ["section"]
    search_fields = ["headline", "kicker", "standfirst", "slug"]
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "tags"]
    readonly_fields = ["first_published_at", "created_at", "modified_at"]
    inlines = [BylineInline, PhotoPlacementInline, CitationInline, CorrectionInline]
    actions = ["publish_selected", "unpublish_selected"]
    fieldsets = [
        (None, {"fields": ["kicker", "headline", "slug", "standfirst", "body"]}),
        ("Where it appears", {"fields": ["section", "tags", "dateline", "featured"]}),
        (
            "Publication",
            {"fields": ["status", "publish_at", "updated_at", "first_published_at"]},
        ),
        (
            "Discussion",
            {
                "classes": ["collapse"],
                "fields": [
                    "comments_enabled",
                    "premoderate_comments",
                    "comments_close_after_days",
                ],
            },
        ),
        ("History", {"classes": ["collapse"], "fields": ["created_at", "modified_at"]}),
    ]

    @admin.display(boolean=True, description="Live")
    def is_live(self, article):
        return article.is_published

    @admin.action(description="Publish selected stories")
    def publish_selected(self, request, queryset):
        self._apply(request, queryset, publish_article, "published")

    @admin.action(description="Unpublish selected stories")
    def unpublish_selected(self, request, queryset):
        self._apply(request, queryset, unpublish_article, "unpublished")

    def _apply(self, request, queryset, operation, done):
        """Run a service on each story; one story's problem does not stop the others."""
        succeeded = 0
        for article in queryset:
            try:
                operation(article=article)
            except ValidationError as error:
                self.message_user(
                    request,
                    f"“{article}” was not {done}: {' '.join(error.messages)}",
                    messages.ERROR,
                )
            else:
                succeeded += 1
        if succeeded:
            self.message_user(
                request, f"{succeeded} stor{'y' if succeeded == 1 else 'ies'} {done}."
            )
