from django import forms

from .models import ReaderProfile


class DisplayNameForm(forms.ModelForm):
    class Meta:
        model = ReaderProfile
        fields = ["display_name"]
        help_texts = {
            "display_name": "Shown with your comments. Your email address is never shown."
        }


class ReaderSignupForm(forms.Form):
    """Extra signup field for allauth: the public name a reader comments under."""

    display_name = DisplayNameForm.base_fields["display_name"]

    def clean_display_name(self):
        profile = ReaderProfile(display_name=self.cleaned_data["display_name"])
        try:
            profile.full_clean(exclude=["user"])
        except forms.ValidationError as error:
            raise forms.ValidationError(error.messages) from error
        return profile.display_name

    def signup(self, request, user):
        ReaderProfile.objects.create(user=user, display_name=self.cleaned_data["display_name"])
