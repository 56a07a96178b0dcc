"""Reading a section's answers out of a POST, and laying them out for the section template."""

from collections.abc import Mapping
from dataclasses import dataclass

from inspection.choices import AnswerValue, QuestionKind
from inspection.framework.spec import QuestionSpec

from .models import Answer
from .saving import Conflict, Submitted, note_digest
from .sections import Section, field_id

NOTE_MAX_LENGTH = 5000
ALLOWED_VALUES = {"", *AnswerValue.values}


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


def parse_section(section: Section, data: Mapping[str, str]) -> tuple[list[Submitted], dict]:
    """The submitted questions present in `data`, and {field id: message} for bad input."""
    submitted, errors = [], {}
    for question in section.questions:
        value_key = field_id(question.code)
        version_key = field_id(question.code, "version")
        if version_key not in data:
            continue  # not on this page (an autosave sends only what changed)
        value = data.get(value_key, "")
        if value not in ALLOWED_VALUES:
            errors[value_key] = f"Choose yes, no or not applicable for {question.code}"
            continue
        note = None
        if has_note_box(question) and field_id(question.code, "note") in data:
            note = data[field_id(question.code, "note")].replace("\r\n", "\n")
            if len(note) > NOTE_MAX_LENGTH:
                errors[field_id(question.code, "note")] = (
                    f"Evidence note for {question.code} must be {NOTE_MAX_LENGTH} characters "
                    f"or fewer (it has {len(note)})"
                )
                continue
        try:
            version = int(data[version_key])
        except ValueError:
            errors[value_key] = f"The page's record of {question.code} is damaged: reload the page"
            continue
        submitted.append(
            Submitted(
                question_id=question.id,
                code=question.code,
                value=value,
                note=note,
                version=version,
                loaded_value=data.get(field_id(question.code, "loaded"), ""),
                loaded_note_digest=data.get(field_id(question.code, "loadednote")),
            )
        )
    return submitted, errors


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


def section_rows(
    section: Section,
    answers: Mapping[str, Answer],
    *,
    submitted: Mapping[str, Submitted] | None = None,
    errors: Mapping[str, str] | None = None,
    conflicts: Mapping[str, Conflict] | None = None,
    flags: Mapping[str, str] | None = None,
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

    return [NodeRows(row(n.question), [row(p) for p in n.prompts]) for n in section.nodes]
