"""The one set of rules for what people type: free text and whole numbers.

Every page that takes text or a number reads it through a form field from here, the models carry
the same limits (validators for admin, and a CHECK on length in the database for everything
else), and services that take text from other callers check it (`clean_text`, `text_messages`).
So a page, admin and a service refuse the same input in the same words, naming what is wrong.

Free text may hold any printable character and tab, line feed and carriage return; line endings
become "\\n" (as the page's character count counts them); every other control character is
refused (PostgreSQL cannot store U+0000 at all, and the rest have no business in a report).
"""

import re
from collections.abc import Sequence

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models import Model
from django.utils.deconstruct import deconstructible

# Limits in characters, line breaks counting one each. Generous for what each text is for, small
# enough that a report page, its PDF and the audit trail stay quick to make.
EVIDENCE_NOTE_MAX = 5000  # what the section page's character count has always offered
RECOMMENDATION_MAX = 2000  # a published recommendation is a sentence or two
DOMAIN1_ITEM_MAX = 1000  # one strength or area for improvement
DOMAIN1_ITEMS_MAX = 30  # of each, per standard; the reference inspection has at most 14
REASON_MAX = 2000  # for re-opening, or changing a complete case
JUDGEMENT_MAX = 5000  # a judgement given in words, for a standard rated by judgement but unrated
REPORT_TEXT_MAX = 5000  # one paragraph, strength, quote or footnote of the written report
QA_COMMENT_MAX = 2000  # a reviewer's comment on a case or on one key question
ACTION_MAX = 2000  # one action of an action plan: what will be done
ACTION_OWNER_MAX = 200  # who owns an action: a name or a post
PROGRESS_MAX = 5000  # one dated progress update on an action plan, with its evidence
PLAN_COMMENT_MAX = (
    2000  # the lead's comment on a returned plan; why a recommendation is not accepted
)
THEME_NAME_MAX = 100  # a recommendation theme ("Risk of harm")

# Framework files (inspection/framework/file_checks.py), each text a file carries. The models'
# columns are these lengths (a CharField's max_length, or validators on a TextField), so what a
# file check lets through the database holds. The shipped files use at most about a third of
# each wording's limit (a key question 160 of 1,000, a headline 177 of 1,000) and 486 of a
# source's 500 (a citation of the published guidance).
FRAMEWORK_FILE_MAX_BYTES = 2_000_000  # 2 MB: the largest shipped framework file is under 100 KB
FRAMEWORK_CODE_MAX = 50  # the framework's code (a slug)
CONDITION_CODE_MAX = 50  # a condition's code, which applies_when names
FRAMEWORK_NAME_MAX = 200  # a name: the framework's, a domain's, a standard's, an item group's
FRAMEWORK_SOURCE_MAX = 500  # `source`: where a rule or wording comes from
SECTION_CODE_MAX = 10  # a domain's, standard's or item group's code ("2.1")
QUESTION_CODE_MAX = 20  # a key question's, prompt's or item's code ("2.1.1.a")
QUESTION_TEXT_MAX = 1000  # a question's wording: a sentence, not a page
HEADLINE_MAX = 1000  # a standard's headline
CONDITION_DESCRIPTION_MAX = 200
NOT_APPLICABLE_REASON_MAX = 500  # shown on a case's page where a condition leaves a section out
RULE_DESCRIPTION_MAX = 500  # a limiting rule, in words
FINDING_WORDING_MAX = 200  # a finding's subject, met and not met wordings
EVIDENCE_CODE_MAX = 50  # a domain-1 evidence question's key, as prose cites it
EVIDENCE_SOURCE_MAX = 200  # "survey of people on probation"
EVIDENCE_TEXT_MAX = 500  # an evidence question's wording

# Unicode's control characters (category Cc): C0, DEL and C1.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_ALLOWED_CONTROL = {True: "\t\n", False: "\t"}  # tabs come with pasted text; breaks in lines
# What an imported text may not hold: the controls above but tab and line endings, and
# surrogates (which cannot be encoded to store).
_IMPORT_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_WHOLE_NUMBER = re.compile(r"-?[0-9]+")  # ASCII digits: int() would take "٣", and "²".isdigit()


def _count(number: int) -> str:
    return f"{number:,}"


def _sentence(what: str) -> str:
    return what[:1].upper() + what[1:]


