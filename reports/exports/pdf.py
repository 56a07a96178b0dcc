"""The printable report as a PDF, laid out with ReportLab (pure Python: no system libraries).

Summary figures only, no case-level data, so anyone who may view the inspection may download it.
It renders the one results model (reports/report_model.py) and computes nothing of its own.
"""

from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from cases.summary import QuestionResult, StandardResult
from inspection.choices import InspectionStatus, Rating

from ..report_model import CaseStandardSection, DomainPart, Report
from .safe_text import printable

MARGIN = 18 * mm
CONTENT_WIDTH = A4[0] - 2 * MARGIN
BLACK = colors.HexColor("#0b0c0c")
GREY = colors.HexColor("#505a5f")
RULE = colors.HexColor("#b1b4b6")
SHADE = colors.HexColor("#f3f2f1")
# GOV.UK tag colours (background, text): the same cue as the web report, legible in greyscale.
RATING_COLOURS = {
    Rating.OUTSTANDING: ("#cce2d8", "#005a30"),
    Rating.GOOD: ("#d4ecea", "#10403c"),
    Rating.REQUIRES_IMPROVEMENT: ("#fff7bf", "#594d00"),
    Rating.INADEQUATE: ("#f4cdc6", "#2a0b06"),
}


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()["Normal"]

    def style(name, **overrides):
        return ParagraphStyle(name, parent=base, **{"textColor": BLACK, **overrides})

    return {
        "body": style("body", fontSize=10, leading=13.5, spaceAfter=5),
        "small": style("small", fontSize=8.5, leading=11, textColor=GREY),
        "caption": style("caption", fontSize=11, leading=14, textColor=GREY, spaceAfter=4),
        "title": style("title", fontName="Helvetica-Bold", fontSize=24, leading=29, spaceAfter=6),
        "h1": style("h1", fontName="Helvetica-Bold", fontSize=17, leading=21, spaceAfter=8),
        "h2": style(
            "h2",
            fontName="Helvetica-Bold",
            fontSize=13,
            leading=16,
            spaceBefore=10,
            spaceAfter=5,
            keepWithNext=1,
        ),
        "h3": style(
            "h3",
            fontName="Helvetica-Bold",
            fontSize=10.5,
            leading=13,
            spaceBefore=6,
            spaceAfter=3,
            keepWithNext=1,
        ),
        "item": style("item", fontSize=10, leading=13.5, spaceAfter=4, leftIndent=14),
        "cell": style("cell", fontSize=9, leading=11.5),
        "cell_bold": style("cell_bold", fontName="Helvetica-Bold", fontSize=9, leading=11.5),
        "cell_prompt": style("cell_prompt", fontSize=8.5, leading=10.5, textColor=GREY),
        "cell_number": style("cell_number", fontSize=9, leading=11.5, alignment=TA_RIGHT),
        "cell_number_head": style(
            "cell_number_head",
            fontName="Helvetica-Bold",
            fontSize=9,
            leading=11.5,
            alignment=TA_RIGHT,
        ),
        "headline": style(
            "headline",
            fontName="Helvetica-Oblique",
            fontSize=9.5,
            leading=12.5,
            spaceAfter=4,
            keepWithNext=1,
        ),
    }


def build_pdf(report: Report) -> bytes:
    return _Report(report).render()


