"""Forms of the cases app shared by its pages and Django admin."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Div, Field, Layout, Size, Submit
from django import forms

from inspection import input_rules as rules
from inspection.choices import AnswerValue

from .choices import CaseStatus
from .double_marking import RECONCILE_NOTE_MAX
from .models import SHARE_MAX, SHARE_MIN, Case, DipSample, QAOutcome, ReliabilitySample
from .qa import QuestionVerdict
from .sample_import import MAX_BYTES, SampleRefused, import_sample


class SampleUploadForm(forms.Form):
    file = forms.FileField(
        label="Case sample (CSV)",
        error_messages={"required": "Choose a CSV file of sampled cases"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.problems: list[str] = []

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Refused before it is read into memory (the import checks the same limit on the bytes).
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"The file must be {MAX_BYTES // 1000:,} KB or smaller "
                f"(it is {-(-upload.size // 1000):,} KB)"
            )
        return upload

    def import_into(self, inspection, by) -> list[Case] | None:
        """Import the valid upload; None if the file was refused (see self.problems)."""
        try:
            # One byte past the limit is enough to refuse it; the rest is never read.
            upload = self.cleaned_data["file"].read(MAX_BYTES + 1)
            return import_sample(inspection, upload, by)
        except SampleRefused as refused:
            self.problems = refused.problems
            return None


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


class CaseFilterForm(forms.Form):
    """Narrows an inspection's case list; read from the query string (GET)."""

    status = forms.ChoiceField(
        required=False,
        choices=[("", "All statuses"), *CaseStatus.choices],
        error_messages={"invalid_choice": "Choose a status from the list"},
    )
    inspector = forms.TypedChoiceField(
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "Choose an inspector from the list"},
    )

    def __init__(self, data, *, team):
        super().__init__(data)
        self.fields["inspector"].choices = [("", "All inspectors")] + [
            (user.pk, _name(user)) for user in team
        ]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_id = "case-filters"
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Div(Field.select("status"), Field.select("inspector"), css_class="app-filters"),
            Button.secondary("filter", "Apply filters"),
        )

    def filter(self, cases):
        """`cases` narrowed by each filter that is valid (call after is_valid())."""
        chosen = self.cleaned_data
        if chosen.get("status"):
            cases = cases.filter(status=chosen["status"])
        if chosen.get("inspector") is not None:
            cases = cases.filter(assigned_inspector_id=chosen["inspector"])
        return cases

    @property
    def filtered(self) -> bool:
        return any(self.cleaned_data.get(name) not in (None, "") for name in self.fields)


class AssignForm(forms.Form):
    """The lead gives a case to one of the team, or to nobody."""

    inspector = forms.TypedChoiceField(
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "Choose an inspector who is on this inspection's team"},
    )

    def __init__(self, data, *, team):
        super().__init__(data)
        self.fields["inspector"].choices = [("", "Nobody")] + [
            (user.pk, _name(user)) for user in team
        ]


class DipSampleForm(forms.Form):
    share_percent = rules.whole_number_for(
        DipSample,
        "share_percent",
        what="the share of complete cases to dip-sample",
        minimum=SHARE_MIN,
        maximum=SHARE_MAX,
        label="Share of complete cases to dip-sample",
        error_messages={"required": "Enter the share of complete cases to dip-sample"},
    )


AGREE_CHOICES = [("yes", "Agree"), ("no", "Disagree")]


