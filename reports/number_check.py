"""Before publishing: each number typed by hand in the written report that matches no figure of
its own part, and whether the lead has confirmed it (publishing is refused until each is).

A figure in prose should be cited ({2.2.3}) so it follows the data; one typed by hand may be
stale or wrong. Each number reports/typed_numbers.py reads in a text is checked against the
figures of the part the text is in, by kind: a pair ("six out of ten") must be a count of that
part (yes or no out of relevant), a percentage ("73 per cent") one of its percentages, any other
number one of its counts (yes, no or relevant).

- A standard's texts (either domain) hold its own figures: its key questions' and prompts' counts
  and percentages; its rating's numbers (its number of key questions, the points its rating
  scores, and, rated from cases, the framework's rating thresholds); and the number of cases.
  Items of item groups and domain-1 evidence questions name no standard in the framework (an
  evidence question names only its source: interviews, a survey, the staff profile), so no
  standard owns them: they hold in a standard's texts only where those texts cite them, as do a
  context fact's value and any other figure cited there (a question of another standard). Giving
  them to every standard would pass "58 per cent" anywhere a survey result is 58; the citation
  is the one honest link the data has.
- Other parts (foreword, background, acknowledgements, annexe), a context fact's source and a
  footnote hold every figure of the inspection: all counts and percentages, evidence tallies,
  ratings' numbers, the score and the number of cases, and every context fact's value.

Read in one pass over the texts: five queries beside the report.
"""

from dataclasses import dataclass, field

from django.urls import reverse

from inspection.framework.rating_engine import percent_half_up
from inspection.models import ConfirmedNumber, ContextFact, Inspection
from inspection.models.report_text import as_written, text_digest
from inspection.publish_checklist import Blocker
from reports.report_texts import report_texts

from .prose import EVIDENCE, FACT, citations
from .report_model import Report, build_report
from .typed_numbers import COUNT, PAIR, PERCENT, HandNumber, hand_written_numbers, number_value
from .written import WrittenText, written_texts

EXCERPT = 40
WHOLE = "the inspection"


@dataclass
class Figures:
    """The numbers one part of the report may state, by kind."""

    counts: set[float] = field(default_factory=set)
    percents: set[float] = field(default_factory=set)
    # (count, total): yes or no out of relevant.
    pairs: set[tuple[float, float]] = field(default_factory=set)

    def add_tally(self, yes: int | None, relevant: int | None, percent: int | None = None):
        self.counts |= {float(v) for v in (yes, relevant) if v is not None}
        if percent is not None:
            self.percents.add(float(percent))
        if yes is None or relevant is None:
            return
        no = relevant - yes
        self.counts.add(float(no))
        self.pairs |= {(float(yes), float(relevant)), (float(no), float(relevant))}
        if relevant:
            # Each percentage rounded from its own count, as prose renders it.
            self.percents |= {
                float(percent_half_up(yes, relevant)),
                float(percent_half_up(no, relevant)),
            }

    def add_value(self, value: float | None):
        """A context fact's value: its unit is not typed, so it may be stated either way."""
        if value is not None:
            self.counts.add(value)
            self.percents.add(value)

    def update(self, other: "Figures"):
        self.counts |= other.counts
        self.percents |= other.percents
        self.pairs |= other.pairs

    def holds(self, number: HandNumber) -> bool:
        if number.kind == PAIR:
            return (number.value, number.of) in self.pairs
        if number.kind == PERCENT:
            return number.value in self.percents
        return number.value in self.counts


def fact_value(value: str) -> float | None:
    """A context fact's value as a number ("24,167", "28.7", "9%", "nine"), or None."""
    value = value.strip()
    for unit in ("%", "per cent"):
        value = value.removesuffix(unit).strip()
    return number_value(value)


def _rating_figures(report: Report, result) -> Figures:
    figures = Figures()
    if result.key_questions:
        figures.counts.add(float(len(result.key_questions)))
    spec = result.standard
    if result.rating and spec.scored and (points := report.points(result.rating)) is not None:
        figures.counts.add(float(points))
    if spec.rated and not spec.judged:
        figures.percents |= {float(band.min_percent) for band in report.bands}
    return figures


