"""Reading a section's answers out of a POST, and laying them out for the section template."""

from collections.abc import Mapping
from dataclasses import dataclass

from django import forms

from inspection import input_rules as rules
from inspection.choices import AnswerValue, QuestionKind
from inspection.framework.spec import QuestionSpec

from .counting import CaseAttributes, applies
from .models import Answer
from .saving import Conflict, Submitted, note_digest
from .sections import Section, field_id

VALUE_CHOICES = [("", "Not answered"), *AnswerValue.choices]
DIGEST = r"\A[0-9a-f]{16}\Z"  # saving.note_digest


def has_note_box(question: QuestionSpec) -> bool:
    """Key questions and items carry an evidence note; prompts only a radio."""
    return question.kind != QuestionKind.PROMPT


RESOLVE_PREFIX = "resolve-"


def take_theirs(data, stored: Mapping[str, Answer]):
    """Where the person chose the other person's answer in a conflict, post the stored answer.

    The question then arrives unchanged and is left as stored; everything else saves as usual.
    """
    data = data.copy()
    for key in [k for k in data if k.startswith(RESOLVE_PREFIX)]:
        code = key.removeprefix(RESOLVE_PREFIX)
        answer = stored.get(code)
        if data[key] != "theirs" or answer is None:
            continue
        data[field_id(code)] = answer.value
        data[field_id(code, "loaded")] = answer.value
        data[field_id(code, "version")] = str(answer.version)
        data[field_id(code, "note")] = answer.note
        data[field_id(code, "loadednote")] = note_digest(answer.note)
    return data


@dataclass(frozen=True)
class Typed:
    """What the page sent for a question, shown again where it was not saved."""

    value: str
    note: str | None


class SectionForm(forms.Form):
    """One section's questions as the page (or its autosave, which sends only what changed)
    posts them: per question present, its answer, evidence note, and the version, answer and note
    digest the page loaded; and the reason for changing a complete case.

    Field names are the page's (cases.sections.field_id), so errors name the page's fields.
    """

    # Parts the page keeps in hidden fields: a bad one means the page itself is damaged.
    HIDDEN = ("version", "loaded", "loadednote")

    reason = rules.FreeTextField(
        what="the reason for change", max_length=rules.REASON_MAX, required=False
    )

    def __init__(self, section: Section, data):
        super().__init__(data)
        self.questions = [q for q in section.questions if field_id(q.code, "version") in data]
        for question in self.questions:
            code = question.code
            self.fields[field_id(code)] = forms.ChoiceField(
                choices=VALUE_CHOICES,
                required=False,
                error_messages={"invalid_choice": f"Choose yes, no or not applicable for {code}"},
            )
            self.fields[field_id(code, "version")] = rules.whole_number_for(
                Answer, "version", what=f"the version of {code}"
            )
            self.fields[field_id(code, "loaded")] = forms.ChoiceField(
                choices=VALUE_CHOICES, required=False
            )
            if not has_note_box(question):
                continue
            if field_id(code, "note") in data:
                self.fields[field_id(code, "note")] = rules.FreeTextField(
                    what=f"the evidence note for {code}",
                    max_length=rules.EVIDENCE_NOTE_MAX,
                    required=False,
                    strip=False,  # a note is kept as typed (its digest says if it changed)
                )
            if field_id(code, "loadednote") in data:
                self.fields[field_id(code, "loadednote")] = forms.RegexField(DIGEST, required=False)

    def field_errors(self) -> dict[str, str]:
        """{page field id: message}, one per field; a damaged hidden part is reported on the
        question's answer, which the person can see."""
        errors = {}
        for question in self.questions:
            code = question.code
            if field_id(code) in self.errors:
                errors[field_id(code)] = self.errors[field_id(code)][0]
            elif any(field_id(code, part) in self.errors for part in self.HIDDEN):
                errors[field_id(code)] = f"The page's record of {code} is damaged: reload the page"
            if field_id(code, "note") in self.errors:
                errors[field_id(code, "note")] = self.errors[field_id(code, "note")][0]
        if "reason" in self.errors:
            errors["reason"] = self.errors["reason"][0]
        return errors

    def submitted(self) -> list[Submitted]:
        """The questions as sent (call after is_valid())."""
        data = self.cleaned_data
        return [
            Submitted(
                question_id=question.id,
                code=question.code,
                value=data[field_id(question.code)],
                note=data.get(field_id(question.code, "note")),
                version=data[field_id(question.code, "version")],
                loaded_value=data[field_id(question.code, "loaded")],
                loaded_note_digest=data.get(field_id(question.code, "loadednote")),
            )
            for question in self.questions
        ]

    def typed(self) -> dict[str, Typed]:
        """{code: what was sent}, valid or not, so the page shows it again and nothing is lost."""
        typed = {}
        for question in self.questions:
            note = self.data.get(field_id(question.code, "note"))
            typed[question.code] = Typed(
                value=self.data.get(field_id(question.code), ""),
                note=rules.normalise_line_endings(note) if note is not None else None,
            )
        return typed


