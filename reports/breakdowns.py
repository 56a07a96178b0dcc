"""Key questions broken down by a case attribute (sentence type, gender, ...), grouped in SQL.

One GROUP BY per attribute, so the number of queries is fixed whatever the number of cases.
Groups with fewer than MIN_RELEVANT_CASES relevant cases are suppressed: a percentage of two or
three cases misleads, and could point at the people in them.
"""

from dataclasses import dataclass

from django.db.models import Count as SqlCount
from django.db.models import Q

from cases.choices import Ethnicity, Gender, RoshLevel, SentenceType
from cases.counting import RELEVANT
from cases.models import Answer
from inspection.choices import AnswerValue, QuestionKind
from inspection.framework.rating_engine import Count
from inspection.framework.spec import FrameworkSpec, QuestionSpec

from .statistics import Interval, wilson_interval

MIN_RELEVANT_CASES = 5


@dataclass(frozen=True)
class Attribute:
    field: str
    name: str  # as it reads after "By ": "By sentence type"
    groups: tuple[tuple[object, str], ...]


ATTRIBUTES = (
    Attribute("sentence_type", "sentence type", tuple(SentenceType.choices)),
    Attribute("gender", "gender", tuple(Gender.choices)),
    Attribute("ethnicity", "ethnicity", tuple(Ethnicity.choices)),
    Attribute("disability", "disability", ((True, "Disabled"), (False, "Not disabled"))),
    Attribute("rosh", "risk of serious harm (RoSH) level", tuple(RoshLevel.choices)),
)


@dataclass(frozen=True)
class Cell:
    count: Count

    @property
    def suppressed(self) -> bool:
        return self.count.relevant < MIN_RELEVANT_CASES

    @property
    def interval(self) -> Interval | None:
        return None if self.suppressed else wilson_interval(self.count.yes, self.count.relevant)


@dataclass(frozen=True)
class BreakdownRow:
    question: QuestionSpec
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Breakdown:
    attribute: Attribute
    group_labels: tuple[str, ...]
    rows: tuple[BreakdownRow, ...]


def counts_by_attribute(inspection_id: int, field: str) -> dict[tuple[str, object], Count]:
    """{(key question code, attribute value): Count} in one query."""
    rows = (
        Answer.objects.filter(
            case__inspection_id=inspection_id, question__kind=QuestionKind.KEY_QUESTION
        )
        .filter(RELEVANT)
        .values("question__code", f"case__{field}")
        .annotate(yes=SqlCount("id", filter=Q(value=AnswerValue.YES)), relevant=SqlCount("id"))
        .order_by()
    )
    return {
        (row["question__code"], row[f"case__{field}"]): Count(row["yes"], row["relevant"])
        for row in rows
    }


def build_breakdown(
    attribute: Attribute, key_questions: list[QuestionSpec], counts: dict[tuple[str, object], Count]
) -> Breakdown:
    """Pure: only groups some case belongs to get a column, in the attribute's own order."""
    present = {value for _, value in counts}
    groups = [(value, label) for value, label in attribute.groups if value in present]
    return Breakdown(
        attribute=attribute,
        group_labels=tuple(label for _, label in groups),
        rows=tuple(
            BreakdownRow(
                question=kq,
                cells=tuple(Cell(counts.get((kq.code, value), Count(0, 0))) for value, _ in groups),
            )
            for kq in key_questions
        ),
    )


def key_question_breakdowns(inspection_id: int, framework: FrameworkSpec) -> list[Breakdown]:
    key_questions = [
        kq
        for standard in framework.standards
        if not standard.judged
        for kq in standard.key_questions
    ]
    return [
        build_breakdown(
            attribute, key_questions, counts_by_attribute(inspection_id, attribute.field)
        )
        for attribute in ATTRIBUTES
    ]
