from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_GET, require_POST

from imaging.uploads import open_upload
from newsroom.formats import desk_datetime

from .captions import credit_repeated_in, without_repeated_credit
from .models import Photo
from .services import EDITORS_ONLY, create_photo_from_upload, remake_renditions, save_photo
from .usage import prefetch_lookups, uses_of
from .widgets import ACCEPT, FAILED, REMAKE, thumbnail


class PhotoForm(forms.ModelForm):
    """Checks a new file before anything is saved and fills the fields its metadata carries."""

    # On the form only while the saved caption ends with the credit (PhotoAdmin.get_fieldsets).
    drop_repeated_credit = forms.BooleanField(
        required=False, label="Drop the credit from the caption"
    )

    class Meta:
        model = Photo
        fields = [
            "image",
            "title",
            "caption",
            "credit",
            "photographer",
            "copyright_notice",
            "alt_text",
            "focal_x",
            "focal_y",
        ]
        # A plain file field: Django's ImageField would refuse bad files with one
        # generic message before open_upload() can name the problem.
        field_classes = {"image": forms.FileField}
        widgets = {"image": forms.ClearableFileInput(attrs={"accept": ACCEPT})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.opened_image = None
        self.autofilled = []
        self.notices = []
        if "credit" in self.fields:
            # The file's metadata may supply it; the model insists when it does not.
            self.fields["credit"].required = False
        if "drop_repeated_credit" in self.fields:
            repeated = credit_repeated_in(self.instance.caption, self.instance.credit)
            # The admin prints help text as HTML: the caption's words must be escaped.
            self.fields["drop_repeated_credit"].help_text = format_html(
                "The caption ends with “{}”, which repeats the credit line. Pages print the "
                "credit under the caption, so readers see it twice: tick to take it off the "
                "end of the caption.",
                repeated,
            )

    def clean_image(self):
        file = self.cleaned_data.get("image")
        if file and file is not self.initial.get("image"):
            self.opened_image = open_upload(file)
        return file

    def clean(self):
        cleaned = super().clean()
        if self.opened_image is not None:
            metadata = Photo.metadata_of(self.opened_image)
            typed = Photo(**{name: cleaned.get(name) or "" for name in metadata.fields})
            self.autofilled = typed.fill_blanks(metadata.fields)
            cleaned.update({name: getattr(typed, name) for name in self.autofilled})
            self.notices = metadata.notices(used=self.autofilled)
        if not cleaned.get("credit", "").strip() and "credit" not in self.errors:
            # The form lets credit be blank so metadata can fill it, which also
            # skips the model's check; apply it here once the file has had its say.
            self.add_error("credit", Photo._meta.get_field("credit").error_messages["blank"])
        if cleaned.get("drop_repeated_credit") and "caption" in cleaned:
            cleaned["caption"] = without_repeated_credit(
                cleaned["caption"], cleaned.get("credit", "")
            )
        return cleaned


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True

    def __init__(self):
        super().__init__(attrs={"accept": ACCEPT})


class MultipleFileField(forms.FileField):
    """Several files in one field; each is checked later, one by one, so good ones are kept."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        cleaned = [super(MultipleFileField, self).clean(file, initial) for file in files if file]
        if not cleaned and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        return cleaned


class UploadPhotosForm(forms.Form):
    # The credit comes first: the page's script uploads each file as soon as it is chosen.
    credit = forms.CharField(
        required=False,
        max_length=255,
        help_text="Used only for files that carry no credit line of their own.",
    )
    files = MultipleFileField(
        label="Photos",
        help_text="Choose one or several JPEG, PNG or WebP files. Caption, credit, "
        "photographer, copyright, title and alt text are filled from each file's metadata.",
    )


class RenditionsFilter(admin.SimpleListFilter):
    title = "renditions"
    parameter_name = "renditions"

    def lookups(self, request, model_admin):
        return [("processing", "Processing"), ("failed", "Failed")]

    def queryset(self, request, queryset):
        if self.value() == "processing":
            return queryset.processing()
        if self.value() == "failed":
            return queryset.renditions_failed()
        return queryset


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    form = PhotoForm
    list_display = [
        "preview",
        "__str__",
        "credit",
        "photographer",
        "has_alt_text",
        "size",
        "usage",
        "uploaded_at",
    ]
    list_display_links = ["preview", "__str__"]
    list_filter = [RenditionsFilter]
    actions = ["remake"]
    search_fields = ["title", "caption", "credit", "photographer"]
    readonly_fields = [
        "large_preview",
        "filled_from_file",
        "used_in",
        "width",
        "height",
        "uploaded_at",
        "changes_while_live",
    ]
    fieldsets = [
        (None, {"fields": ["image", "large_preview", "filled_from_file"]}),
        (
            None,
            {"fields": ["title", "caption", "credit", "photographer", "copyright_notice"]},
        ),
        (None, {"fields": ["alt_text", ("focal_x", "focal_y")]}),
        ("In use", {"fields": ["used_in", ("width", "height"), "uploaded_at"]}),
        ("History", {"fields": ["changes_while_live"]}),
    ]

    class Media:
        js = ["photos/focal_point.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(*prefetch_lookups())

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not credit_repeated_in(obj.caption, obj.credit):
            return fieldsets
        # The offer sits under the credit it repeats.
        return [
            (name, {**options, "fields": _after_credit(options["fields"])})
            for name, options in fieldsets
        ]

    def get_urls(self):
        return [
            path(
                "upload/",
                self.admin_site.admin_view(self.upload_view),
                name="photos_photo_upload",
            ),
            path(
                "upload/one/",
                self.admin_site.admin_view(require_POST(self.upload_one_view)),
                name="photos_photo_upload_one",
            ),
            path(
                "<int:pk>/state/",
                self.admin_site.admin_view(require_GET(self.state_view)),
                name="photos_photo_state",
            ),
            path(
                "original/<path:name>",
                self.admin_site.admin_view(self.original_view),
                name="photos_photo_original",
            ),
            *super().get_urls(),
        ]

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return obj.can_be_changed_by(request.user)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        photo = self.get_object(request, object_id)
        if (
            request.method == "GET"
            and photo
            and not self.has_change_permission(request, photo)
            and photo.is_live()
        ):
            messages.info(request, EDITORS_ONLY)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if form.opened_image is not None:
            obj.autofilled_fields = form.autofilled
        save_photo(photo=obj, by=request.user, image=form.opened_image)
        if form.autofilled:
            messages.info(request, f"Filled from the file: {_labels(form.autofilled)}. Check them.")
        for notice in form.notices:
            messages.warning(request, notice)
        if repeated := credit_repeated_in(obj.caption, obj.credit):
            messages.warning(
                request,
                f"The caption of “{obj}” ends with “{repeated}”, the credit line readers see "
                "under it anyway; the photo's page offers to drop it from the caption.",
            )

    @admin.action(description=REMAKE, permissions=["change"])
    def remake(self, request, queryset):
        """After a failure (or for a bad-looking set): a worker makes the files again."""
        photos = list(queryset.only("pk"))
        for photo in photos:
            remake_renditions(photo_id=photo.pk)
        messages.success(
            request, f"Renditions queued for {len(photos)} photo(s); refresh to see them ready."
        )

    def upload_view(self, request):
        """Several files at once: a photo per good file; each bad one named with its problem.

        The page's script (photos/static/photos/uploader.js) sends the files one
        by one to upload_one_view instead; this form is what works without it.
        """
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = UploadPhotosForm(request.POST or None, request.FILES or None)
        failures = []
        if request.method == "POST" and form.is_valid():
            created, failures = _add_uploads(form)
            for name, photo in created:
                filled = _labels(photo.autofilled_fields) or "nothing"
                messages.success(request, f"Added “{photo}”; filled from the file: {filled}.")
                for notice in photo.upload_notices:
                    messages.warning(request, f"{name}: {notice}")
            if not failures:
                return redirect("admin:photos_photo_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Upload photos",
            "form": form,
            "failures": failures,
        }
        return TemplateResponse(request, "admin/photos/photo/upload.html", context)

    def upload_one_view(self, request):
        """One file from the uploader script, answered in JSON: the new photo (its desk link
        and state) with status 201, or the file's problems under `errors` with status 400."""
        if not self.has_add_permission(request):
            return JsonResponse({"errors": ["Your account may not add photos."]}, status=403)
        form = UploadPhotosForm(request.POST, request.FILES)
        if not form.is_valid():
            problems = [problem for errors in form.errors.values() for problem in errors]
            return JsonResponse({"errors": problems}, status=400)
        if len(form.cleaned_data["files"]) != 1:
            return JsonResponse({"errors": ["Send one file at a time."]}, status=400)
        created, failures = _add_uploads(form)
        if failures:
            ((name, problems),) = failures
            return JsonResponse({"name": name, "errors": problems}, status=400)
        ((name, photo),) = created
        answer = {
            "name": name,
            "title": str(photo),
            "filled": _labels(photo.autofilled_fields) or "nothing",
            "notices": photo.upload_notices,
            **_state(photo),
        }
        return JsonResponse(answer, status=201)

    def state_view(self, request, pk):
        """How far a photo's renditions are, for the uploader's list (JSON)."""
        if not self.has_view_permission(request):
            return JsonResponse({"errors": ["Your account may not see photos."]}, status=403)
        photo = Photo.objects.filter(pk=pk).first()
        if photo is None:
            return JsonResponse({"errors": ["No such photo."]}, status=404)
        return JsonResponse(_state(photo))

    def original_view(self, request, name):
        """The archived original, for staff only (it keeps the GPS and camera data)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        photo = Photo.objects.filter(image=name).first()
        if photo is None:
            raise Http404("No such original.")
        return FileResponse(photo.image.open("rb"), as_attachment=True)

    @admin.display(description="")
    def preview(self, photo):
        return thumbnail(photo)

    @admin.display(description="Preview")
    def large_preview(self, photo):
        if not photo.is_ready:
            return thumbnail(photo) if photo.pk else "—"
        # The focal point script marks and moves the point on this preview.
        return format_html(
            '<div class="focal-point-preview" style="position:relative;display:inline-block">'
            "{}</div><p class=help>Click the subject to set the focal point for crops.</p>",
            thumbnail(photo, width=480),
        )

    @admin.display(description="Filled from the file")
    def filled_from_file(self, photo):
        return _labels(photo.autofilled_fields) or "Nothing (the file carried no metadata)."

    @admin.display(description="Used in")
    def used_in(self, photo):
        uses = uses_of(photo)
        if not uses:
            return "Not used in any story yet."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a> ({})</li>',
                ((use.admin_url, use.title, use.state) for use in uses),
            ),
        )

    @admin.display(description="Changes while live")
    def changes_while_live(self, photo):
        changes = photo.changes.select_related("changed_by") if photo.pk else []
        if not changes:
            return "No caption or credit change while it was in a published or scheduled story."
        return format_html(
            '<table id="photo-history"><thead><tr><th>When</th><th>Who</th><th>Field</th>'
            "<th>Before</th><th>After</th></tr></thead><tbody>{}</tbody></table>",
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                (
                    (
                        desk_datetime(change.changed_at),
                        change.changed_by.get_username() if change.changed_by else "—",
                        change.get_field_display(),
                        change.before,
                        change.after,
                    )
                    for change in changes
                ),
            ),
        )

    @admin.display(description="Used in")
    def usage(self, photo):
        count = len(uses_of(photo))
        return f"{count} stor{'y' if count == 1 else 'ies'}" if count else "—"

    @admin.display(boolean=True, description="Alt text")
    def has_alt_text(self, photo):
        return bool(photo.alt_text.strip())

    @admin.display(description="Size")
    def size(self, photo):
        return f"{photo.width}×{photo.height}" if photo.width else "—"


def _after_credit(fields):
    if "credit" not in fields:
        return fields
    at = fields.index("credit") + 1
    return [*fields[:at], "drop_repeated_credit", *fields[at:]]


def _labels(names):
    return ", ".join(str(Photo._meta.get_field(name).verbose_name) for name in names)


def _add_uploads(form):
    """A photo for each good file of a valid UploadPhotosForm: ([(name, photo)], [(name,
    problems)]); a bad file adds nothing and does not stop the others."""
    created, failures = [], []
    fallbacks = {"credit": form.cleaned_data["credit"]}
    for file in form.cleaned_data["files"]:
        try:
            created.append((file.name, create_photo_from_upload(file=file, fallbacks=fallbacks)))
        except ValidationError as error:
            failures.append((file.name, error.messages))
    return created, failures


def _state(photo):
    """The photo as the uploader's list shows it: where it is on the desk, and whether its
    renditions are ready, still being made, or failed (and why)."""
    if photo.renditions_failed:
        state, note = "failed", FAILED.format(photo.rendition_error, "the caption and credit")
    elif photo.is_processing:
        state, note = (
            "processing",
            "Making its renditions; readers get the caption and credit meanwhile.",
        )
    else:
        state, note = "ready", ""
    return {
        "id": photo.pk,
        "url": reverse("admin:photos_photo_change", args=[photo.pk]),
        "state_url": reverse("admin:photos_photo_state", args=[photo.pk]),
        "state": state,
        "note": note,
        "thumbnail": photo.smallest_rendition_url() if photo.is_ready else "",
    }
