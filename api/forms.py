from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from .models import ApiToken

NAME_MAX = ApiToken._meta.get_field("name").max_length


class CreateTokenForm(forms.Form):
    name = forms.CharField(
        label="Token name",
        max_length=NAME_MAX,
        help_text="What will use it, so you know which to revoke, e.g. “Monthly figures”.",
        error_messages={
            "required": "Enter a name for the token",
            "max_length": f"Token name must be {NAME_MAX} characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("name", label_size=Size.SMALL, field_width=20),
            Submit("create", "Create token"),
        )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Enter a name for the token")
        return name


class RevokeTokenForm(forms.Form):
    """Only a confirmation: the token is the one in the URL, looked up among the user's own."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Submit("revoke", "Revoke token", css_class="govuk-button--warning")
        )
