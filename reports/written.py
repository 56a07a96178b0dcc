"""The written report in the results model: the lead's words with their citations resolved.

Built from the rows of inspection/models/report_text.py against the inspection's figures (so a
changed answer changes the sentence citing it until publication, and the record keeps the words
as published). Footnotes are numbered across the report in reading order: acknowledgements (in
the front matter, as printed), foreword, background, each standard (a case-rated standard's
generated rating note first, then the lead's wording of its rating sentence, if any), annexe.
Seven queries, whatever the length of the report.
"""

from dataclasses import dataclass
from typing import NamedTuple

from cases.summary import QuestionResult, StandardResult
from inspection.choices import Rating
from inspection.models import (
    ContextFact,
    Footnote,
    Inspection,
    ItemKind,
    ItemList,
    RatingWording,
    ReportImprint,
    ReportItem,
    ReportPart,
    ReportSigning,
    ReportSubsection,
)
from reports.report_texts import ReportTexts

from .findings import rating_basis
from .prose import Fact, Note, Renderer, Run, Sources, Tally


@dataclass(frozen=True)
class Passage:
    """A paragraph, or a quotation."""

    runs: tuple[Run, ...]
    quote: bool = False


@dataclass(frozen=True)
class Point:
    """A strength or area for improvement, with the quotations that follow it."""

    runs: tuple[Run, ...]
    quotes: tuple[Passage, ...] = ()


@dataclass(frozen=True)
class Subsection:
    heading: str = ""
    body: tuple[Passage, ...] = ()
    strengths: tuple[Point, ...] = ()
    areas: tuple[Point, ...] = ()


@dataclass(frozen=True)
class StandardText:
    code: str
    subsections: tuple[Subsection, ...] = ()
    # The footnote number of the generated note on how the standard is rated (case-rated only).
    rating_note: int | None = None
    # The lead's wording of the rating sentence, printed instead of the one made from the
    # results (CaseStandardSection.rating_sentence); empty when not worded.
    rating_sentence: tuple[Run, ...] = ()


@dataclass(frozen=True)
class WrittenReport:
    """Everything the lead wrote, rendered. Empty for a record stored before the written report."""

    foreword: tuple[Subsection, ...] = ()
    signatory: str = ""
    signatory_title: str = ""
    background: tuple[Subsection, ...] = ()
    standards: tuple[StandardText, ...] = ()
    acknowledgements: tuple[Subsection, ...] = ()
    annexe: tuple[Subsection, ...] = ()
    footnotes: tuple[Note, ...] = ()
    # The report's ISBN as printed in its front matter ("" while it has none).
    isbn: str = ""

    def standard(self, code: str) -> StandardText | None:
        return next((s for s in self.standards if s.code == code), None)

    @property
    def has_rating_notes(self) -> bool:
        return any(s.rating_note for s in self.standards)


