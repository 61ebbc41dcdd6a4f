from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html, format_html_join

from newsroom.formats import desk_datetime

from .metadata import read_metadata
from .models import Photo
from .services import EDITORS_ONLY, create_photo_from_upload, remake_renditions, save_photo
from .uploads import open_upload
from .usage import prefetch_lookups, uses_of
from .widgets import ACCEPT, REMAKE, thumbnail


class PhotoForm(forms.ModelForm):
    """Checks a new file before anything is saved and fills the fields its metadata carries."""

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

    def clean_image(self):
        file = self.cleaned_data.get("image")
        if file and file is not self.initial.get("image"):
            self.opened_image = open_upload(file)
        return file

    def clean(self):
        cleaned = super().clean()
        if self.opened_image is not None:
            metadata = read_metadata(self.opened_image)
            typed = Photo(**{name: cleaned.get(name) or "" for name in metadata.fields})
            self.autofilled = typed.fill_blanks(metadata.fields)
            cleaned.update({name: getattr(typed, name) for name in self.autofilled})
            self.notices = metadata.notices(used=self.autofilled)
        if not cleaned.get("credit", "").strip() and "credit" not in self.errors:
            # The form lets credit be blank so metadata can fill it, which also
            # skips the model's check; apply it here once the file has had its say.
            self.add_error("credit", Photo._meta.get_field("credit").error_messages["blank"])
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
    files = MultipleFileField(
        label="Photos",
        help_text="Choose one or several JPEG, PNG or WebP files. Caption, credit, "
        "photographer, copyright, title and alt text are filled from each file's metadata.",
    )
    credit = forms.CharField(
        required=False,
        max_length=255,
        help_text="Used only for files that carry no credit line of their own.",
    )


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

    def get_urls(self):
        return [
            path(
                "upload/",
                self.admin_site.admin_view(self.upload_view),
                name="photos_photo_upload",
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
        """Several files at once: a photo per good file; each bad one named with its problem."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = UploadPhotosForm(request.POST or None, request.FILES or None)
        failures = []
        if request.method == "POST" and form.is_valid():
            created = []
            fallbacks = {"credit": form.cleaned_data["credit"]}
            for file in form.cleaned_data["files"]:
                try:
                    created.append(
                        (file.name, create_photo_from_upload(file=file, fallbacks=fallbacks))
                    )
                except ValidationError as error:
                    failures.append((file.name, error.messages))
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


def _labels(names):
    return ", ".join(str(Photo._meta.get_field(name).verbose_name) for name in names)