class ReviewForm(forms.Form):
    """A QA review as its page posts it: per key question, agree or disagree and a comment; the
    comments for the inspector; the outcome (cases.qa.review_case judges the combination)."""

    comment = rules.FreeTextField(
        what="the comment for the inspector", max_length=rules.QA_COMMENT_MAX, required=False
    )
    outcome = forms.ChoiceField(
        choices=[("", ""), *QAOutcome.choices],
        required=False,
        error_messages={"invalid_choice": "Choose whether to return the case or sign it off"},
    )

    def __init__(self, data, *, key_questions):
        super().__init__(data)
        self.key_questions = key_questions
        for question in key_questions:
            # Nothing chosen until the reviewer chooses: an answer left alone is not agreement.
            choose = f"Choose agree or disagree for {question.code}"
            self.fields[f"agree-{question.code}"] = forms.ChoiceField(
                choices=AGREE_CHOICES,
                error_messages={"required": choose, "invalid_choice": choose},
            )
            self.fields[f"comment-{question.code}"] = rules.FreeTextField(
                what=f"the comment on {question.code}",
                max_length=rules.QA_COMMENT_MAX,
                required=False,
            )
        # The page's order, which the error summary follows: key questions first.
        self.order_fields([name for name in self.fields if name not in ("comment", "outcome")])

    def verdicts(self) -> list[QuestionVerdict]:
        """Each key question's verdict (call after is_valid(): each one chosen)."""
        return [
            QuestionVerdict(
                question_id=question.id,
                code=question.code,
                agrees=self.cleaned_data[f"agree-{question.code}"] == "yes",
                comment=self.cleaned_data[f"comment-{question.code}"],
            )
            for question in self.key_questions
        ]


class CaseSearchForm(forms.Form):
    """Finding a case by its reference, from the home page (GET)."""

    ref = rules.FreeTextField(
        what="the case reference",
        multiline=False,
        max_length=Case._meta.get_field("ref").max_length,
        required=False,
        label="Find a case by reference",
    )

    def __init__(self, data):
        super().__init__(data)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_id = "case-search"
        self.helper.attrs = {"novalidate": "", "role": "search", "aria-label": "Cases"}
        self.helper.layout = Layout(
            Field.text("ref", label_size=Size.SMALL, field_width=10),
            Button.secondary("search", "Search"),
        )

    @property
    def searched(self) -> str:
        """The reference searched for, or "" (call after is_valid())."""
        return self.cleaned_data.get("ref", "").strip() if self.is_bound else ""


WHOSE_CHOICES = [("mine", "Cases assigned to me"), ("all", "Every case")]


class WhoseCasesForm(forms.Form):
    """The inspection-wide "Check answers" page: my cases (the default) or everyone's (GET)."""

    whose = forms.ChoiceField(
        choices=WHOSE_CHOICES,
        required=False,
        label="Show",
        error_messages={"invalid_choice": "Choose whose cases to show from the list"},
    )

    def __init__(self, data):
        super().__init__(data)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_id = "whose-cases"
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Div(Field.select("whose"), css_class="app-filters"),
            Button.secondary("filter", "Apply"),
        )

    @property
    def everyone(self) -> bool:
        return self.is_valid() and self.cleaned_data["whose"] == "all"


YES_NO = [(True, "Yes"), (False, "No")]


def _yes_no(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value in (True, "True"),
        widget=forms.RadioSelect,
        error_messages={
            "required": f"Choose yes or no for {label.lower()}",
            "invalid_choice": f"Choose yes or no for {label.lower()}",
        },
    )


def _choice(name: str, label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=Case._meta.get_field(name).choices,
        error_messages={
            "required": f"Choose the {label.lower()}",
            "invalid_choice": f"Choose the {label.lower()} from the list",
        },
    )


