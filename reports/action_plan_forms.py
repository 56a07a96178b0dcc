"""Forms for action plans (reports/views/action_plans.py). They check what a person types;
reports/action_plans.py checks who, the plan's state and its version, and saves."""

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from inspection import input_rules as rules
from inspection.choices import PlanProgress, PlanState

from .models import PlanAction, Theme
from .report_forms import Versioned, VersionField

ACTION_STATUSES = [c for c in PlanProgress.choices if c[0] != PlanProgress.NOT_ACCEPTED]


class DayMonthYearField(DateInputField):
    """GOV.UK's date input, saying in words what is wrong with a date that does not exist
    (crispy-forms-gds passes on Python's "day is out of range for month"), or one out of range."""

    def compress(self, data_list):
        try:
            value = super().compress(data_list)
        except forms.ValidationError as error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error
        if value is not None and not 2000 <= value.year <= 2100:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return value


def _date_field(label: str, help_text: str) -> DateInputField:
    field = DayMonthYearField(label=label, help_text=help_text)
    field.error_messages.update(
        required=f"Enter the {label.lower()}, with day, month and year",
        incomplete=f"Enter the {label.lower()}, with day, month and year",
        invalid=f"Enter the {label.lower()} as a real date, e.g. 27 3 2027",
    )
    return field


def _helper(*layout) -> FormHelper:
    helper = FormHelper()
    # The plan's page has a form for each step, each posting to its own URL: the templates
    # write the <form> tags.
    helper.form_tag = False
    helper.layout = Layout(*layout)
    return helper


class PlanForm(Versioned, forms.Form):
    """Every plan form carries the plan's version the page was made from."""

    shown_on = "__all__"
    what = "action plan"
    version = VersionField()


class ActionForm(PlanForm):
    shown_on = "action"
    action = rules.FreeTextField(
        label="What will be done",
        what="the action",
        max_length=rules.ACTION_MAX,
        help_text="One thing that will be done towards the recommendation.",
        error_messages={"required": "Enter what will be done"},
    )
    owner = rules.FreeTextField(
        label="Owner",
        what="the owner",
        max_length=rules.ACTION_OWNER_MAX,
        multiline=False,
        help_text="The person or post responsible, e.g. Head of PDU.",
        error_messages={"required": "Enter who owns the action"},
    )
    due = _date_field("Due date", "For example, 27 3 2027")

    def __init__(self, *args, with_status: bool = False, submit: str = "Add action", **kwargs):
        super().__init__(*args, **kwargs)
        fields = [
            Field.textarea(
                "action", label_size=Size.SMALL, rows=3, max_characters=rules.ACTION_MAX
            ),
            Field.text("owner", label_size=Size.SMALL),
            Field("due", legend_size=Size.SMALL),
        ]
        if with_status:
            self.fields["status"] = forms.ChoiceField(
                label="Status",
                choices=ACTION_STATUSES,
                widget=forms.RadioSelect,
                error_messages={"required": "Choose the action's status"},
            )
            fields.append(Field.radios("status", legend_size=Size.SMALL, inline=True))
        self.helper = _helper(*fields, "version", Submit("save", submit))

    @classmethod
    def initial_of(cls, action: PlanAction, version: int) -> dict:
        return {
            "action": action.what,
            "owner": action.owner,
            "due": action.due,
            "status": action.status,
            "version": version,
        }


class ActionStatusForm(PlanForm):
    """Once a plan is submitted or accepted, an action's status still moves on."""

    status = forms.ChoiceField(
        label="Status",
        choices=ACTION_STATUSES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the action's status"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("status", legend_size=Size.SMALL, inline=True),
            "version",
            Submit("save", "Save status"),
        )


class ProgressForm(PlanForm):
    shown_on = "text"
    progress = forms.ChoiceField(
        label="Progress on the recommendation",
        choices=PlanProgress.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the progress on the recommendation"},
    )
    on = _date_field("Date of the update", "For example, 27 3 2027")
    text = rules.FreeTextField(
        label="Update and evidence",
        what="the update",
        max_length=rules.PROGRESS_MAX,
        help_text="What has been done and how you know. If the recommendation is not accepted, "
        "say why here.",
        error_messages={"required": "Enter the update and its evidence"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("progress", legend_size=Size.SMALL),
            Field("on", legend_size=Size.SMALL),
            Field.textarea(
                "text", label_size=Size.SMALL, rows=5, max_characters=rules.PROGRESS_MAX
            ),
            "version",
            Submit("save", "Record progress"),
        )


class SubmitForm(PlanForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("version", Submit("save", "Submit the plan to the lead inspector"))


class ReviewForm(PlanForm):
    shown_on = "comment"
    outcome = forms.ChoiceField(
        label="Your decision",
        choices=[(PlanState.ACCEPTED, "Accept the plan"), (PlanState.RETURNED, "Return it")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to accept the plan or return it"},
    )
    comment = rules.FreeTextField(
        label="Comment",
        what="the comment",
        max_length=rules.PLAN_COMMENT_MAX,
        required=False,
        help_text="Needed to return a plan: say what to change.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("outcome", legend_size=Size.SMALL, inline=True),
            Field.textarea(
                "comment", label_size=Size.SMALL, rows=4, max_characters=rules.PLAN_COMMENT_MAX
            ),
            "version",
            Submit("save", "Save decision"),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == PlanState.RETURNED and not cleaned.get("comment", "").strip():
            self.add_error("comment", "Say what to change: a returned plan needs a comment")
        return cleaned


class ThemesForm(forms.Form):
    themes = forms.ModelMultipleChoiceField(
        label="Tag the recommendation with its themes",
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Counted across inspections on the national dashboard.",
        error_messages={"invalid_choice": "Choose themes from the list"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.checkboxes("themes", legend_size=Size.SMALL, small=True),
            Submit("save", "Save themes", css_class="govuk-button--secondary"),
        )


class PreviousProgressForm(forms.Form):
    """Take the previous inspection's progress into this report, as it stands, or leave it out."""

    choice = forms.ChoiceField(
        choices=[("take", "Take into the report"), ("leave", "Leave out of the report")],
        widget=forms.HiddenInput,
        error_messages={"required": "The page is damaged: reload it"},
    )
