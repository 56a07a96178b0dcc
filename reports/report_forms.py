"""Forms for the lead's pages that write the report's words (reports/views/writing.py). They check
what a person types; reports/report_writing.py checks it again and the citations, and saves."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from inspection import input_rules as rules
from inspection.isbn import TYPED_MAX
from inspection.models import ConfirmedNumber, ItemKind
from inspection.models.report_text import DIGEST_LENGTH, KEY_MAX

from . import report_writing as writing
from .confirmed_numbers import WRITTEN_MAX

CITATIONS_HINT = (
    "Cite a figure by its code, e.g. {2.2.3} (a percentage) or {2.2.3.d:count}; a fact as "
    "{fact:KEY}, a footnote as {note:KEY}. *text* is emphasis; [text](https://...) a link."
)


def damaged(what: str) -> str:
    return f"The page's record of this {what} is damaged: reload the page"


class VersionField(forms.CharField):
    """The sub-section's version the page was made from (hidden; changes only): a whole number,
    or None when the page sent none. Anything else means the page is damaged."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value == "":
            return None
        if not (value.isascii() and value.isdigit() and len(value) <= 9):
            raise forms.ValidationError("damaged", code="damaged")
        return int(value)


class Versioned:
    """A damaged version is told on `shown_on` (the hidden field has nowhere to show it)."""

    shown_on = "text"
    what = "text"

    def clean(self):
        cleaned = super().clean()
        if "version" in self.errors:
            del self.errors["version"]
            self.add_error(self.shown_on, damaged(self.what))
        return cleaned

    def version_missing(self) -> None:
        """For a change: a page that sent no version is damaged too."""
        if self.is_valid() and self.cleaned_data["version"] is None:
            self.add_error(self.shown_on, damaged(self.what))


def _helper(*layout) -> FormHelper:
    helper = FormHelper()
    helper.layout = Layout(*layout)
    return helper


class SubsectionForm(Versioned, forms.Form):
    shown_on = what = "heading"

    heading = rules.FreeTextField(
        what="the heading",
        max_length=writing.HEADING_MAX,
        multiline=False,
        required=False,
        label="Heading",
        help_text="For example, Resettlement work. Leave it empty for the part's own text.",
    )
    version = VersionField()

    def __init__(self, *args, submit: str = "Add sub-section", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("heading", label_size=Size.SMALL), "version", Submit("save", submit)
        )