@dataclass
class QuestionRow:
    """Everything the template needs to draw one question."""

    question: QuestionSpec
    value: str
    note: str
    version: int
    loaded_value: str
    loaded_note: str
    error: str = ""
    note_error: str = ""
    conflict: Conflict | None = None
    flagged: str = ""

    @property
    def id(self) -> str:
        return field_id(self.question.code)

    @property
    def has_note(self) -> bool:
        return has_note_box(self.question)

    @property
    def note_max_length(self) -> int:
        return rules.EVIDENCE_NOTE_MAX

    @property
    def loaded_note_digest(self) -> str:
        return note_digest(self.loaded_note)

    @property
    def is_key_question(self) -> bool:
        return self.question.kind == QuestionKind.KEY_QUESTION

    @property
    def note_id(self) -> str:
        return field_id(self.question.code, "note")

    @property
    def version_id(self) -> str:
        return field_id(self.question.code, "version")

    @property
    def loaded_id(self) -> str:
        return field_id(self.question.code, "loaded")

    @property
    def loaded_note_id(self) -> str:
        return field_id(self.question.code, "loadednote")

    @property
    def choices(self):
        """(value, label, input id); the first radio takes the field's id, as GOV.UK links to it."""
        return [
            (value, label, self.id if index == 0 else f"{self.id}-{value}")
            for index, (value, label) in enumerate(AnswerValue.choices)
        ]


@dataclass
class NodeRows:
    main: QuestionRow
    prompts: list[QuestionRow]
    # False where the question's condition leaves this case out: shown collapsed, with the
    # reason, and never answered.
    applies: bool = True
    not_applicable_reason: str = ""


def section_rows(
    section: Section,
    answers: Mapping[str, Answer],
    *,
    submitted: Mapping[str, Typed] | None = None,
    errors: Mapping[str, str] | None = None,
    conflicts: Mapping[str, Conflict] | None = None,
    flags: Mapping[str, str] | None = None,
    case: CaseAttributes | None = None,
) -> list[NodeRows]:
    """Rows showing what is stored, overlaid with what the person sent where it was not saved."""
    submitted, errors = submitted or {}, errors or {}
    conflicts, flags = conflicts or {}, flags or {}

    def row(question: QuestionSpec) -> QuestionRow:
        stored = answers.get(question.code)
        value, note = (stored.value, stored.note) if stored else ("", "")
        version = stored.version if stored else 0
        loaded_value, loaded_note = value, note
        mine = submitted.get(question.code)
        if mine is not None:  # keep what the person typed on the page: nothing is lost
            value = mine.value
            note = mine.note if mine.note is not None else note
        conflict = conflicts.get(question.code)
        return QuestionRow(
            question=question,
            value=value,
            note=note,
            version=version,
            loaded_value=loaded_value,
            loaded_note=loaded_note,
            error=errors.get(field_id(question.code), ""),
            note_error=errors.get(field_id(question.code, "note"), ""),
            conflict=conflict,
            flagged=flags.get(question.code, ""),
        )

    return [
        NodeRows(
            row(n.question),
            [row(p) for p in n.prompts],
            applies=case is None or applies(n.question.when, case),
            not_applicable_reason=n.not_applicable_reason,
        )
        for n in section.nodes
    ]
