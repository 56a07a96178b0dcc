"""Key questions broken down by a case attribute (sentence type, gender, ...), grouped in SQL.

One GROUP BY for every attribute, so the number of queries is fixed whatever the number of cases.

Disclosure control, decided here for every rendering:
- primary suppression: a group with fewer than MIN_RELEVANT_CASES relevant cases is hidden, since
  a percentage of two or three cases misleads, and could point at the people in them;
- complementary suppression: the report publishes each key question's total, so a row hiding
  exactly one group would give it away (total minus the groups shown). Such a row also hides its
  next smallest group, so every row hides no group, two or more, or its only group.
A hidden cell keeps no count at all, so no template can print one by mistake. A group hidden in
every row is a column with nothing to show: the PDF leaves it out and says so once, under the
table (`Breakdown.shown` and `hidden_throughout`), rather than repeat "Hidden" in every cell.
"""

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count as SqlCount
from django.db.models import Q

from cases.choices import Ethnicity, Gender, RoshLevel, SentenceType
from cases.counting import conditions_of_inspections, relevant_q
from cases.models import Answer
from inspection.choices import AnswerValue, QuestionKind
from inspection.framework.rating_engine import Count
from inspection.framework.spec import FrameworkSpec, QuestionSpec

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


class Reason(enum.StrEnum):
    """Why a cell is hidden; a str, so templates compare it with its value."""

    FEWER_THAN_MINIMUM = "fewer_than_minimum"  # primary: too few relevant cases
    COMPLEMENTARY = "complementary"  # so that another hidden group cannot be worked out


def suppression(counts: Sequence[Count]) -> tuple[Reason | None, ...]:
    """Pure: for one row's groups in the attribute's order, why each is hidden (None: shown)."""
    reasons = [
        Reason.FEWER_THAN_MINIMUM if count.relevant < MIN_RELEVANT_CASES else None
        for count in counts
    ]
    shown = [index for index, reason in enumerate(reasons) if reason is None]
    hidden = [index for index, reason in enumerate(reasons) if reason]
    # A hidden group with no relevant cases adds nothing to the total, so it protects nothing:
    # one hidden group holding cases is as exposed as one hidden group alone.
    hidden_with_cases = [index for index in hidden if counts[index].relevant]
    if shown and (len(hidden) == 1 or len(hidden_with_cases) == 1):
        # Hiding the smallest shown group gives away the least; the attribute's order breaks ties.
        smallest = min(shown, key=lambda index: (counts[index].relevant, index))
        reasons[smallest] = Reason.COMPLEMENTARY
    return tuple(reasons)


@dataclass(frozen=True)
class Cell:
    count: Count | None  # None when hidden
    reason: Reason | None = None

    def __post_init__(self):
        if (self.count is None) == (self.reason is None):
            raise ValueError("a cell has either a count or a reason for hiding it")

    @classmethod
    def of(cls, count: Count, reason: Reason | None) -> "Cell":
        return cls(None, reason) if reason else cls(count)

    @property
    def suppressed(self) -> bool:
        return self.reason is not None

    @property
    def hidden_label(self) -> str:
        """What every rendering says in place of a hidden cell's figures."""
        if self.reason == Reason.COMPLEMENTARY:
            return f"Hidden to protect a group of fewer than {MIN_RELEVANT_CASES}"
        return f"Fewer than {MIN_RELEVANT_CASES}" if self.reason else ""


@dataclass(frozen=True)
class BreakdownRow:
    question: QuestionSpec
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class ShownRow:
    question: QuestionSpec
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Breakdown:
    attribute: Attribute
    group_labels: tuple[str, ...]
    rows: tuple[BreakdownRow, ...]

    def _hidden_in_every_row(self, index: int) -> bool:
        return bool(self.rows) and all(row.cells[index].suppressed for row in self.rows)

    @property
    def shown_labels(self) -> tuple[str, ...]:
        """The groups some row shows a figure for: the columns worth printing."""
        return tuple(
            label
            for index, label in enumerate(self.group_labels)
            if not self._hidden_in_every_row(index)
        )

    @property
    def shown(self) -> tuple[ShownRow, ...]:
        """The rows with only the shown groups' cells."""
        kept = [i for i in range(len(self.group_labels)) if not self._hidden_in_every_row(i)]
        return tuple(ShownRow(row.question, tuple(row.cells[i] for i in kept)) for row in self.rows)

    @property
    def hidden_throughout(self) -> str:
        """One sentence naming each group hidden in every row and why ("" when none is)."""
        hidden = []
        for index, label in enumerate(self.group_labels):
            if not self._hidden_in_every_row(index):
                continue
            reasons = {row.cells[index].reason for row in self.rows}
            why = []
            if Reason.FEWER_THAN_MINIMUM in reasons:
                why.append(f"fewer than {MIN_RELEVANT_CASES} relevant cases")
            if Reason.COMPLEMENTARY in reasons:
                why.append(f"to protect a group of fewer than {MIN_RELEVANT_CASES}")
            hidden.append(f"{label} ({', or '.join(why)})")
        if not hidden:
            return ""
        return f"Hidden for every key question, so not shown: {'; '.join(hidden)}."


def counts_by_attributes(
    inspection_id: int, conditions=None
) -> dict[str, dict[tuple[str, object], Count]]:
    """{attribute field: {(key question code, attribute value): Count}}, in one query: grouped
    by every attribute at once (at most a row per case and key question), then summed here.
    `conditions`: the framework's (cases.counting), read in one more query if not given."""
    if conditions is None:
        conditions = conditions_of_inspections([inspection_id])
    fields = [f"case__{attribute.field}" for attribute in ATTRIBUTES]
    rows = (
        Answer.objects.filter(
            case__inspection_id=inspection_id, question__kind=QuestionKind.KEY_QUESTION
        )
        .filter(relevant_q(conditions))
        .values("question__code", *fields)
        .annotate(yes=SqlCount("id", filter=Q(value=AnswerValue.YES)), relevant=SqlCount("id"))
        .order_by()
    )
    totals: dict[str, dict[tuple[str, object], list[int]]] = {a.field: {} for a in ATTRIBUTES}
    for row in rows:
        for attribute in ATTRIBUTES:
            key = (row["question__code"], row[f"case__{attribute.field}"])
            total = totals[attribute.field].setdefault(key, [0, 0])
            total[0] += row["yes"]
            total[1] += row["relevant"]
    return {
        field: {key: Count(*pair) for key, pair in counts.items()}
        for field, counts in totals.items()
    }


def build_row(question: QuestionSpec, counts: Sequence[Count]) -> BreakdownRow:
    reasons = suppression(counts)
    cells = tuple(Cell.of(count, reason) for count, reason in zip(counts, reasons, strict=True))
    return BreakdownRow(question=question, cells=cells)


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
            build_row(kq, [counts.get((kq.code, value), Count(0, 0)) for value, _ in groups])
            for kq in key_questions
        ),
    )


def key_question_breakdowns(inspection_id: int, framework: FrameworkSpec) -> list[Breakdown]:
    key_questions = [
        kq
        for standard in framework.standards
        if not standard.judged and not standard.pooled  # pooled: not this inspection's cases
        for kq in standard.key_questions
    ]
    counts = counts_by_attributes(inspection_id, framework.conditions)
    return [
        build_breakdown(attribute, key_questions, counts[attribute.field])
        for attribute in ATTRIBUTES
    ]
