from allauth.account.adapter import get_adapter
from allauth.account.fields import PasswordField
from allauth.mfa.base.forms import ReauthenticateForm as CodeForm
from allauth.mfa.utils import is_mfa_enabled
from django import forms


class DeleteAccountForm(forms.Form):
    """The reader proves it is them (password, and their authenticator app's code when
    they use one) and says they mean it.

    Password and code are checked as allauth checks them when a reader signs in
    again, so its limits on failed logins and wrong codes count these tries too.
    """

    password = PasswordField(label="Your password", autocomplete="current-password")
    code = forms.CharField(
        label="Code from your authenticator app",
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8}
        ),
    )
    confirm = forms.BooleanField(
        label="I understand that my account and my personal data are deleted at once and for good.",
        error_messages={"required": "Tick the box to confirm that you want your account deleted."},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.asks_code = is_mfa_enabled(user)
        if not self.asks_code:
            del self.fields["code"]

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not get_adapter().reauthenticate(self.user, password):
            raise get_adapter().validation_error("incorrect_password")
        return password

    def clean_code(self):
        if not self.cleaned_data["code"]:
            raise forms.ValidationError(
                "Enter the current code from your authenticator app (or a recovery code)."
            )
        if "password" in self.errors:
            # A code is accepted once: keep it for the try with the right password.
            return self.cleaned_data["code"]
        code = CodeForm(user=self.user, data={"code": self.cleaned_data["code"]})
        if not code.is_valid():
            raise forms.ValidationError(code.errors["code"])
        return code.cleaned_data["code"]
