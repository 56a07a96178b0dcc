"""Every stored text of an inspection's written report: the texts a lead writes, where a
number may be typed and a figure cited. Defined here once, so that whatever reads "every text of
the report" reads the same ones: confirming a number (reports/confirmed_numbers.py), the
bundle's import and export (bundles/report.py) and the checks before publishing
(reports/written.written_texts).

The kinds of text are ReportTexts' fields, each a list of the rows holding them; which field of
a row is its text is `texts()`'s to say. A new kind of text is a new field: every place that
makes a ReportTexts must then give it.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from inspection.models import ContextFact, Footnote, Inspection, RatingWording, ReportItem


@dataclass(frozen=True)
class ReportTexts:
    # Each with its sub-section and the sub-section's standard.
    items: list[ReportItem]
    # The lead's wordings of rating sentences, each with its standard.
    rating_wordings: list[RatingWording]
    # Context facts: the source is the text (the value is a figure, not prose).
    facts: list[ContextFact]
    footnotes: list[Footnote]

    def texts(self) -> Iterator[str]:
        yield from (item.text for item in self.items)
        yield from (wording.text for wording in self.rating_wordings)
        yield from (fact.source for fact in self.facts)
        yield from (note.text for note in self.footnotes)


def report_texts(inspection: Inspection | int) -> ReportTexts:
    """The inspection's written report as stored now. Four queries."""
    return ReportTexts(
        items=list(
            ReportItem.objects.filter(subsection__inspection=inspection).select_related(
                "subsection__standard"
            )
        ),
        rating_wordings=list(
            RatingWording.objects.filter(inspection=inspection).select_related("standard")
        ),
        facts=list(ContextFact.objects.filter(inspection=inspection)),
        footnotes=list(Footnote.objects.filter(inspection=inspection)),
    )
