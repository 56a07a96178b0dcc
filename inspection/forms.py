"""Forms for the lead inspector's pages, laid out with the GOV.UK template pack."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Div, Field, Layout, Size, Submit
from django import forms
from django.utils.html import format_html

from . import input_rules as rules
from .choices import Addressee, AuditKind, Rating
from .models import AuditEntry, Recommendation


class Domain1Form(forms.Form):
    rating = forms.ChoiceField(
        choices=Rating.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a rating",
            "invalid_choice": "Choose a rating from the list",
        },
    )

    def __init__(self, *args, standard_name: str = "", rated: bool = True, **kwargs):
        """`rated`: the framework rates the standard; one it does not rate is judged in words."""
        super().__init__(*args, **kwargs)
        if rated:
            # crispy-forms-gds renders a label as HTML: the framework's name goes in as text.
            self.fields["rating"].label = format_html("Rating for {}", standard_name.lower())
            first = Field.radios("rating", legend_size=Size.MEDIUM)
        else:
            del self.fields["rating"]
            self.fields["judgement"] = rules.FreeTextField(
                what="the judgement",
                max_length=rules.JUDGEMENT_MAX,
                label="Judgement",
                help_text="This standard is not rated: the report gives this judgement in words, "
                f"up to {rules.JUDGEMENT_MAX:,} characters.",
                error_messages={"required": "Write the judgement"},
            )
            first = Field.textarea("judgement", label_size=Size.MEDIUM, rows=8)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            first,
            Submit("submit", "Save rating" if rated else "Save judgement"),
        )

    @property
    def judgement(self) -> dict:
        """What the service saves (after is_valid())."""
        return {
            "rating": self.cleaned_data.get("rating", ""),
            "judgement": self.cleaned_data.get("judgement", ""),
        }


class RecommendationForm(forms.ModelForm):
    text = rules.FreeTextField(
        label="Recommendation",
        what="the recommendation",
        max_length=rules.RECOMMENDATION_MAX,
        error_messages={"required": "Enter the recommendation"},
    )
    order = rules.whole_number_for(
        Recommendation,
        "order",
        what="the order",
        label="Order",
        help_text="Recommendations are listed by this number within each addressee.",
        error_messages={"required": "Enter the order, a whole number"},
    )

    class Meta:
        model = Recommendation
        fields = ["addressee", "text", "order"]
        labels = {"addressee": "Addressed to"}
        widgets = {"addressee": forms.RadioSelect}
        error_messages = {
            "addressee": {
                "required": "Choose who the recommendation is addressed to",
                "invalid_choice": "Choose who the recommendation is addressed to from the list",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["addressee"].choices = Addressee.choices
        # crispy-forms-gds 2.0.1 reads this to link the character count, failing if unset.
        self.fields["text"].widget.attrs["aria-describedby"] = ""
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("addressee", legend_size=Size.SMALL),
            Field.textarea(
                "text", label_size=Size.SMALL, rows=4, max_characters=rules.RECOMMENDATION_MAX
            ),
            Field.text("order", label_size=Size.SMALL, field_width=3),
            Submit("submit", "Save recommendation"),
        )


class MoveForm(forms.Form):
    """A lifecycle move as the status page posts it; lifecycle.move decides if it is allowed."""

    to_status = rules.FreeTextField(
        what="the status to move to",
        max_length=20,
        multiline=False,
        widget=forms.HiddenInput,
        error_messages={"required": "The page did not say where to move: reload the page"},
    )
    reason = rules.FreeTextField(what="the reason", max_length=rules.REASON_MAX, required=False)


class PublishForm(forms.Form):
    """The lead's confirmation that the report is read and is to be published."""

    confirm = forms.BooleanField(
        label="I have read the report and want to publish it",
        error_messages={"required": "Confirm that you have read the report and want to publish it"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(Field.checkbox("confirm"), Button.primary("publish", "Publish"))


class ReopenForm(forms.Form):
    """Why a published inspection is re-opened: kept with its history."""

    reason = rules.FreeTextField(
        what="the reason",
        max_length=rules.REASON_MAX,
        label="Why are you re-opening it?",
        help_text="Kept in the inspection's history and audit trail, with your name.",
        error_messages={"required": "Give a reason for re-opening a published inspection"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # crispy-forms-gds 2.0.1 reads this to link the character count, failing if unset.
        self.fields["reason"].widget.attrs["aria-describedby"] = ""
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.textarea(
                "reason", label_size=Size.MEDIUM, rows=4, max_characters=rules.REASON_MAX
            ),
            Button.warning("reopen", "Re-open for moderation"),
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
    page = rules.WholeNumberField(
        what="the page number",
        minimum=1,
        maximum=rules.column_range(AuditEntry, "id")[1],  # never more pages than entries
        required=False,
        widget=forms.HiddenInput,
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


class FrameworkUploadForm(forms.Form):
    """Admin: a framework file to check and preview (inspection/admin.py)."""

    file = forms.FileField(
        label="Framework file (JSON, format 2)",
        help_text="Up to 2 MB, UTF-8. Nothing is loaded until you have checked the preview.",
        error_messages={"required": "Choose a framework file"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Refused before it is read into memory.
        if upload.size > rules.FRAMEWORK_FILE_MAX_BYTES:
            raise forms.ValidationError(
                f"The file must be {rules.FRAMEWORK_FILE_MAX_BYTES // 1000:,} KB or smaller "
                f"(it is {-(-upload.size // 1000):,} KB)"
            )
        return upload

    def content(self) -> bytes:
        # One byte past the limit is enough to know it is too big; the rest is never read.
        return self.cleaned_data["file"].read(rules.FRAMEWORK_FILE_MAX_BYTES + 1)
