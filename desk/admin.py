from functools import partial

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.dateparse import parse_datetime
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import slugify
from django.views.decorators.http import require_POST
from reversion.admin import VersionAdmin
from reversion.models import Version

from articles.models import (
    Article,
    Author,
    Byline,
    Citation,
    Correction,
    PhotoPlacement,
    Section,
    Tag,
)
from articles.previews import preview_path
from articles.services import (
    EditConflict,
    can_publish,
    mark_corrected,
    mark_updated,
    may_edit,
    may_set_status,
    publish_article,
    record_slug_change,
    refuse_if_saved_since,
    save_author,
    schedule_article,
    submit_for_review,
    submittable_by,
    unpublish_article,
)
from imaging.uploads import open_upload
from newsroom import outbound
from newsroom.formats import desk_date, desk_datetime
from photos.captions import credit_repeated_in, without_repeated_credit
from photos.widgets import ACCEPT, thumbnail

from .admin_views import compare_view, restore_view, revoke_previews_view
from .filters import MineFilter, ReleaseFilter, SourcesFilter
from .revisions import conflict_report
from .widgets import (
    FIXED_PLACES,
    LABEL_WORDS,
    BodyEditor,
    CountedTextInput,
    ParagraphSelect,
    paragraph_choices,
)


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


class AuthorForm(forms.ModelForm):
    class Meta:
        model = Author
        fields = ["name", "slug", "job_title", "bio", "portrait", "user"]
        # A plain file field, so open_upload() can name what is wrong with a
        # file (Django's ImageField says only "not a valid image").
        field_classes = {"portrait": forms.FileField}
        widgets = {"portrait": forms.ClearableFileInput(attrs={"accept": ACCEPT})}

    def clean_portrait(self):
        """A new portrait passes the photo desk's checks here, so the form names the problem;
        save_author() then re-encodes it."""
        file = self.cleaned_data.get("portrait")
        if file and file is not self.initial.get("portrait"):
            open_upload(file)
        return file


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    form = AuthorForm
    list_display = ["name", "job_title", "user"]
    list_select_related = ["user"]
    search_fields = ["name", "job_title"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["user"]

    def save_model(self, request, obj, form, change):
        save_author(author=obj)


class LabelledColumns:
    """A table of inline rows labels its columns, not its inputs: each input is named after
    its column, for screen readers."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None:
            field.widget.attrs.setdefault("aria-label", str(field.label))
        return field


class BylineInline(LabelledColumns, admin.TabularInline):
    model = Byline
    extra = 1
    autocomplete_fields = ["author"]


class PhotoPlacementForm(forms.ModelForm):
    """A placement, offering to take the credit off the end of its own caption, as the
    photo desk offers for the library caption."""

    drop_repeated_credit = forms.BooleanField(
        label="Drop the credit from this caption", required=False, widget=forms.HiddenInput
    )

    class Meta:
        model = PhotoPlacement
        fields = ["photo", "role", "after_block", "caption_override"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        placement = self.instance
        repeated = placement.photo_id and credit_repeated_in(
            placement.caption_override, placement.photo.credit
        )
        if repeated:
            offer = self.fields["drop_repeated_credit"]
            offer.widget = forms.CheckboxInput()
            # The admin prints help text as HTML: the caption's words must be escaped.
            offer.help_text = format_html(
                "This story's caption ends with “{}”, which repeats the credit line printed "
                "under it: tick to take it off the end.",
                repeated,
            )

    def clean(self):
        cleaned = super().clean()
        photo = cleaned.get("photo")
        if cleaned.get("drop_repeated_credit") and photo and "caption_override" in cleaned:
            cleaned["caption_override"] = without_repeated_credit(
                cleaned["caption_override"], photo.credit
            )
        return cleaned


class PhotoPlacementFormSet(BaseInlineFormSet):
    """Offers the story's own paragraphs as the places for its photos, and refuses a paragraph
    the story does not have.

    The paragraphs are those of the body being saved: the admin validates the story form
    before it builds these forms, so `instance.body` is already the submitted text.
    """

    @cached_property
    def paragraphs(self):
        return paragraph_choices(self.instance.body)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        choices = self.paragraphs
        paragraphs = len(choices) - FIXED_PLACES
        saved = form.initial.get("after_block")
        if saved and saved > paragraphs:
            # Saved before the body lost paragraphs: the page shows it after the last one,
            # and a save that leaves it so is no mistake.
            choices = [*choices, (saved, f"After ¶{saved}: past the end, so after the last")]
        form.fields["after_block"] = forms.TypedChoiceField(
            label="Place in the body",
            choices=choices,
            coerce=int,
            empty_value=None,
            required=False,
            widget=ParagraphSelect(attrs={"data-paragraph-words": LABEL_WORDS}),
            help_text="Photos in the body follow the paragraph chosen (headings and lists count "
            "as paragraphs) or open the body above the first; the list follows the body as it "
            "is edited. The lead photo sits above the story: leave it at the end.",
            error_messages={
                "invalid_choice": "The story has no paragraph %(value)s (it has "
                f"{paragraphs}): choose a place from the list."
            },
        )


class PhotoPlacementInline(admin.StackedInline):
    model = PhotoPlacement
    form = PhotoPlacementForm
    formset = PhotoPlacementFormSet
    extra = 1
    autocomplete_fields = ["photo"]
    fields = [
        ("preview", "shown"),
        ("photo", "role", "after_block"),
        "caption_override",
        "drop_repeated_credit",
    ]
    readonly_fields = ["preview", "shown"]
    classes = ["photo-placements"]

    def get_queryset(self, request):
        # The thumbnail, the caption and credit and the row's title all read the photo.
        return super().get_queryset(request).select_related("photo")

    @admin.display(description="Picture")
    def preview(self, placement):
        return thumbnail(placement.photo) if placement.photo_id else "Chosen below."

    @admin.display(description="Readers see")
    def shown(self, placement):
        if not placement.photo_id:
            return "The caption and credit, once a photo is chosen and the story saved."
        return format_html(
            '<span class="shown-caption">{}</span> <span class="shown-credit">{}</span>',
            placement.caption or "(no caption)",
            placement.photo.credit,
        )


class CitationInline(admin.StackedInline):
    model = Citation
    extra = 0
    fields = [
        ("outlet", "published_on", "position"),
        ("person", "person_role"),
        "title",
        ("url", "archive_url"),
        "link_check",
        "quote",
        "claim",
    ]
    readonly_fields = ["link_check"]

    @admin.display(description="Link check")
    def link_check(self, citation):
        if citation.pk is None:
            return "Checked once the story is saved."
        shown = _link_verdict(
            citation.link_check_due,
            citation.link_ok,
            citation.link_check_result,
            citation.link_checked_at,
        )
        if citation.archive_url:
            archived = _link_verdict(
                citation.archive_check_due,
                citation.archive_ok,
                citation.archive_check_result,
                citation.archive_checked_at,
            )
            shown += f"; archived copy: {archived}"
        return shown


def _link_verdict(due, ok, result, checked_at):
    if due:
        return "Checking…"
    return f"{'Works' if ok else 'BROKEN'}: {result} ({desk_date(checked_at)})"


class CorrectionInline(admin.StackedInline):
    model = Correction
    extra = 0
    fields = [("kind", "published_at"), "text"]


class ArticleAdminForm(forms.ModelForm):
    """The story form, with the two guards an editing desk needs.

    A reporter may only choose draft or in-review; and a save is refused when
    someone else saved the story after this form was opened.
    """

    substantive_update = forms.BooleanField(
        required=False,
        label="Substantive update",
        help_text="Tick when this save changes facts readers should know about; the story "
        "then shows “Updated” with the current time. Leave it for typo fixes.",
    )
    loaded_version = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Article
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets pick the fields shown
        widgets = {"headline": CountedTextInput, "body": BodyEditor}

    class Media:
        css = {"all": ["desk/story_form.css"]}
        js = ["desk/story_form.js"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A date-and-time field's label points at neither of its two boxes: name each.
        for field in self.fields.values():
            if isinstance(field.widget, forms.SplitDateTimeWidget):
                date, time = field.widget.widgets
                date.attrs["aria-label"] = f"{field.label}: date"
                time.attrs["aria-label"] = f"{field.label}: time"
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.modified_at.isoformat()
        # A form opened to view a story only has every field read-only, status included.
        if "status" in self.fields and not can_publish(self.user):
            status = self.fields["status"]
            status.choices = [c for c in status.choices if may_set_status(self.user, c[0])]
            status.error_messages["invalid_choice"] = (
                "Only editors can publish, schedule, unpublish or retract a story. Save it "
                "as a draft or submit it for review."
            )

    def clean(self):
        cleaned = super().clean()
        loaded = parse_datetime(self.data.get("loaded_version") or "")
        if self.instance.pk and loaded:
            try:
                refuse_if_saved_since(article=self.instance, loaded=loaded)
            except EditConflict as conflict:
                # Kept for the refusal page, which shows what the other editor changed.
                self.conflict = conflict
                raise
        return cleaned


def _unchanged(form):
    """A change form sent back as it was opened, in the change view (where the revision is
    managed by hand: a form restoring a version is unchanged but must still save)."""
    return reversion.is_manage_manually() and not form.has_changed()


class ArticleActionForm(ActionForm):
    schedule_at = forms.DateTimeField(
        required=False,
        label="Schedule for",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


@admin.register(Article)
class ArticleAdmin(VersionAdmin):
    form = ArticleAdminForm
    action_form = ArticleActionForm
    # One line per story: the headline takes the room the other, short columns
    # leave (desk/static/desk/story_list.css).
    list_display = [
        "headline_cell",
        "section",
        "state",
        "goes_live",
        "last_saved",
        "author_names",
    ]
    list_filter = [ReleaseFilter, "status", MineFilter, SourcesFilter, "section", "featured"]
    list_select_related = ["section"]
    search_fields = ["headline", "kicker", "standfirst", "slug"]
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "tags"]
    readonly_fields = [
        "former_addresses",
        "first_published_at",
        "created_at",
        "modified_at",
        "preview_link",
    ]
    inlines = [BylineInline, PhotoPlacementInline, CitationInline, CorrectionInline]
    actions = ["submit_selected", "publish_selected", "schedule_selected", "unpublish_selected"]
    change_form_template = "admin/articles/article/change_form.html"
    change_list_template = "admin/articles/article/change_list.html"
    fieldsets = [
        (
            None,
            {"fields": ["kicker", "headline", "slug", "former_addresses", "standfirst", "body"]},
        ),
        ("Where it appears", {"fields": ["section", "tags", "dateline", "featured"]}),
        (
            "Publication",
            {
                "fields": [
                    "status",
                    "publish_at",
                    "embargo_until",
                    "substantive_update",
                    "updated_at",
                    "first_published_at",
                    "preview_link",
                    "loaded_version",
                ]
            },
        ),
        (
            "Retraction",
            {"classes": ["collapse"], "fields": ["retraction_note", "retraction_hides_body"]},
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

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("bylines__author")

    def changelist_view(self, request, extra_context=None):
        # The app list beside the story list would leave the headlines a word
        # per line at 1280 px; the breadcrumbs and the desk's front page lead on.
        return super().changelist_view(
            request, {"is_nav_sidebar_enabled": False, **(extra_context or {})}
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        return form

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # Shown read-only, the form's own inputs are not part of the story: leave them out.
        form_only = set(ArticleAdminForm.declared_fields)
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in form_only]})
            for name, options in fieldsets
        ]

    def has_change_permission(self, request, obj=None):
        """Editors change any story; reporters only their own drafts and stories in review."""
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or may_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and can_publish(request.user)

    def has_publish_permission(self, request):
        return can_publish(request.user)

    def save_model(self, request, obj, form, change):
        if change and _unchanged(form):
            # Not even modified_at moves, so nobody else's open form is refused
            # for a save that changed nothing (save_related() writes the row when
            # only an inline changed).
            return
        if not change:
            obj.created_by = request.user
        if not may_set_status(request.user, obj.status):
            raise PermissionDenied
        super().save_model(request, obj, form, change)
        if change:
            record_slug_change(article=obj, previous_slug=form.initial["slug"])
        if form.cleaned_data.get("substantive_update"):
            mark_updated(article=obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        conflict = getattr(context["adminform"].form, "conflict", None)
        if conflict is not None:
            context["conflict"] = conflict_report(conflict, request.POST)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Managed by hand: the story joins the revision only when log_change()
        # is told something changed, so a plain re-save keeps no version.
        # (VersionAdmin.change_view would version every save.)
        with reversion.create_revision(manage_manually=True):
            reversion.set_user(request.user)
            return super(VersionAdmin, self).change_view(
                request, object_id, form_url, extra_context
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change and _unchanged(form) and any(formset.has_changed() for formset in formsets):
            form.instance.save(update_fields=["modified_at"])

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        if message and reversion.is_manage_manually():
            reversion.add_to_revision(obj)
        return entry

    def save_formset(self, request, form, formset, change):
        saved = formset.save()
        if formset.model is Correction:
            mark_corrected(article=form.instance, corrections=saved)
        if formset.model is Citation:
            for citation in saved:
                for host in outbound.privately_resolved_hosts(citation.url, citation.archive_url):
                    self.message_user(
                        request,
                        f"Source “{citation.outlet}”: {host} resolves to an address on a "
                        "private network here. Readers may not be able to open it, and the "
                        "link check will refuse it: check the address.",
                        messages.WARNING,
                    )

    @admin.display(description="Headline", ordering="headline")
    def headline_cell(self, article):
        # The column may cut a long headline short; the tooltip keeps it whole.
        return format_html('<span title="{}">{}</span>', article.headline, article.headline)

    @admin.display(description="Status", ordering="status")
    def state(self, article):
        label = article.state_label
        return format_html(
            '<span class="desk-state desk-state--{}">{}</span>', slugify(label), label
        )

    @admin.display(description="Goes live", ordering="publish_at")
    def goes_live(self, article):
        # None shows as the admin's empty value, as an empty field does.
        return desk_datetime(article.goes_live_at) if article.goes_live_at else None

    @admin.display(description="Last saved", ordering="modified_at")
    def last_saved(self, article):
        return desk_datetime(article.modified_at)

    @admin.display(description="By")
    def author_names(self, article):
        """Two names at most, so the column stays narrow; the story form has them all."""
        names = [byline.author.name for byline in article.bylines.all()]
        if len(names) <= 2:
            return ", ".join(names)
        return f"{names[0]} +{len(names) - 1}"

    @admin.display(description="Old addresses")
    def former_addresses(self, article):
        if not article.pk:
            return "—"
        slugs = [former.get_absolute_url() for former in article.former_slugs.all()]
        if not slugs:
            return "—"
        return format_html(
            "{}<br>Readers who follow these are sent on to the story's current address.",
            ", ".join(slugs),
        )

    @admin.display(description="Preview link")
    def preview_link(self, article):
        if not article.pk or not article.is_previewable:
            return "—"
        return render_to_string(
            "admin/articles/article/preview_link.html",
            {
                "url": preview_path(article),
                "revoke_url": reverse("admin:articles_article_revoke_previews", args=[article.pk]),
            },
        )

    def reversion_register(self, model, **kwargs):
        # Restoring a version must not bring revoked preview links back: versions
        # leave the key out, and a restored story gets a new one.
        if model is Article:
            kwargs["exclude"] = ["preview_key"]
        super().reversion_register(model, **kwargs)

    @admin.action(description="Submit selected drafts for review")
    def submit_selected(self, request, queryset):
        mine = submittable_by(request.user, queryset)
        self._apply(request, mine, submit_for_review, "submitted for review")

    @admin.action(description="Publish selected stories now", permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._apply(request, queryset, publish_article, "published")

    @admin.action(description="Schedule selected stories (set the time)", permissions=["publish"])
    def schedule_selected(self, request, queryset):
        try:
            at = self.action_form.base_fields["schedule_at"].clean(request.POST.get("schedule_at"))
        except ValidationError:
            at = None
        if at is None:
            self.message_user(request, "Choose the time to schedule for.", messages.ERROR)
            return
        self._apply(request, queryset, partial(schedule_article, at=at), "scheduled")

    @admin.action(description="Unpublish selected stories", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        self._apply(request, queryset, unpublish_article, "unpublished")

    def _apply(self, request, queryset, operation, done):
        """Run a service on each story; one story's problem does not stop the others."""
        succeeded = 0
        for article in queryset:
            try:
                with reversion.create_revision():
                    operation(article=article, by=request.user)
                    reversion.set_user(request.user)
                    reversion.set_comment(f"Story {done}.")
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

    def get_urls(self):
        return [
            path(
                "<int:pk>/compare/",
                self.admin_site.admin_view(partial(compare_view, self)),
                name="articles_article_compare",
            ),
            path(
                "<int:pk>/revoke-preview-links/",
                self.admin_site.admin_view(require_POST(partial(revoke_previews_view, self))),
                name="articles_article_revoke_previews",
            ),
            path(
                "<int:pk>/restore/<int:version_id>/",
                self.admin_site.admin_view(partial(restore_view, self)),
                name="articles_article_restore",
            ),
            *super().get_urls(),
        ]

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # django-reversion reverts first and then runs the change form, whose
        # permission check would judge the old version instead of the story.
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No such story.")
        version = get_object_or_404(Version.objects.get_for_object(article), pk=version_id)
        self.check_restore(request, version, current=article)
        response = super().revision_view(request, object_id, version_id, extra_context)
        if response.status_code == 302:
            # Saved as reverted: the change form saw the version's slug as the story's
            # own, so the address the story leaves is recorded here.
            reverted = Article.objects.get(pk=article.pk)
            record_slug_change(article=reverted, previous_slug=article.slug)
        return response

    def recover_view(self, request, version_id, extra_context=None):
        version = get_object_or_404(Version.objects.get_deleted(Article), pk=version_id)
        self.check_restore(request, version, current=None)
        return super().recover_view(request, version_id, extra_context)

    def check_restore(self, request, version, *, current):
        """Going back to a version is an edit of the story as it is now (adding it again, when
        it was deleted) that leaves it as the version has it: both must be allowed."""
        allowed_now = (
            self.has_add_permission(request)
            if current is None
            else self.has_change_permission(request, current)
        )
        if not (
            allowed_now and self.has_change_permission(request, version._object_version.object)
        ):
            raise PermissionDenied(
                "You can go back to a saved version only of a story you may edit now, and "
                "only to a version you could have saved yourself."
            )
