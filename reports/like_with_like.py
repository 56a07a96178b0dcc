"""The dashboards' figures across framework versions, like with like only (reports/comparability).

A PDU's line over time continues across a framework change only where the question (or standard)
has a counterpart; elsewhere its cell is NOT_COMPARABLE and the line carries a note saying why. A
pooled average takes each inspection's counterpart count and leaves out, and counts, those with
none. Scores and overall ratings join only where comparability.scoring allows.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from cases.summary import InspectionSummary
from inspection.framework.rating_engine import Count
from inspection.framework.spec import FrameworkSpec

from . import comparability
from .results import key_question_count, pooled, standard_rating


@dataclass(frozen=True)
class NotComparable:
    """A cell where a figure would stand beside figures it does not compare with."""

    not_comparable: bool = True  # for templates: {% if cell.not_comparable %}


NOT_COMPARABLE = NotComparable()


def framework_label(framework: FrameworkSpec, other: FrameworkSpec) -> str:
    """The framework's code, with its version when `other` is another version of it."""
    if framework.code == other.code:
        return f"{framework.code} version {framework.version}"
    return framework.code


def changed_note(
    earlier: FrameworkSpec, later: FrameworkSpec, *, line_is_later: bool, noun: str = "question"
) -> str:
    which = "earlier" if line_is_later else "later"
    return (
        f"Not comparable with {which} inspections: the framework changed from "
        f"{framework_label(earlier, later)} to {framework_label(later, earlier)} and this "
        f"{noun} has no equivalent."
    )


class Matcher:
    """comparability's answers for one page, each pair of frameworks worked out once."""

    def __init__(self):
        self._memo: dict = {}

    def _ask(self, function, source: FrameworkSpec, code: str, target: FrameworkSpec):
        key = (function, source.id, code, target.id)
        if key not in self._memo:
            self._memo[key] = function(source, code, target)
        return self._memo[key]

    def question(self, source: FrameworkSpec, code: str, target: FrameworkSpec) -> str | None:
        return self._ask(comparability.question_counterpart, source, code, target)

    def standard(self, source: FrameworkSpec, code: str, target: FrameworkSpec) -> str | None:
        return self._ask(comparability.standard_counterpart, source, code, target)

    def scoring(self, first: FrameworkSpec, second: FrameworkSpec) -> comparability.Verdict:
        key = ("scoring", first.id, second.id)
        if key not in self._memo:
            self._memo[key] = comparability.scoring(first, second)
        return self._memo[key]

    def count(self, framework: FrameworkSpec, code: str, summary: InspectionSummary):
        """The summary's count for `framework`'s key question `code`: NOT_COMPARABLE when its
        framework has no equivalent."""
        other = self.question(framework, code, summary.framework)
        return NOT_COMPARABLE if other is None else key_question_count(summary, other)

    def rating(self, framework: FrameworkSpec, code: str, summary: InspectionSummary):
        other = self.standard(framework, code, summary.framework)
        return NOT_COMPARABLE if other is None else standard_rating(summary, other)

    def score_comparable(self, framework: FrameworkSpec, summary: InspectionSummary) -> bool:
        return self.scoring(framework, summary.framework).comparable


@dataclass(frozen=True)
class Line:
    """One question's or standard's figures over a PDU's inspections, oldest first."""

    framework: FrameworkSpec  # whose code and wording the line carries
    item: object  # QuestionSpec or StandardSpec of that framework
    cells: tuple  # a figure, or NOT_COMPARABLE, one per inspection
    note: str  # empty when every cell compares


def lines_over_time(
    history: Sequence[InspectionSummary],
    items: Callable[[FrameworkSpec], Sequence],
    cell: Callable[[FrameworkSpec, str, InspectionSummary], object],
    counterpart: Callable[[FrameworkSpec, str, FrameworkSpec], str | None],
    noun: str = "question",
) -> tuple[Line, ...]:
    """A line for each item of the latest inspection's framework, then one for each item of an
    earlier framework that has no counterpart in the latest (a question that ended there)."""
    latest = history[-1].framework
    lines = [_line(latest, item, history, cell, noun) for item in items(latest)]
    ended: list[Line] = []
    seen = {latest.id}
    for summary in reversed(history):
        framework = summary.framework
        if framework.id in seen:
            continue
        seen.add(framework.id)
        for item in items(framework):
            if counterpart(framework, item.code, latest) is not None:
                continue
            if any(counterpart(framework, item.code, e.framework) == e.item.code for e in ended):
                continue  # the same question, already drawn from a newer version
            ended.append(_line(framework, item, history, cell, noun))
    return tuple(lines + ended)


def _line(
    framework: FrameworkSpec, item, history: Sequence[InspectionSummary], cell, noun: str
) -> Line:
    cells = tuple(cell(framework, item.code, summary) for summary in history)
    own = [i for i, value in enumerate(cells) if value is not NOT_COMPARABLE]
    newest_own = own[-1] if own else len(cells)
    notes = []
    before = [i for i in range(newest_own) if cells[i] is NOT_COMPARABLE]
    if before:
        notes.append(
            changed_note(history[before[-1]].framework, framework, line_is_later=True, noun=noun)
        )
    after = [i for i in range(newest_own + 1, len(cells)) if cells[i] is NOT_COMPARABLE]
    if after:
        notes.append(
            changed_note(framework, history[after[0]].framework, line_is_later=False, noun=noun)
        )
    return Line(framework, item, cells, " ".join(notes))


@dataclass(frozen=True)
class Pooled:
    """An average over inspections whose question is comparable, and how many were left out."""

    count: Count
    left_out: int
    pooled_over: int


def pool(
    framework: FrameworkSpec, code: str, summaries: Sequence[InspectionSummary], matcher: Matcher
) -> Pooled:
    counts = [matcher.count(framework, code, s) for s in summaries]
    kept = [c for c in counts if c is not NOT_COMPARABLE]
    return Pooled(
        count=pooled(c for c in kept if c is not None),
        left_out=len(counts) - len(kept),
        pooled_over=len(kept),
    )


def frameworks_left_out(framework: FrameworkSpec, summaries: Sequence[InspectionSummary]) -> str:
    """The other frameworks among `summaries`, for a sentence: 'hmip-pdu-2021'."""
    labels = sorted(
        {
            framework_label(s.framework, framework)
            for s in summaries
            if s.framework.id != framework.id
        }
    )
    return ", ".join(labels)


def scoring_note(
    framework: FrameworkSpec, summaries: Sequence[InspectionSummary], matcher: Matcher
) -> str:
    """What a score chart or rating count leaves out, and why; empty when it leaves out none."""
    left_out = [s for s in summaries if not matcher.score_comparable(framework, s)]
    if not left_out:
        return ""
    reasons = sorted({matcher.scoring(framework, s.framework).reason for s in left_out})
    n = len(left_out)
    inspections = "1 inspection" if n == 1 else f"{n} inspections"
    return (
        f"Scores and overall ratings of {inspections} under another framework "
        f"({frameworks_left_out(framework, left_out)}) are left out of this comparison, "
        f"{'; '.join(reasons)}."
    )