class PartFigures:
    """The figures each part of the report holds (the module's docstring says which)."""

    def __init__(self, report: Report, facts: list[ContextFact], texts: list[WrittenText]):
        self.tallies = {kq.code: kq.count for s in report.standards for kq in s.key_questions}
        self.tallies.update({item.code: item.count for item in report.items})
        self.evidence = {e.key: e for e in report.evidence}
        self.facts = {f.key: fact_value(f.value) for f in facts}
        # Each standard's own: its rating's numbers, the number of cases, its key questions
        # and (below) its prompts.
        self.standards: dict[str, Figures] = {}
        for result in report.standards:
            own = _rating_figures(report, result)
            own.counts.add(float(report.facts.case_total))
            for kq in result.key_questions:
                own.add_tally(kq.count.yes, kq.count.relevant)
            self.standards[result.code] = own
        for item in report.items:
            if item.question.standard_code in self.standards:
                self.standards[item.question.standard_code].add_tally(
                    item.count.yes, item.count.relevant
                )
        # The whole inspection's: every standard's, every item and tally, the facts, the score.
        self.whole = Figures()
        for own in self.standards.values():
            self.whole.update(own)
        for count in self.tallies.values():
            self.whole.add_tally(count.yes, count.relevant)
        for figure in self.evidence.values():
            self.whole.add_tally(figure.yes, figure.relevant, figure.percent)
        for value in self.facts.values():
            self.whole.add_value(value)
        self.whole.counts |= {float(v) for v in (report.score, report.max_score) if v is not None}
        # What each standard's texts cite joins its own.
        for text in texts:
            if text.standard in self.standards:
                self._add_cited(self.standards[text.standard], text.text)

    def _add_cited(self, figures: Figures, text: str):
        for citation in citations(text):
            if citation.kind == FACT:
                figures.add_value(self.facts.get(citation.key))
            elif citation.kind == EVIDENCE and citation.key in self.evidence:
                figure = self.evidence[citation.key]
                figures.add_tally(figure.yes, figure.relevant, figure.percent)
            elif citation.key in self.tallies:
                count = self.tallies[citation.key]
                figures.add_tally(count.yes, count.relevant)

    def of(self, standard: str | None) -> tuple[str, Figures]:
        """(what the figures are called, the figures) for a text in this standard, or in no
        standard."""
        if standard in self.standards:
            return f"standard {standard}", self.standards[standard]
        return WHOLE, self.whole


@dataclass(frozen=True)
class FlaggedNumber:
    where: str  # "2.2 Assessment: strength 2"
    written: str  # "86 per cent"
    excerpt: str  # the words around it
    scope: str  # "standard 2.2", "the inspection": whose figures it was checked against
    text: str  # the whole text it sits in
    text_digest: str
    # The ConfirmedNumber confirming it, if the lead has.
    confirmation: int | None = None

    @property
    def problem(self) -> str:
        return (
            f"{self.where}: '{self.written}' matches no figure of {self.scope} and is not confirmed"
        )


@dataclass(frozen=True)
class NumberCheck:
    flagged: tuple[FlaggedNumber, ...]

    @property
    def to_confirm(self) -> list[FlaggedNumber]:
        return [n for n in self.flagged if n.confirmation is None]

    @property
    def confirmed(self) -> list[FlaggedNumber]:
        return [n for n in self.flagged if n.confirmation is not None]

    def find(self, digest: str, written: str) -> FlaggedNumber | None:
        """The flagged number `written` (white space as as_written: a browser sends a line break
        back as CRLF) in the text with this digest."""
        written = as_written(written)
        return next(
            (n for n in self.flagged if (n.text_digest, n.written) == (digest, written)), None
        )


def _excerpt(text: str, position: int, length: int) -> str:
    start, end = max(0, position - EXCERPT), min(len(text), position + length + EXCERPT)
    return (
        ("…" if start else "")
        + text[start:end].replace("\n", " ")
        + ("…" if end < len(text) else "")
    )


def check_numbers(inspection: Inspection, report: Report) -> NumberCheck:
    """Each hand-written number matching no figure of its part, in the report's order, with
    where it is and whether it is confirmed. Five queries."""
    stored = report_texts(inspection)
    codes = [s.code for s in report.standards]
    texts = written_texts(stored, codes)
    figures = PartFigures(report, stored.facts, texts)
    confirmed = {
        (digest, written): pk
        for digest, written, pk in ConfirmedNumber.objects.filter(
            inspection=inspection
        ).values_list("text_digest", "written", "pk")
    }
    flagged = []
    for text in texts:
        scope, holding = figures.of(text.standard)
        digest = None
        for number in hand_written_numbers(text.text):
            # "see 1.1" names a standard: a bare number written as a standard's code is one.
            if holding.holds(number) or (number.kind == COUNT and number.written in codes):
                continue
            digest = digest or text_digest(text.text)
            flagged.append(
                FlaggedNumber(
                    text.place,
                    number.written,
                    _excerpt(text.text, number.position, len(number.written)),
                    scope,
                    text.text,
                    digest,
                    confirmed.get((digest, number.written)),
                )
            )
    return NumberCheck(tuple(flagged))


NUMBERS_HEADING = "Numbers typed in the report"


def unconfirmed_numbers(inspection: Inspection, report: Report | None = None) -> list[str]:
    """Publishing's check (reports/publishing.py): each flagged number not confirmed, named
    with its place and words, linking to the page that confirms it."""
    where = reverse("reports:number_check", args=[inspection.pk])
    report = report or build_report(inspection)
    return [Blocker(n.problem, where) for n in check_numbers(inspection, report).to_confirm]
