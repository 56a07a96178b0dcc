"""Data-quality rules for a case's answers. Drafts may break them; completion may not.

`case_problems` is the one test of whether a case may be complete: the case page, bundle import
(cases.workflow.imported_status) and the publishing checks all ask it.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from inspection.choices import AnswerValue, QuestionKind

from .completeness import missing_answers
from .counting import RELEVANT_VALUES, CaseAttributes, applies
from .sections import Section, field_id

# How an unanswered question is named in a problem, by kind.
KIND_NAMES = {
    QuestionKind.KEY_QUESTION: "key question",
    QuestionKind.PROMPT: "prompt",
    QuestionKind.ITEM: "item",
}


@dataclass(frozen=True)
class Problem:
    section_code: str
    question_code: str
    field: str  # the HTML id the error summary links to
    message: str
    kind: str = "unanswered"  # or "needs_note", "prompt_under_na"
    text: str = ""  # the question's wording, for an unanswered one


def case_problems(
    sections: list[Section],
    answers: Mapping[str, tuple[str, str]],
    case: CaseAttributes,
) -> list[Problem]:
    """Every open problem on a case, in page order; `answers` maps code -> (value, note)."""
    values = {code: value for code, (value, _) in answers.items()}
    unanswered = {m.question.code for m in missing_answers(sections, values, case)}
    problems = []
    for section in sections:
        for node in section.nodes:
            for question in node.questions:
                if question.code in unanswered:
                    problems.append(
                        Problem(
                            section.code,
                            question.code,
                            field_id(question.code),
                            f"Answer {KIND_NAMES[question.kind]} {question.code} "
                            "yes, no or not applicable",
                            text=question.text,
                        )
                    )
            if node.question.kind == QuestionKind.KEY_QUESTION and applies(
                node.question.when, case
            ):
                problems += _key_question_rules(section, node, answers)
    return problems


def _key_question_rules(section, node, answers) -> list[Problem]:
    code = node.question.code
    value, note = answers.get(code, ("", ""))
    if value == AnswerValue.NO and not note.strip():
        return [
            Problem(
                section.code,
                code,
                field_id(code, "note"),
                f"Add an evidence note to {code}: a No needs evidence",
                kind="needs_note",
            )
        ]
    if value == AnswerValue.NOT_APPLICABLE:
        answered = [
            p.code for p in node.prompts if answers.get(p.code, ("", ""))[0] in RELEVANT_VALUES
        ]
        if answered:
            return [
                Problem(
                    section.code,
                    answered[0],
                    field_id(answered[0]),
                    f"{code} is not applicable, but its prompts "
                    f"{', '.join(answered)} are answered yes or no: "
                    f"mark them not applicable too, or answer {code}",
                    kind="prompt_under_na",
                )
            ]
    return []
