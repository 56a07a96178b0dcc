"""The lead's forms for domain-1 evidence: one source's tallies typed in, or a CSV to import."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Fieldset, Layout, Size, Submit
from django import forms
from django.utils.html import escape, format_html

from inspection import input_rules as rules
from inspection.models import EvidenceQuestion

from .evidence import COUNT_MAX, CSV_MAX_BYTES, Tally, shape_problems

PARTS = (
    ("yes", "Yes", "How many said yes (or met it)"),
    ("relevant", "Out of", "How many were asked, or the count alone"),
    ("percent", "Percentage alone", "When only a percentage is known, 0 to 100"),
)


def field_name(question: EvidenceQuestion, part: str) -> str:
    return f"{question.code.replace('.', '__')}-{part}"


class EvidenceTallyForm(forms.Form):
    """Every question of one source: yes out of relevant, relevant alone, or a percentage alone;
    all three left blank records nothing for it."""

    def __init__(self, *args, questions: list[EvidenceQuestion], tallies: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        fieldsets = []
        for question in questions:
            tally = tallies.get(question.code, Tally())
            names = []
            for part, label, _ in PARTS:
                name = field_name(question, part)
                self.fields[name] = rules.WholeNumberField(
                    what=f"{label.lower()} for “{question.text}”",
                    minimum=0,
                    maximum=100 if part == "percent" else COUNT_MAX,
                    required=False,
                    label=label,
                    initial=getattr(tally, part),
                )
                names.append(Field.text(name, field_width=4))
            fieldsets.append(
                Fieldset(
                    *names,
                    # crispy-forms-gds renders a legend as HTML: the wording goes in as text.
                    legend=escape(question.text),
                    legend_size=Size.SMALL,
                )
            )
        self.helper = FormHelper()
        self.helper.layout = Layout(
            HTML(
                format_html(
                    '<p class="govuk-body">{}</p>',
                    "For each, give yes out of the number asked, the number alone (e.g. "
                    "interviews held), or a percentage alone. Leave all three blank to record "
                    "nothing.",
                )
            ),
            *fieldsets,
            Submit("submit", "Save tallies"),
        )

    def clean(self):
        cleaned = super().clean()
        for question in self.questions:
            names = {part: field_name(question, part) for part, _, _ in PARTS}
            if any(name in self.errors for name in names.values()):
                continue
            tally = Tally(**{part: cleaned.get(name) for part, name in names.items()})
            for part, message in shape_problems(tally):
                self.add_error(names[part], f"“{question.text}”: {message}")
        return cleaned

    @property
    def tallies(self) -> dict[str, Tally]:
        """{code: tally} for every question on the page (after is_valid())."""
        return {
            q.code: Tally(
                **{part: self.cleaned_data.get(field_name(q, part)) for part, _, _ in PARTS}
            )
            for q in self.questions
        }


class EvidenceCsvForm(forms.Form):
    file = forms.FileField(
        label="Upload a CSV file of tallies",
        help_text=(
            "Columns key, yes, relevant, percent, one line per evidence question; up to "
            f"{CSV_MAX_BYTES // 1000} KB. One bad line refuses the whole file."
        ),
        error_messages={"required": "Choose a CSV file to import"},
    )