class CaseAttributesForm(forms.Form):
    """The lead corrects a case's attributes (cases.workflow.change_case_details saves them)."""

    sentence_type = _choice("sentence_type", "Sentence type")
    court_work = _yes_no("Pre-sentence work by the PDU")
    resettlement = _yes_no("Released from custody")
    rosh = _choice("rosh", "RoSH level")
    gender = _choice("gender", "Gender")
    ethnicity = _choice("ethnicity", "Ethnicity")
    disability = _yes_no("Disability")
    age_band = _choice("age_band", "Age")
    practitioners = rules.whole_number_for(
        Case, "practitioners", what="the number of allocated practitioners", minimum=1
    )

    def __init__(self, data=None, *, case: Case):
        super().__init__(data, initial={name: getattr(case, name) for name in self.base_fields})
        self.fields["practitioners"].label = "Allocated practitioners"
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Field.select("sentence_type"),
            Field.radios("court_work", legend_size=Size.SMALL, inline=True),
            Field.radios("resettlement", legend_size=Size.SMALL, inline=True),
            Field.select("rosh"),
            Field.select("gender"),
            Field.select("ethnicity"),
            Field.radios("disability", legend_size=Size.SMALL, inline=True),
            Field.select("age_band"),
            Field.text("practitioners", field_width=3),
            Submit("submit", "Save case details"),
        )


