"""Forms for the lead inspector's pages, laid out with the GOV.UK template pack."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Div, Field, Layout, Size, Submit
from django import forms

from .choices import Addressee, AuditKind, Rating
from .models import Recommendation


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class Domain1Form(forms.Form):
    rating = forms.ChoiceField(
        choices=Rating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a rating"},
    )
    strengths = forms.CharField(
        widget=forms.Textarea,
        required=False,
        help_text="One strength per line, in the order the report should give them.",
    )
    areas_for_improvement = forms.CharField(
        label="Areas for improvement",
        widget=forms.Textarea,
        required=False,
        help_text="One area per line, in order.",
    )

    def __init__(self, *args, standard_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rating"].label = f"Rating for {standard_name.lower()}"
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("rating", legend_size=Size.MEDIUM),
            Field.textarea("strengths", label_size=Size.SMALL, rows=8),
            Field.textarea("areas_for_improvement", label_size=Size.SMALL, rows=8),
            Submit("submit", "Save rating"),
        )

    def clean_strengths(self):
        return _lines(self.cleaned_data["strengths"])

    def clean_areas_for_improvement(self):
        return _lines(self.cleaned_data["areas_for_improvement"])


class RecommendationForm(forms.ModelForm):
    class Meta:
        model = Recommendation
        fields = ["addressee", "text", "order"]
        labels = {"addressee": "Addressed to", "text": "Recommendation", "order": "Order"}
        widgets = {"addressee": forms.RadioSelect, "text": forms.Textarea}
        help_texts = {"order": "Recommendations are listed by this number within each addressee."}
        error_messages = {
            "addressee": {"required": "Choose who the recommendation is addressed to"},
            "text": {"required": "Enter the recommendation"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["addressee"].choices = Addressee.choices
        self.fields["order"].widget.attrs["class"] = "govuk-input govuk-input--width-3"
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("addressee", legend_size=Size.SMALL),
            Field.textarea("text", label_size=Size.SMALL, rows=4),
            Field.text("order", label_size=Size.SMALL, field_width=3),
            Submit("submit", "Save recommendation"),
        )


class MoveForm(forms.Form):
    """A lifecycle move as the status page posts it; lifecycle.move decides if it is allowed."""

    to_status = forms.CharField(widget=forms.HiddenInput, max_length=20)
    reason = forms.CharField(
        widget=forms.Textarea,
        required=False,
        max_length=2000,
        error_messages={"max_length": "The reason must be 2,000 characters or fewer"},
    )


class AuditFilterForm(forms.Form):
    """Narrows an inspection's audit trail; read from the query string (GET)."""

    case = forms.TypedChoiceField(
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "Choose a case from the list"},
    )
    person = forms.ChoiceField(
        label="Who",
        required=False,
        error_messages={"invalid_choice": "Choose a person from the list"},
    )
    kind = forms.ChoiceField(
        label="Change to",
        required=False,
        choices=[("", "Anything"), *AuditKind.choices],
        error_messages={"invalid_choice": "Choose a kind of change from the list"},
    )
    page = forms.IntegerField(
        required=False,
        min_value=1,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": "The page number must be a whole number",
            "min_value": "The page number must be 1 or more",
        },
    )

    # Entries made by no one (an import from the command line). Not a possible username.
    SYSTEM = "(system)"

    def __init__(self, data, *, entries):
        """`entries`: the inspection's whole trail, which the choices are drawn from (people by
        the name each entry kept, so entries of deleted accounts can still be found)."""
        super().__init__(data)
        cases = (
            entries.exclude(case_id=None)
            .values_list("case_id", "case_ref")
            .distinct()
            .order_by("case_ref", "case_id")
        )
        self.fields["case"].choices = [("", "Every case"), *cases]
        names = entries.values_list("user_name", flat=True).distinct().order_by("user_name")
        self.fields["person"].choices = [("", "Everyone")] + [
            (name or self.SYSTEM, name or "System") for name in names
        ]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_id = "audit-filters"
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Div(
                Field.select("case"),
                Field.select("person"),
                Field.select("kind"),
                css_class="app-filters",
            ),
            Button.secondary("filter", "Apply filters"),
        )

    def filter(self, entries):
        """The trail narrowed by the valid filters (call after is_valid())."""
        chosen = self.cleaned_data
        if chosen["case"] is not None:
            entries = entries.filter(case_id=chosen["case"])
        if chosen["person"]:
            entries = entries.filter(
                user_name="" if chosen["person"] == self.SYSTEM else chosen["person"]
            )
        if chosen["kind"]:
            entries = entries.filter(kind=chosen["kind"])
        return entries

    def error_items(self) -> list[tuple[str, str]]:
        """(link, message) pairs for the error-summary include."""
        return [
            (f"#id_{name}" if name != "page" else "#audit-filters", message)
            for name, messages in self.errors.items()
            for message in messages
        ]
