"""Forms for the lead inspector's pages, laid out with the GOV.UK template pack."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from .choices import Addressee, Rating
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