def point_texts(subsections: tuple[Subsection, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The strengths and areas of the first unheaded sub-section, as plain text (no footnote
    marks, no quotes): what the data workbook lists for a domain-1 standard."""
    first = next((s for s in subsections if not s.heading), None)
    if first is None:
        return (), ()

    def texts(points):
        return tuple("".join(r.text for r in p.runs) for p in points if p.runs)

    return texts(first.strengths), texts(first.areas)


# The report's reading order of its parts (acknowledgements in the front matter, the annexe
# last, as printed) and of the lists within a sub-section.
PART_ORDER = [
    ReportPart.ACKNOWLEDGEMENTS,
    ReportPart.FOREWORD,
    ReportPart.BACKGROUND,
    ReportPart.STANDARD,
    ReportPart.ANNEXE,
]
LIST_NAMES = {"body": "paragraph", "strengths": "strength", "areas": "area for improvement"}


class WrittenText(NamedTuple):
    place: str  # "2.2 Assessment: strength 2", "Context fact “…”: its source"
    text: str
    standard: str | None  # the code of the standard it is written in; None for other parts


def written_texts(stored: ReportTexts, standard_codes: list[str]) -> list[WrittenText]:
    """Every text the lead wrote (reports/report_texts.py's, as `stored`), in reading order,
    with where it is ("2.2 Assessment: strength 2", "2.4 Implementation and delivery: rating
    sentence", "Context fact “…”: its source"): what the checks before publishing read and name.
    A context fact's source and a footnote belong to no standard. `standard_codes`: the
    framework's standards in the report's order."""

    def standard_at(standard) -> int:
        return standard_codes.index(standard.code) if standard else 0

    placed: list[tuple[tuple, WrittenText]] = []
    place_of: dict[tuple[int, str], int] = {}
    for item in sorted(
        stored.items, key=lambda i: (i.subsection.order, i.subsection.pk, i.order, i.pk)
    ):
        subsection = item.subsection
        part = (
            f"{subsection.standard.code} {subsection.standard.name}"
            if subsection.standard
            else subsection.get_part_display()
        )
        heading = f" ({subsection.heading})" if subsection.heading else ""
        counter = (subsection.pk, item.list)
        place_of[counter] = place_of.get(counter, 0) + 1
        kind = "quote" if item.kind == ItemKind.QUOTE else LIST_NAMES[item.list]
        at = (
            PART_ORDER.index(subsection.part),
            standard_at(subsection.standard),
            subsection.order,
            subsection.pk,
            list(LIST_NAMES).index(item.list),
            item.order,
            item.pk,
        )
        standard = subsection.standard.code if subsection.standard else None
        placed.append(
            (at, WrittenText(f"{part}{heading}: {kind} {place_of[counter]}", item.text, standard))
        )
    # A rating sentence the lead worded comes before its standard's own text.
    for wording in stored.rating_wordings:
        standard = wording.standard
        at = (PART_ORDER.index(ReportPart.STANDARD), standard_at(standard), -1)
        placed.append(
            (
                at,
                WrittenText(
                    f"{standard.code} {standard.name}: rating sentence", wording.text, standard.code
                ),
            )
        )
    texts = [text for _, text in sorted(placed, key=lambda p: p[0])]
    texts += [
        WrittenText(f"Context fact “{f.label}”: its source", f.source, None) for f in stored.facts
    ]
    texts += [WrittenText(f"Footnote “{note.key}”", note.text, None) for note in stored.footnotes]
    return texts


def sources_for(
    standards: tuple[StandardResult, ...],
    items: tuple[QuestionResult, ...],
    evidence: tuple,
    facts: list[ContextFact],
    notes: list[Footnote],
) -> Sources:
    questions = {
        kq.code: Tally(kq.count.yes, kq.count.relevant)
        for standard in standards
        for kq in standard.key_questions
    }
    questions.update({item.code: Tally(item.count.yes, item.count.relevant) for item in items})
    return Sources(
        questions=questions,
        ratings={s.code: Rating(s.rating).label if s.rating else "" for s in standards},
        evidence={e.key: Tally(e.yes, e.relevant, e.percent) for e in evidence},
        facts={f.key: Fact(f.value, f.source) for f in facts},
        notes={n.key: n.text for n in notes},
        unrated=frozenset(s.code for s in standards if not s.standard.rated),
    )


def _subsections(renderer: Renderer, rows: list[ReportSubsection]) -> tuple[Subsection, ...]:
    rendered = []
    for row in rows:
        lists: dict[str, list] = {ItemList.BODY: [], ItemList.STRENGTHS: [], ItemList.AREAS: []}
        for item in row.item_rows:
            runs = renderer.runs(item.text)
            quote = item.kind == ItemKind.QUOTE
            if item.list == ItemList.BODY:
                lists[ItemList.BODY].append(Passage(runs, quote))
            elif not quote:
                lists[item.list].append(Point(runs))
            else:
                points = lists[item.list]
                # A quotation belongs to the bullet before it (or stands alone, first in a list).
                last = points.pop() if points else Point(())
                points.append(Point(last.runs, (*last.quotes, Passage(runs, True))))
        rendered.append(
            Subsection(
                heading=row.heading,
                body=tuple(lists[ItemList.BODY]),
                strengths=tuple(lists[ItemList.STRENGTHS]),
                areas=tuple(lists[ItemList.AREAS]),
            )
        )
    return tuple(rendered)


def build_written_report(
    inspection: Inspection,
    standards: tuple[StandardResult, ...],
    items: tuple[QuestionResult, ...],
    evidence: tuple,
) -> WrittenReport:
    """The written report of the inspection, its citations resolved against these figures
    (`evidence`: the report's EvidenceFigures)."""
    subsections = list(
        ReportSubsection.objects.filter(inspection=inspection)
        .select_related("standard")
        .order_by("order", "pk")
    )
    by_subsection: dict[int, list[ReportItem]] = {s.pk: [] for s in subsections}
    for item in ReportItem.objects.filter(subsection__inspection=inspection).order_by(
        "order", "pk"
    ):
        by_subsection[item.subsection_id].append(item)
    for subsection in subsections:
        subsection.item_rows = by_subsection[subsection.pk]
    signing = ReportSigning.objects.filter(inspection=inspection).first()
    isbn = ReportImprint.objects.filter(inspection=inspection).values_list("isbn", flat=True)
    wordings = dict(
        RatingWording.objects.filter(inspection=inspection).values_list("standard__code", "text")
    )
    facts = list(ContextFact.objects.filter(inspection=inspection))
    notes = list(Footnote.objects.filter(inspection=inspection))
    renderer = Renderer(sources_for(standards, items, evidence, facts, notes))

    def part(name: str, code: str | None = None) -> tuple[Subsection, ...]:
        rows = [
            s
            for s in subsections
            if s.part == name and (code is None or (s.standard and s.standard.code == code))
        ]
        return _subsections(renderer, rows)

    # In reading order, so footnotes are numbered as they are read.
    acknowledgements = part(ReportPart.ACKNOWLEDGEMENTS)
    foreword = part(ReportPart.FOREWORD)
    background = part(ReportPart.BACKGROUND)
    standard_texts = []
    for result in standards:
        spec = result.standard
        note, sentence = None, ()
        if spec.has_rating_sentence:
            note, _ = renderer.footnote(
                "rating:" + spec.code, rating_basis(len(result.key_questions))
            )
            if spec.code in wordings:
                sentence = renderer.runs(wordings[spec.code])
        standard_texts.append(
            StandardText(
                spec.code,
                part(ReportPart.STANDARD, spec.code),
                rating_note=note,
                rating_sentence=sentence,
            )
        )
    annexe = part(ReportPart.ANNEXE)
    return WrittenReport(
        foreword=foreword,
        signatory=signing.signatory if signing else "",
        signatory_title=signing.signatory_title if signing else "",
        background=background,
        standards=tuple(standard_texts),
        acknowledgements=acknowledgements,
        annexe=annexe,
        footnotes=renderer.notes(),
        isbn=isbn.first() or "",
    )
