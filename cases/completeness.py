"""When a case's answers are whole: every question it is asked has an answer (yes, no or na).

That covers key questions, their prompts and the items of item groups, wherever the
question applies to the case (cases.counting). Nothing is answered on the inspector's behalf,
with one rule: the prompts under a key question answered not applicable are not applicable too.
They need no answer and are not stored as 'na' for the inspector: a blank there is settled by
the rule, so changing the key question back to yes or no brings them back as work to do. The
reports are unaffected either way, since blank and 'na' are both outside every denominator, and
a prompt answered yes or no under a not-applicable key question is a data-quality problem
(cases.data_quality) that completion refuses.
"""

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from inspection.choices import AnswerValue, QuestionKind
from inspection.framework.spec import QuestionSpec

from .counting import GIVEN_VALUES, CaseAttributes, applies
from .sections import Section


@dataclass(frozen=True)
class MissingAnswer:
    section: Section
    question: QuestionSpec


def needing_answers(
    sections: Iterable[Section],
    values: Mapping[str, str],
    case: CaseAttributes,
) -> Iterator[MissingAnswer]:
    """Every question the case asks (applicable, not settled by the rule above), in page order,
    answered or not; `values` maps code -> value."""
    for section in sections:
        for node in section.nodes:
            settled_by_rule = values.get(node.question.code) == AnswerValue.NOT_APPLICABLE
            for question in node.questions:
                if not applies(question.when, case):
                    continue
                if question.kind == QuestionKind.PROMPT and settled_by_rule:
                    continue
                yield MissingAnswer(section, question)


def missing_answers(
    sections: Iterable[Section],
    values: Mapping[str, str],
    case: CaseAttributes,
) -> list[MissingAnswer]:
    """Every question the case asks that has no answer yet, in page order."""
    return [
        needed
        for needed in needing_answers(sections, values, case)
        if values.get(needed.question.code, "") not in GIVEN_VALUES
    ]


def progress(
    sections: Iterable[Section],
    values: Mapping[str, str],
    case: CaseAttributes,
) -> tuple[int, int]:
    """(answered, asked): the case list's "n of m questions answered", by the same rule."""
    asked = list(needing_answers(sections, values, case))
    answered = sum(1 for a in asked if values.get(a.question.code, "") in GIVEN_VALUES)
    return answered, len(asked)
