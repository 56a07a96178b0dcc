"""Data-quality rules for a case's answers. Drafts may break them; completion may not."""

from collections.abc import Mapping
from dataclasses import dataclass

from inspection.choices import AnswerValue

from .completeness import DECIDED, applies
from .sections import Section, field_id


@dataclass(frozen=True)
class Problem:
    section_code: str
    question_code: str
    field: str  # the HTML id the error summary links to
    message: str
    kind: str = "unanswered"  # or "needs_note", "prompt_under_na"


def case_problems(
    sections: list[Section],
    answers: Mapping[str, tuple[str, str]],
    *,
    court_work: bool,
    resettlement: bool,
) -> list[Problem]:
    """Every open problem on a case; `answers` maps code -> (value, note)."""
    problems = []
    for section in sections:
        if not applies(section.applies_when, court_work=court_work, resettlement=resettlement):
            continue
        for node in section.nodes:
            code = node.question.code
            value, note = answers.get(code, ("", ""))
            if node.question.kind == "key_question":
                if not value:
                    problems.append(
                        Problem(
                            section.code,
                            code,
                            field_id(code),
                            f"Answer key question {code} yes, no or not applicable",
                        )
                    )
                elif value == AnswerValue.NO and not note.strip():
                    problems.append(
                        Problem(
                            section.code,
                            code,
                            field_id(code, "note"),
                            f"Add an evidence note to {code}: a No needs evidence",
                            kind="needs_note",
                        )
                    )
                elif value == AnswerValue.NOT_APPLICABLE:
                    answered = [
                        p.code for p in node.prompts if answers.get(p.code, ("", ""))[0] in DECIDED
                    ]
                    if answered:
                        problems.append(
                            Problem(
                                section.code,
                                answered[0],
                                field_id(answered[0]),
                                f"{code} is not applicable, but its prompts "
                                f"{', '.join(answered)} are answered yes or no: "
                                f"mark them not applicable too, or answer {code}",
                                kind="prompt_under_na",
                            )
                        )
    return problems