def normalise_line_endings(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def control_character(text: str, *, multiline: bool = True) -> tuple[int, str] | None:
    """The first control character that `text` may not hold, with its position (from 1)."""
    allowed = _ALLOWED_CONTROL[multiline]
    for match in _CONTROL.finditer(text):
        if match.group() not in allowed:
            return match.start() + 1, match.group()
    return None


def control_character_problem(text: str) -> str | None:
    """For imports, which report problems as "where: what": the first character no text may
    hold, named with its position (from 1), or None. Line endings of any kind are fine; so are
    tabs. Unpaired surrogates (only JSON's \\ud800 escapes make them) cannot be stored either."""
    found = _IMPORT_FORBIDDEN.search(text)
    if found is None:
        return None
    code = ord(found.group())
    kind = "an unpaired surrogate" if 0xD800 <= code <= 0xDFFF else "a control character"
    return f"contains {kind} (U+{code:04X}) at position {found.start() + 1}"


def text_problems(
    text: str, *, what: str, max_length: int, multiline: bool = True
) -> list[ValidationError]:
    """What is wrong with `text` (line endings already normalised), each naming `what`, e.g.
    "the evidence note for 2.2.1"; empty if nothing is."""
    problems = []
    found = control_character(text, multiline=multiline)
    if found:
        position, character = found
        problems.append(
            ValidationError(
                "%(what)s contains a control character (U+%(code)04X) at position %(position)s: "
                "remove it",
                code="control_character",
                params={
                    "what": _sentence(what),
                    "code": ord(character),
                    "position": _count(position),
                },
            )
        )
    if len(text) > max_length:
        problems.append(
            ValidationError(
                "%(what)s must be %(limit)s characters or fewer (it has %(length)s)",
                code="max_length",
                params={
                    "what": _sentence(what),
                    "limit": _count(max_length),
                    "length": _count(len(text)),
                },
            )
        )
    return problems


def text_messages(text: str, *, what: str, max_length: int, multiline: bool = True) -> list[str]:
    """text_problems as sentences, for services that refuse with their own exception."""
    text = normalise_line_endings(text)
    problems = text_problems(text, what=what, max_length=max_length, multiline=multiline)
    return ValidationError(problems).messages if problems else []


def clean_text(text: str, *, what: str, max_length: int, multiline: bool = True) -> str:
    """`text` with its line endings normalised, or ValidationError saying what is wrong."""
    text = normalise_line_endings(text)
    problems = text_problems(text, what=what, max_length=max_length, multiline=multiline)
    if problems:
        raise ValidationError(problems)
    return text


class FreeTextField(forms.CharField):
    """Text as people type it, within `max_length`; `what` names it in messages ("the reason").

    No maxlength attribute on the box: a browser would cut the text silently (GOV.UK's character
    count says how much is left instead; crispy's Field.textarea(max_characters=...) draws it).
    """

    def __init__(self, *, what: str, max_length: int, multiline: bool = True, **kwargs):
        kwargs.setdefault("widget", forms.Textarea if multiline else forms.TextInput)
        given = kwargs.get("error_messages") or {}
        super().__init__(**kwargs)
        self.what, self.limit, self.multiline = what, max_length, multiline
        if "required" not in given:  # not Django's "This field is required."
            self.error_messages["required"] = f"Enter {what}"
        # Ours says which character and where, for U+0000 and every other control character.
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]

    def to_python(self, value):
        return normalise_line_endings(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        problems = text_problems(
            value, what=self.what, max_length=self.limit, multiline=self.multiline
        )
        if problems:
            raise ValidationError(problems)


class LinesField(FreeTextField):
    """One text box holding a list, one item per line (blank lines dropped, each item trimmed):
    at most `max_items`, each within `max_length`. `what` names them all ("strengths"), `item`
    one ("strength")."""

    def __init__(self, *, what: str, item: str, max_items: int, max_length: int, **kwargs):
        super().__init__(what=what, max_length=max_length, **kwargs)
        self.item, self.max_items = item, max_items

    def validate(self, value):
        forms.CharField.validate(self, value)  # required; each line is checked in clean()

    def clean(self, value):
        items = lines(super().clean(value))
        problems = items_problems(
            items, what=self.what, item=self.item, max_items=self.max_items, max_length=self.limit
        )
        if problems:
            raise ValidationError(problems)
        return items


def lines(text: str) -> list[str]:
    return [line.strip() for line in normalise_line_endings(text).split("\n") if line.strip()]


def items_problems(
    items: Sequence, *, what: str, item: str, max_items: int, max_length: int
) -> list[ValidationError]:
    """What is wrong with a list of texts: too many, or an item that is not good text."""
    problems = []
    if len(items) > max_items:
        problems.append(
            ValidationError(
                "Give at most %(most)s %(what)s (there are %(count)s): combine or remove some",
                code="max_items",
                params={"what": what, "most": max_items, "count": len(items)},
            )
        )
    for number, text in enumerate(items, 1):
        if not isinstance(text, str):
            problems.append(ValidationError(f"{_sentence(item)} {number} is not text"))
            continue
        problems += text_problems(
            text, what=f"{item} {number}", max_length=max_length, multiline=False
        )
    return problems


@deconstructible
class NoControlCharacters:
    """Model validator: the same refusal as the form fields, for admin and full_clean()."""

    def __init__(self, multiline: bool = True):
        self.multiline = multiline

    def __call__(self, value):
        found = control_character(str(value), multiline=self.multiline)
        if found:
            position, character = found
            raise ValidationError(
                "Contains a control character (U+%(code)04X) at position %(position)s: remove it",
                code="control_character",
                params={"code": ord(character), "position": _count(position)},
            )

    def __eq__(self, other):
        return isinstance(other, NoControlCharacters) and other.multiline == self.multiline


@deconstructible
class ItemsWithin:
    """Model validator for a JSON list of texts (domain-1 strengths, areas for improvement)."""

    def __init__(self, max_items: int, max_length: int):
        self.max_items, self.max_length = max_items, max_length

    def __call__(self, value):
        if not isinstance(value, list):
            raise ValidationError("Must be a list of texts", code="not_a_list")
        problems = items_problems(
            value, what="items", item="item", max_items=self.max_items, max_length=self.max_length
        )
        if problems:
            raise ValidationError(problems)

    def __eq__(self, other):
        return isinstance(other, ItemsWithin) and (other.max_items, other.max_length) == (
            self.max_items,
            self.max_length,
        )


def text_validators(max_length: int) -> list:
    """For a model's TextField: Django does not check a TextField's max_length, so these do."""
    return [
        MaxLengthValidator(
            max_length,
            message="Must be %(limit_value)s characters or fewer (it has %(show_value)s)",
        ),
        NoControlCharacters(),
    ]


def parse_whole_number(text: str, *, what: str, minimum: int, maximum: int) -> int:
    """A whole number typed in ASCII digits, within [minimum, maximum], or ValidationError."""
    text = text.strip()
    if not _WHOLE_NUMBER.fullmatch(text):
        raise ValidationError(
            "%(what)s must be a whole number, in the digits 0 to 9",
            code="invalid",
            params={"what": _sentence(what)},
        )
    # Longer than any number in range: say so without converting a million digits.
    digits = text.lstrip("-").lstrip("0")
    longest = max(len(str(abs(minimum))), len(str(abs(maximum))))
    if len(digits) <= longest:
        number = int(text)
    else:
        number = minimum - 1 if text.startswith("-") else maximum + 1
    if number < minimum:
        raise ValidationError(
            "%(what)s must be %(minimum)s or more",
            code="min_value",
            params={"what": _sentence(what), "minimum": _count(minimum)},
        )
    if number > maximum:
        raise ValidationError(
            "%(what)s must be %(maximum)s or less",
            code="max_value",
            params={"what": _sentence(what), "maximum": _count(maximum)},
        )
    return number


def column_range(model: type[Model], field_name: str) -> tuple[int, int]:
    """The values an integer column holds on every database we run on (PostgreSQL's ranges;
    SQLite's are wider)."""
    field = model._meta.get_field(field_name)
    return BaseDatabaseOperations.integer_field_ranges[field.get_internal_type()]


class WholeNumberField(forms.Field):
    """A whole number typed in a text box (GOV.UK: type=text, inputmode=numeric)."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"})

    def __init__(self, *, what: str, minimum: int, maximum: int, **kwargs):
        super().__init__(**kwargs)
        self.what, self.minimum, self.maximum = what, minimum, maximum

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int):
            value = str(value)
        return parse_whole_number(value, what=self.what, minimum=self.minimum, maximum=self.maximum)


def whole_number_for(
    model: type[Model],
    field_name: str,
    *,
    what: str,
    minimum: int | None = None,
    maximum: int | None = None,
    **kwargs,
) -> WholeNumberField:
    """A field for a model's integer column: within the column's range, narrowed by any
    `minimum` and `maximum` the model's meaning asks (a share is 1 to 100)."""
    low, high = column_range(model, field_name)
    return WholeNumberField(
        what=what,
        minimum=low if minimum is None else max(low, minimum),
        maximum=high if maximum is None else min(high, maximum),
        **kwargs,
    )


def first_messages(errors) -> dict[str, str]:
    """{field name: its first message} from a form's errors, for pages that show one a field."""
    return {name: field_errors[0] for name, field_errors in errors.items()}