class ItemForm(Versioned, forms.Form):
    """One paragraph, strength, area for improvement or quote. `version` is the sub-section's
    version the page was made from (changes only), so a stale save is refused."""

    kind = forms.ChoiceField(
        label="Kind",
        # Not "Paragraph": the text box is labelled with what the item is (a paragraph, say).
        choices=[(ItemKind.TEXT, "The inspectors' words"), (ItemKind.QUOTE, "A quotation")],
        widget=forms.RadioSelect,
        initial=ItemKind.TEXT,
        error_messages={
            "required": "Choose the inspectors' words or a quotation",
            "invalid_choice": "Choose the inspectors' words or a quotation",
        },
    )
    text = rules.FreeTextField(
        what="the text",
        max_length=rules.REPORT_TEXT_MAX,
        label="Text",
        help_text=CITATIONS_HINT,
        error_messages={"required": "Enter the text"},
    )
    version = VersionField()

    def __init__(self, *args, what: str = "Text", submit: str = "Save", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = what
        self.fields["text"].what = f"the {what.lower()}"  # names it in every message
        self.fields["text"].error_messages["required"] = f"Enter the {what.lower()}"
        self.fields["kind"].label = f"Is this {what.lower()} the inspectors' words or a quotation?"
        self.fields[
            "kind"
        ].help_text = (
            "A quotation under a strength or area for improvement belongs to the one before it."
        )
        # crispy-forms-gds 2.0.1 reads this to link the character count, failing if unset.
        self.fields["text"].widget.attrs["aria-describedby"] = ""
        self.helper = _helper(
            Field.radios("kind", legend_size=Size.SMALL, inline=True),
            Field.textarea(
                "text", label_size=Size.SMALL, rows=6, max_characters=rules.REPORT_TEXT_MAX
            ),
            "version",
            Submit("save", submit),
        )


class SigningForm(forms.Form):
    signatory = rules.FreeTextField(
        what="the signatory",
        max_length=writing.SIGNATORY_MAX,
        multiline=False,
        required=False,
        label="Signatory",
        help_text="Who signs the foreword, e.g. Justin Russell.",
    )
    signatory_title = rules.FreeTextField(
        what="the signatory's title",
        max_length=writing.SIGNATORY_MAX,
        multiline=False,
        required=False,
        label="Title",
        help_text="e.g. Chief Inspector of Probation.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("signatory", label_size=Size.SMALL),
            Field.text("signatory_title", label_size=Size.SMALL),
            Submit("save", "Save signatory"),
        )


class IsbnForm(forms.Form):
    isbn = rules.FreeTextField(
        what="the ISBN",
        max_length=TYPED_MAX,
        multiline=False,
        required=False,
        label="ISBN",
        help_text=(
            "The report's ISBN-13, as printed in its front matter, e.g. 978-1-915468-66-6. "
            "It is needed before the report is published; leave it empty until you have it."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("isbn", label_size=Size.SMALL, field_width=20), Submit("save", "Save ISBN")
        )

    def clean_isbn(self):
        # The service's own check (digits, length, prefix, check digit), in its words.
        return writing.clean_isbn(self.cleaned_data["isbn"])


class RatingWordingForm(forms.Form):
    text = rules.FreeTextField(
        what="the rating sentence",
        max_length=rules.REPORT_TEXT_MAX,
        required=False,
        label="Rating sentence",
    )

    def __init__(self, *args, code: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].help_text = (
            f"Cite the rating as {{{code}:rating}} and each figure by its code (e.g. "
            f"{{{code}.1}}), so the words follow the data. Leave it empty to print the sentence "
            "made from the results."
        )
        self.fields["text"].widget.attrs["aria-describedby"] = ""
        self.helper = _helper(
            Field.textarea(
                "text", label_size=Size.SMALL, rows=4, max_characters=rules.REPORT_TEXT_MAX
            ),
            Submit("save", "Save rating sentence"),
        )


def _key_field(what: str) -> forms.Field:
    return rules.FreeTextField(
        what=what,
        max_length=KEY_MAX,
        multiline=False,
        label="Key",
        help_text="Letters, digits, hyphens and underscores: how the text cites it.",
        error_messages={"required": "Enter the key"},
    )


class FactForm(forms.Form):
    key = _key_field("the fact's key")
    label = rules.FreeTextField(
        what="the fact's label",
        max_length=writing.LABEL_MAX,
        multiline=False,
        label="Label",
        help_text="What the fact is, e.g. Proven reoffending rate.",
        error_messages={"required": "Enter the label"},
    )
    value = rules.FreeTextField(
        what="the fact's value",
        max_length=writing.VALUE_MAX,
        multiline=False,
        label="Value",
        help_text="As the report prints it, e.g. 28.7.",
        error_messages={"required": "Enter the value"},
    )
    source = rules.FreeTextField(
        what="the fact's source",
        max_length=rules.REPORT_TEXT_MAX,
        required=False,
        label="Source",
        help_text="Printed as a footnote where the fact is cited.",
    )

    def __init__(self, *args, fixed_key: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].widget.attrs["aria-describedby"] = ""
        if fixed_key:
            self.fields["key"].disabled = True
        self.helper = _helper(
            Field.text("key", label_size=Size.SMALL, field_width=20),
            Field.text("label", label_size=Size.SMALL),
            Field.text("value", label_size=Size.SMALL, field_width=10),
            Field.textarea(
                "source", label_size=Size.SMALL, rows=3, max_characters=rules.REPORT_TEXT_MAX
            ),
            Submit("save", "Save fact"),
        )


class FootnoteForm(forms.Form):
    key = _key_field("the footnote's key")
    text = rules.FreeTextField(
        what="the footnote",
        max_length=rules.REPORT_TEXT_MAX,
        label="Footnote",
        error_messages={"required": "Enter the footnote"},
    )

    def __init__(self, *args, fixed_key: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].widget.attrs["aria-describedby"] = ""
        if fixed_key:
            self.fields["key"].disabled = True
        self.helper = _helper(
            Field.text("key", label_size=Size.SMALL, field_width=20),
            Field.textarea(
                "text", label_size=Size.SMALL, rows=4, max_characters=rules.REPORT_TEXT_MAX
            ),
            Submit("save", "Save footnote"),
        )


class MoveForm(forms.Form):
    """The "Move up" / "Move down" buttons: each posts its direction."""

    direction = forms.ChoiceField(choices=[("up", "Move up"), ("down", "Move down")])


class ConfirmNumberForm(forms.Form):
    """A flagged number's "Confirm" button (the number-check page): it posts the digest of the
    text the number sits in and the number as written. `find(digest, written)` gives the flagged
    number as the check reads it now, or None."""

    text_digest = forms.CharField(widget=forms.HiddenInput, max_length=DIGEST_LENGTH)
    written = forms.CharField(widget=forms.HiddenInput, max_length=WRITTEN_MAX, strip=False)

    def __init__(self, *args, find, **kwargs):
        super().__init__(*args, **kwargs)
        self.find = find

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            raise forms.ValidationError(damaged("number"))
        number = self.find(cleaned["text_digest"], cleaned["written"])
        if number is None:
            raise forms.ValidationError(
                f"'{cleaned['written']}' is no longer flagged where it was (its text was "
                "changed since the page was made): nothing was confirmed. The numbers below are "
                "as they stand now."
            )
        if number.confirmation is not None:
            raise forms.ValidationError(
                f"'{number.written}' at {number.where} is confirmed already"
            )
        cleaned["number"] = number
        return cleaned


class WithdrawConfirmationForm(forms.Form):
    """A confirmed number's "Withdraw" button: it posts the confirmation's id."""

    confirmation = forms.ModelChoiceField(
        queryset=ConfirmedNumber.objects.none(),
        widget=forms.HiddenInput,
        error_messages={
            "invalid_choice": "That confirmation was withdrawn already: nothing was changed",
            "required": damaged("confirmation"),
        },
    )

    def __init__(self, *args, inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirmation"].queryset = ConfirmedNumber.objects.filter(inspection=inspection)