class PullExampleForm(forms.Form):
    """A candidate practice example taken into its standard's text in the report."""

    kind = forms.ChoiceField(
        choices=[("quote", "A quote"), ("text", "A paragraph")],
        widget=forms.RadioSelect,
        label="Add it as",
        initial="quote",
        error_messages={
            "required": "Choose whether to add it as a quote or a paragraph",
            "invalid_choice": "Choose a quote or a paragraph",
        },
    )
    text = rules.FreeTextField(
        what="the text for the report",
        max_length=rules.REPORT_TEXT_MAX,
        label="Text for the report",
        help_text="The note as the report gives it: shorten it if you like. Never name the case.",
        error_messages={"required": "Enter the text for the report"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # crispy-forms-gds 2.0.1 reads this to link the character count, failing if unset.
        self.fields["text"].widget.attrs["aria-describedby"] = ""
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("kind", legend_size=Size.SMALL, inline=True),
            Field.textarea(
                "text", label_size=Size.SMALL, rows=8, max_characters=rules.REPORT_TEXT_MAX
            ),
            Submit("submit", "Add to the report"),
        )


EXTRACT_MAX_BYTES = 25_000_000  # a caseload extract: 50,000 rows are about 3.5 MB as CSV


class DrawSampleForm(forms.Form):
    """The caseload extract and the draw's size and seed (cases/sample_draw.py draws)."""

    extract = forms.FileField(
        label="Caseload extract (CSV or Excel .xlsx)",
        error_messages={"required": "Choose the caseload extract, a CSV or .xlsx file"},
    )
    size = forms.IntegerField(
        label="Cases to draw",
        min_value=1,
        max_value=1000,
        help_text="The calculator below suggests a size for the caseload's size.",
        error_messages={
            "required": "Enter how many cases to draw",
            "invalid": "Enter how many cases to draw as a whole number, like 21",
            "min_value": "Draw at least 1 case",
            "max_value": "Draw at most 1,000 cases",
        },
    )
    seed = forms.IntegerField(
        label="Seed (optional)",
        required=False,
        min_value=0,
        max_value=2**31 - 1,
        help_text="The same extract and seed always draw the same cases. Leave it empty for a "
        "new seed, which is kept with the sample.",
        error_messages={
            "invalid": "Enter the seed as a whole number, or leave it empty",
            "min_value": "Enter a seed of 0 or more",
            "max_value": "Enter a seed below 2,147,483,648",
        },
    )
    exclude = rules.FreeTextField(
        label="References to leave out (optional)",
        what="the references to leave out",
        max_length=100_000,
        required=False,
        help_text="One per line: cases that must not be drawn, such as those already inspected.",
    )
    confirm = forms.BooleanField(
        label="I have checked the extract and the size: draw the sample and add its cases",
        error_messages={"required": "Confirm that you want to draw the sample"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template's, for the file upload's encoding
        self.helper.layout = Layout(
            Field("extract", label_size=Size.SMALL),
            Field.text("size", label_size=Size.SMALL, field_width=4),
            Field.text("seed", label_size=Size.SMALL, field_width=10),
            Field.textarea("exclude", label_size=Size.SMALL, rows=3),
            Field.checkbox("confirm", small=True),
            Submit("draw", "Draw the sample"),
        )

    def clean_exclude(self):
        return sorted({line.strip() for line in self.cleaned_data["exclude"].splitlines()} - {""})

    def clean_extract(self):
        upload = self.cleaned_data["extract"]
        if upload.size > EXTRACT_MAX_BYTES:
            raise forms.ValidationError(
                f"The extract must be {EXTRACT_MAX_BYTES // 1_000_000} MB or smaller "
                f"(it is {-(-upload.size // 1_000_000):,} MB)"
            )
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("The extract must be a .csv or .xlsx file")
        return upload


class ReplaceCaseForm(forms.Form):
    reason = rules.FreeTextField(
        label="Why is this case replaced?",
        what="the reason",
        max_length=rules.REASON_MAX,
        help_text="For example: the person has died, or the case transferred out before the "
        "sample window closed.",
        error_messages={"required": "Say why the case is replaced"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.textarea(
                "reason", label_size=Size.SMALL, rows=3, max_characters=rules.REASON_MAX
            ),
            Submit("replace", "Replace from the reserve", css_class="govuk-button--warning"),
        )


class SampleSizeForm(forms.Form):
    """The sample-size calculator (sampling.sample_size), read from the query string."""

    caseload = forms.IntegerField(
        label="Caseload (cases in the sample windows)",
        min_value=1,
        max_value=10_000_000,
        error_messages={
            "required": "Enter the caseload's size",
            "invalid": "Enter the caseload as a whole number, like 3500",
            "min_value": "Enter a caseload of at least 1",
            "max_value": "Enter a caseload of at most 10,000,000",
        },
    )
    confidence = forms.TypedChoiceField(
        label="Confidence",
        coerce=float,
        choices=[("0.9", "90%"), ("0.95", "95%"), ("0.99", "99%")],
        initial="0.95",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a confidence level",
            "invalid_choice": "Choose a confidence level from the list",
        },
    )
    margin = forms.IntegerField(
        label="Margin of error, in percentage points either way",
        min_value=1,
        max_value=30,
        initial=10,
        error_messages={
            "required": "Enter the margin of error",
            "invalid": "Enter the margin as a whole number of percentage points, like 10",
            "min_value": "Enter a margin of at least 1 point",
            "max_value": "Enter a margin of at most 30 points",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_action = "#calculator"
        self.helper.layout = Layout(
            Field.text("caseload", label_size=Size.SMALL, field_width=10),
            Field.radios("confidence", legend_size=Size.SMALL, inline=True),
            Field.text("margin", label_size=Size.SMALL, field_width=3),
            Submit("calculate", "Calculate", css_class="govuk-button--secondary"),
        )


class ReliabilitySampleForm(forms.Form):
    """The draw of the reliability sample, in two steps: the share and seed give a preview;
    confirming it sends them back with the preview's digest (`previewed`), and the draw is made
    only if it is still the one previewed (cases.double_marking.draw_reliability_sample)."""

    share_percent = rules.whole_number_for(
        ReliabilitySample,
        "share_percent",
        what="the share of cases to double mark",
        minimum=SHARE_MIN,
        maximum=SHARE_MAX,
        label="Share of cases to double mark, in percent",
        help_text="At least 3 cases are drawn.",
        error_messages={"required": "Enter the share of cases to double mark"},
    )
    seed = rules.whole_number_for(
        ReliabilitySample,
        "seed",
        what="the seed",
        minimum=0,
        required=False,
        label="Seed (optional)",
        help_text="Leave it blank for a new random seed; give an earlier one to repeat its draw.",
    )
    previewed = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Field.text("share_percent", label_size=Size.SMALL, field_width=3),
            Field.text("seed", label_size=Size.SMALL, field_width=10),
            Submit("preview", "Preview the draw"),
        )

    @property
    def confirms(self) -> bool:
        return bool(self.cleaned_data.get("previewed"))


class ReliabilitySampleConfirmForm(ReliabilitySampleForm):
    """The preview's button: the same share and seed, and the digest of what was shown."""

    def __init__(self, plan):
        super().__init__(
            initial={
                "share_percent": plan.share_percent,
                "seed": plan.seed,
                "previewed": plan.digest,
            }
        )
        for name in ("share_percent", "seed"):
            self.fields[name].widget = forms.HiddenInput()
        self.helper.layout = Layout(
            "share_percent", "seed", "previewed", Submit("confirm", "Draw these cases")
        )


class SecondMarkerForm(forms.Form):
    """The lead gives a second marking not yet submitted to another inspector."""

    marker = forms.TypedChoiceField(
        coerce=int,
        widget=forms.RadioSelect,
        label="Who marks it second now?",
        error_messages={
            "required": "Choose who marks the case second",
            "invalid_choice": "Choose an inspector from the list",
        },
    )

    def __init__(self, data, *, people):
        super().__init__(data)
        self.fields["marker"].choices = [(user.pk, _name(user)) for user in people]
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Field.radios("marker", legend_size=Size.MEDIUM),
            Submit("submit", "Give it to them"),
        )


ANSWER_CHOICES = AnswerValue.choices


class SecondMarkForm(forms.Form):
    """The second marker's answer to each key question (blank: not answered yet), and which
    button they pressed: submit (every key question answered, done for good) or save."""

    action = forms.ChoiceField(
        choices=[("save", "Save"), ("submit", "Submit")], required=False, initial="save"
    )

    def __init__(self, data, *, key_questions):
        super().__init__(data)
        self.key_questions = key_questions
        for question in key_questions:
            choose = f"Choose yes, no or not applicable for {question.code}"
            self.fields[f"value-{question.code}"] = forms.ChoiceField(
                choices=ANSWER_CHOICES, required=False, error_messages={"invalid_choice": choose}
            )

    def values(self) -> dict[str, str]:
        return {q.code: self.cleaned_data[f"value-{q.code}"] for q in self.key_questions}

    @property
    def submits(self) -> bool:
        return self.cleaned_data["action"] == "submit"


class ReconcileForm(forms.Form):
    """The agreed answer to each key question the markers answered differently."""

    note = rules.FreeTextField(
        what="the note on the reconciliation", max_length=RECONCILE_NOTE_MAX, required=False
    )

    def __init__(self, data, *, differing_codes):
        super().__init__(data)
        self.codes = differing_codes
        for code in differing_codes:
            choose = f"Choose the agreed answer for {code}"
            self.fields[f"agreed-{code}"] = forms.ChoiceField(
                choices=ANSWER_CHOICES,
                error_messages={"required": choose, "invalid_choice": choose},
            )
        self.order_fields([f"agreed-{code}" for code in differing_codes])

    def agreed(self) -> dict[str, str]:
        return {code: self.cleaned_data[f"agreed-{code}"] for code in self.codes}


class RaiseQueryForm(forms.Form):
    question = forms.ChoiceField(
        label="Which answer is the query about?",
        error_messages={
            "required": "Choose the question the query is about",
            "invalid_choice": "Choose a question of this case",
        },
    )
    text = rules.FreeTextField(
        what="the query", max_length=rules.QA_COMMENT_MAX, label="Query", required=True
    )

    def __init__(self, data, *, questions):
        super().__init__(data, prefix="raise")
        self.fields["question"].choices = [("", "Choose a question")] + [
            (str(q.id), f"{q.code} {q.text}"[:120]) for q in questions
        ]


class QueryMessageForm(forms.Form):
    """A reply to an open query, or QA closing it (with an optional last word)."""

    query = forms.IntegerField(min_value=1)
    action = forms.ChoiceField(choices=[("reply", "Reply"), ("close", "Close")])
    text = rules.FreeTextField(
        what="the message", max_length=rules.QA_COMMENT_MAX, label="Reply", required=False
    )
