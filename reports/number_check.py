"""Before publishing: every number written by hand in the report's prose that matches no figure.

A figure in prose should be cited ({2.2.3}) so it follows the data; one typed by hand may be
stale or wrong. This lists each hand-written number (figures in digits, years left out, and the
words one to nine where they state a figure: "four per cent", "six out of"; reports/prose.py)
that equals none of the inspection's figures: any key question's, prompt's or item's yes, no or
relevant count or percentage (yes or no), any evidence tally's, the score, the number of cases,
and the context facts' values (typed once, cited elsewhere). Read-only: it changes nothing.
"""

import re
from dataclasses import dataclass

from inspection.framework.rating_engine import percent_half_up
from inspection.models import ContextFact, Inspection

from .prose import hand_written_numbers
from .report_model import Report
from .written import written_texts

EXCERPT = 40


@dataclass(frozen=True)
class UnmatchedNumber:
    where: str  # "2.2 Assessment: strength 2"
    written: str  # "86"
    excerpt: str  # the words around it


def _counts(yes: int | None, relevant: int | None, percent: int | None) -> set[float]:
    values = {float(v) for v in (yes, relevant, percent) if v is not None}
    if yes is not None and relevant is not None:
        values.add(float(relevant - yes))
        if relevant:
            # The no percentage, rounded from its own count as prose renders it.
            values.add(float(percent_half_up(relevant - yes, relevant)))
    return values


def figures_of(report: Report, facts: list[ContextFact]) -> set[float]:
    """Every number the inspection's data states."""
    values: set[float] = set()
    results = [kq for s in report.standards for kq in s.key_questions] + list(report.items)
    for result in results:
        values |= _counts(result.count.yes, result.count.relevant, result.percent)
    for figure in report.evidence:
        values |= _counts(figure.yes, figure.relevant, figure.percent)
    values |= {float(v) for v in (report.score, report.max_score) if v is not None}
    values.add(float(report.facts.case_total))
    for fact in facts:
        number = re.fullmatch(r"\s*(\d[\d,]*(?:\.\d+)?)\s*%?\s*", fact.value)
        if number:
            values.add(float(number.group(1).replace(",", "")))
    return values


def _excerpt(text: str, position: int, length: int) -> str:
    start, end = max(0, position - EXCERPT), min(len(text), position + length + EXCERPT)
    return (
        ("…" if start else "")
        + text[start:end].replace("\n", " ")
        + ("…" if end < len(text) else "")
    )


def unmatched_numbers(inspection: Inspection, report: Report) -> list[UnmatchedNumber]:
    """Each hand-written number matching no figure, in the report's order, with where it is.
    Three queries."""
    facts = list(ContextFact.objects.filter(inspection=inspection))
    known = figures_of(report, facts)
    texts = written_texts(inspection, [s.code for s in report.standards], facts)
    unmatched = []
    for where, text in texts:
        for number in hand_written_numbers(text):
            if number.value not in known:
                unmatched.append(
                    UnmatchedNumber(
                        where, number.written, _excerpt(text, number.position, len(number.written))
                    )
                )
    return unmatched