class _Report:
    def __init__(self, report: Report):
        self.summary = report
        self.facts = report.facts
        self.styles = _styles()
        self.place = printable(self.facts.place)  # also in the footer and metadata
        start = self.facts.fieldwork_start
        self.fieldwork = f"{start.day} {start:%B %Y}"
        self.generated = timezone.localtime()

    def render(self) -> bytes:
        buffer = BytesIO()
        document = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN + 4 * mm,
            title=f"An inspection of probation services in {self.place}",
            author="HM Inspectorate of Probation",
            subject=f"Ratings and findings, fieldwork from {self.fieldwork}",
            creator="Case inspection",
            lang="en-GB",
        )
        domains = [
            part for domain in self.summary.domains for part in (*self.domain(domain), PageBreak())
        ]
        story = [
            *self.cover(),
            *self.ratings(),
            PageBreak(),
            *domains,
            *self.item_groups(),
            *self.recommendations_section(),
            PageBreak(),
            *self.breakdowns(),
        ]
        document.build(story, canvasmaker=self.canvas_class())
        return buffer.getvalue()

    # Paragraph takes a small markup language: every piece of stored text is escaped first, and
    # characters the fonts cannot draw are shown as escapes (safe_text.printable).
    def para(self, text: str, style: str = "body") -> Paragraph:
        return Paragraph(escape(printable(text)), self.styles[style])

    def rating_label(self, rating: str | None, *, rated: bool = True) -> str:
        if not rated:
            return "Not rated"
        return Rating(rating).label if rating else "Not yet rated"

    def cover(self) -> list:
        facts = self.facts
        lines = [
            self.para("HM Inspectorate of Probation", "caption"),
            self.para(f"An inspection of probation services in {self.place}", "title"),
            self.para(
                f"{'' if facts.of_region else facts.region + ' region. '}"
                f"Fieldwork from {self.fieldwork}."
                f"{' Programme ' + facts.programme + '.' if facts.programme else ''}",
                "caption",
            ),
        ]
        if facts.status != InspectionStatus.PUBLISHED:
            status = InspectionStatus(facts.status).label
            lines.append(
                self.para(f"Draft: the inspection is at {status.lower()}, not yet published.")
            )
        return [*lines, Spacer(1, 6 * mm)]

    def headline(self) -> list:
        """Overall rating and score, where the framework has them (nothing without a score)."""
        summary = self.summary
        score = "not yet available" if summary.score is None else str(summary.score)
        cells = []
        if summary.shows_overall_rating:
            cells.append(
                ("Overall rating", self.rating_label(summary.overall_rating), CONTENT_WIDTH * 0.6)
            )
        if summary.has_score:
            cells.append(("Score", f"{score} out of {summary.max_score}", CONTENT_WIDTH * 0.4))
        if not cells:
            return []
        width = sum(cell[2] for cell in cells)
        headline = Table(
            [
                [self.para(title, "h3") for title, _, _ in cells],
                [self.para(value, "h1") for _, value, _ in cells],
            ],
            colWidths=[w * CONTENT_WIDTH / width for _, _, w in cells],
            style=TableStyle(
                [
                    ("BOX", (0, 0), (-1, -1), 1, BLACK),
                    ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                    ("LEFTPADDING", (0, 0), (-1, -1), 8),
                    ("TOPPADDING", (0, 0), (-1, -1), 5),
                ]
            ),
        )
        return [headline, Spacer(1, 5 * mm)]

    def ratings(self) -> list:
        summary = self.summary
        rows = [
            [
                *(self.para(h, "cell_bold") for h in ("Code", "Standard", "Rating")),
                self.para("Points", "cell_number_head"),
            ]
        ]
        style = self.table_style()
        domain = None
        for result in summary.standards:
            spec = result.standard
            if spec.domain_code != domain:
                domain = spec.domain_code
                rows.append([self.para(f"Domain {domain}: {spec.domain_name}", "cell_bold")])
                style.add("SPAN", (0, len(rows) - 1), (-1, len(rows) - 1))
                style.add("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), SHADE)
            rows.append(
                [
                    self.para(spec.code, "cell"),
                    self.para(spec.name, "cell"),
                    self.para(self.standard_label(result), "cell_bold"),
                    self.para(self.points(result), "cell_number"),
                ]
            )
            self.colour_rating(style, (2, len(rows) - 1), result.rating)
        table = Table(
            rows,
            colWidths=[18 * mm, CONTENT_WIDTH - 18 * mm - 48 * mm - 16 * mm, 48 * mm, 16 * mm],
            repeatRows=1,
            style=style,
        )
        breaches = [self.para(f"Limiting rule broken: {breach}") for breach in summary.breaches]
        notes = []
        if summary.has_score:
            points = ", ".join(
                f"{band.points} for {Rating(band.rating).label}" for band in summary.bands
            )
            notes.append(f"Each scored standard scores {points}, out of {summary.max_score}.")
            unscored = [s.name for s in summary.rated_unscored]
            if unscored:
                notes.append(f"Rated but not scored: {', '.join(unscored)}.")
        unrated = [s.name for s in summary.unrated_case_standards]
        if unrated:
            notes.append(f"Reported for information and never rated: {', '.join(unrated)}.")
        return [
            self.para("Ratings" if summary.any_rated else "Standards", "h1"),
            *self.headline(),
            table,
            Spacer(1, 3 * mm),
            *breaches,
            *([self.para(" ".join(notes), "small")] if notes else []),
        ]

    def standard_label(self, result: StandardResult) -> str:
        spec = result.standard
        if spec.judged and not spec.rated:
            return "Judgement in words"
        label = self.rating_label(result.rating, rated=spec.rated)
        if spec.rated and not spec.scored and self.summary.has_score:
            return f"{label} (not scored)"
        return label

    def domain(self, domain: DomainPart) -> list:
        story = [self.para(f"Domain {domain.code}: {domain.name}", "h1")]
        for section in domain.organisation:
            result = self.summary.standard(section.standard.code)
            story += self.standard_heading(result)
            story += [self.para(limit, "small") for limit in section.limits]
            if not section.standard.rated:
                story.append(self.para("Our judgement", "h3"))
                paragraphs = [p for p in section.judgement.split("\n") if p.strip()]
                story += [self.para(p) for p in paragraphs] or [self.para("None written yet.")]
            for title, items in (
                ("Strengths", section.strengths),
                ("Areas for improvement", section.areas_for_improvement),
            ):
                story.append(self.para(title, "h3"))
                story += [self.item(text) for text in items] or [self.para("None recorded.")]
        for section in domain.case_standards:
            story.append(
                KeepTogether([*self.standard_heading(section.result), self.question_table(section)])
            )
            if section.rating_sentence:
                story.append(self.para(section.rating_sentence, "small"))
        return story

    def item_groups(self) -> list:
        story = []
        for group in self.summary.item_groups:
            story.append(self.para(group.title, "h2"))
            story.append(self.count_table(list(group.figures), heading="Item"))
        story += self.pooling()
        return [*story, PageBreak()] if story else []

    def pooling(self) -> list:
        """A region report: the PDU inspections its pooled standards sum, and those left out."""
        report = self.summary
        if not report.pooled_inspections and not report.not_pooled:
            return []
        story = [self.para("PDU inspections pooled", "h2")]
        story.append(
            self.para(
                "Pooled standards are rated from the sums of the counts in the published "
                "results of these PDU inspections (each PDU's latest in the programme), "
                "not from an average of their percentages."
            )
        )
        rows = [[self.para(h, "cell_bold") for h in ("PDU", "Fieldwork from", "Inspection")]]
        rows += [
            [
                self.para(f"{p.pdu} PDU", "cell"),
                self.para(f"{p.fieldwork_start:%d %B %Y}", "cell"),
                self.para(str(p.inspection_id), "cell"),
            ]
            for p in report.pooled_inspections
        ]
        if report.pooled_inspections:
            story.append(Table(rows, repeatRows=1, style=self.table_style()))
        else:
            story.append(self.para("None: no published PDU inspection to pool."))
        if report.not_pooled:
            story.append(self.para("Not pooled", "h2"))
            rows = [[self.para(h, "cell_bold") for h in ("PDU", "Fieldwork from", "Reason")]]
            rows += [
                [
                    self.para(f"{n.pdu} PDU", "cell"),
                    self.para(f"{n.fieldwork_start:%d %B %Y}", "cell"),
                    self.para(n.reason, "cell"),
                ]
                for n in report.not_pooled
            ]
            story.append(
                Table(
                    rows,
                    colWidths=[45 * mm, 35 * mm, CONTENT_WIDTH - 80 * mm],
                    repeatRows=1,
                    style=self.table_style(),
                )
            )
        return story

    def recommendations_section(self) -> list:
        story = [self.para("Recommendations", "h1")]
        if not self.summary.recommendations:
            return [*story, self.para("None recorded.")]
        for group in self.summary.recommendations:
            story.append(self.para(group.heading, "h2"))
            story += [self.item(r.text, f"{r.number}.") for r in group.items]
        return story

    def breakdowns(self) -> list:
        """Key questions by case characteristics, hidden cells hidden as on the page."""
        story = [self.para("Key questions by case characteristics", "h1")]
        for breakdown in self.summary.breakdowns:
            if not breakdown.rows or not breakdown.group_labels:
                continue
            data = [
                [
                    self.para("Key question", "cell_bold"),
                    *(self.para(label, "cell_number_head") for label in breakdown.group_labels),
                ]
            ]
            for row in breakdown.rows:
                data.append(
                    [self.para(row.question.code, "cell")]
                    + [self.para(self.cell_text(cell), "cell_number") for cell in row.cells]
                )
            first = 30 * mm
            width = (CONTENT_WIDTH - first) / len(breakdown.group_labels)
            story += [
                self.para(f"By {breakdown.attribute.name}", "h2"),
                Table(
                    data,
                    colWidths=[first, *[width] * len(breakdown.group_labels)],
                    repeatRows=1,
                    style=self.table_style(),
                ),
            ]
        return story

    @staticmethod
    def cell_text(cell) -> str:
        if cell.suppressed:
            return cell.hidden_label
        return f"{cell.count.percent}% ({cell.count.yes} of {cell.count.relevant})"

    def points(self, result: StandardResult) -> str:
        spec = result.standard
        if not spec.rated or not spec.scored or result.rating is None:
            return "-"
        return str(self.summary.points(result.rating))

    def standard_heading(self, result: StandardResult) -> list:
        spec = result.standard
        heading = [
            self.para(
                f"{spec.code} {spec.name}: {self.standard_label(result)}",
                "h2",
            )
        ]
        if spec.headline:
            heading.append(self.para(spec.headline, "headline"))
        return heading

    def question_table(self, section: CaseStandardSection) -> Table:
        rows = []
        for row in section.rows:
            rows.append(("cell_bold", row.figure))
            rows += [("cell_prompt", prompt) for prompt in row.prompts]
        return self.count_table_rows(rows, heading="Key question and prompts")

    def count_table(self, items: list[QuestionResult], *, heading: str) -> Table:
        return self.count_table_rows([("cell", i) for i in items], heading=heading)

    def count_table_rows(self, rows: list[tuple[str, QuestionResult]], *, heading: str) -> Table:
        numbers = ("Yes", "Relevant", "%")
        data = [
            [
                self.para("Code", "cell_bold"),
                self.para(heading, "cell_bold"),
                *(self.para(n, "cell_number_head") for n in numbers),
            ]
        ]
        style = self.table_style()
        for style_name, result in rows:
            data.append(
                [
                    self.para(result.code, style_name),
                    self.para(result.question.text, style_name),
                    self.para(str(result.count.yes), "cell_number"),
                    self.para(str(result.count.relevant), "cell_number"),
                    self.para(self.percent(result), "cell_number"),
                ]
            )
            if style_name == "cell_bold":
                style.add("BACKGROUND", (0, len(data) - 1), (-1, len(data) - 1), SHADE)
        number_width = 18 * mm
        return Table(
            data,
            colWidths=[
                18 * mm,
                CONTENT_WIDTH - 18 * mm - 3 * number_width,
                *[number_width] * 3,
            ],
            repeatRows=1,
            style=style,
        )

    @staticmethod
    def percent(result: QuestionResult) -> str:
        return "-" if result.percent is None else f"{result.percent}%"

    def item(self, text: str, bullet: str = "\u2022") -> Paragraph:
        """One list item per paragraph, so a heading is kept with the first item only."""
        return Paragraph(escape(printable(text)), self.styles["item"], bulletText=bullet)

    @staticmethod
    def table_style() -> TableStyle:
        return TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
                ("LINEBELOW", (0, 0), (-1, 0), 1.2, BLACK),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )

    @staticmethod
    def colour_rating(style: TableStyle, cell: tuple[int, int], rating: str | None) -> None:
        if rating in RATING_COLOURS:
            style.add("BACKGROUND", cell, cell, colors.HexColor(RATING_COLOURS[rating][0]))

    def canvas_class(self):
        footer = (
            f"{self.place}, fieldwork from {self.facts.fieldwork_start:%d/%m/%Y}. "
            f"Generated {self.generated:%d/%m/%Y %H:%M}."
        )

        class FooterCanvas(Canvas):
            """Defers each page until the end so the footer can say 'page N of M'."""

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self._pages = []

            def showPage(self):  # noqa: N802 - ReportLab's name
                self._pages.append(dict(self.__dict__))
                self._startPage()

            def save(self):
                for number, page in enumerate(self._pages, start=1):
                    self.__dict__.update(page)
                    self.setFont("Helvetica", 8)
                    self.setFillColor(GREY)
                    self.drawString(MARGIN, MARGIN - 2 * mm, footer)
                    self.drawRightString(
                        A4[0] - MARGIN, MARGIN - 2 * mm, f"Page {number} of {len(self._pages)}"
                    )
                    super().showPage()
                super().save()

        return FooterCanvas
