"""The printable report as a PDF, from the same templates as the report page (WeasyPrint).

The page's body (templates/reports/_report_body.html) inside a document of its own
(templates/reports/pdf.html) with print CSS (static/css/pdf.css: A4, page numbers, a contents
list with page numbers, bookmarks from the headings, footnotes at the foot of the page citing
them, tables kept whole where they fit and their caption carried onto the next page where not;
static/css/pdf-draft.css marks every page of a draft), written as tagged PDF/UA-1 with its
language and title, so a screen reader can read it. Summary figures only: no case-level detail
(no links to cases, no case references), so anyone who may view the inspection may download it.
It renders the one results model (reports/report_model.py) and computes nothing of its own.
"""

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import CSS, HTML
from weasyprint.formatting_structure.boxes import TableCellBox

from inspection.choices import InspectionStatus
from inspection.models import Inspection

from ..breakdowns import MIN_RELEVANT_CASES
from ..front_matter import front_matter
from ..report_model import Report
from .safe_text import printable

PDF_VARIANT = "pdf/ua-1"
STYLESHEET = "css/pdf.css"
DRAFT_STYLESHEET = "css/pdf-draft.css"
# A header cell's HTML scope as the PDF's /Scope attribute (PDF/UA: how headers and cells pair).
SCOPES = {"col": "/Column", "row": "/Row", "colgroup": "/Column", "rowgroup": "/Row"}


def made_at():
    """When a PDF is made, as its first page says (to the minute)."""
    return timezone.localtime()


def pdf_html(inspection: Inspection, report: Report) -> str:
    """The PDF's HTML: the report page's body, without anything that leads to cases."""
    html = render_to_string(
        "reports/pdf.html",
        {
            "inspection": inspection,
            "report": report,
            "summary": report,
            "facts": report.facts,
            "can_see_cases": False,
            "for_pdf": True,
            # Footnotes are printed where they are first cited (report_tags.runs).
            "pdf_notes": report.text.footnotes,
            "min_relevant_cases": MIN_RELEVANT_CASES,
            "generated": made_at(),
            **front_matter(inspection),
        },
    )
    # A control character (or U+FFFE, U+FFFF) in stored text shows as an escape (\x01).
    return printable(html)


def stylesheet_names(report: Report) -> tuple[str, ...]:
    if report.facts.status != InspectionStatus.PUBLISHED:
        return (STYLESHEET, DRAFT_STYLESHEET)
    return (STYLESHEET,)


def lay_out(html: str, stylesheets: tuple[str, ...]):
    """The laid-out document (WeasyPrint's): its pages and boxes, before it is written."""
    return HTML(string=html, base_url=None).render(
        stylesheets=[CSS(filename=finders.find(name)) for name in stylesheets],
        pdf_variant=PDF_VARIANT,
    )


def render_document(inspection: Inspection, report: Report):
    return lay_out(pdf_html(inspection, report), stylesheet_names(report))


def header_scopes(document, pdf) -> None:
    """Give each header cell's tag its /Scope, from the cell's HTML scope attribute.

    WeasyPrint tags a table's header cells /TH and pairs each data cell with its headers
    (/Headers), but writes no /Scope; PDF/UA checkers look for it on the header cells. Each
    cell's tag is its box's `mark` once the tags are written, so this runs as the PDF's finisher.
    """
    for page in document.pages:
        for box in page._page_box.descendants():
            if isinstance(box, TableCellBox) and box.element_tag == "th":
                scope = SCOPES.get(box.element.get("scope", ""))
                tag = getattr(box, "mark", None)
                if scope and tag is not None:
                    tag["A"]["Scope"] = scope


def pdf_from_html(html: str, stylesheets: tuple[str, ...]) -> bytes:
    """The PDF of the HTML with these stylesheets: all WeasyPrint's work, a function of its
    inputs (the HTML says when it was made, to the minute)."""
    return lay_out(html, stylesheets).write_pdf(pdf_variant=PDF_VARIANT, finisher=header_scopes)


def build_pdf(inspection: Inspection, report: Report) -> bytes:
    return pdf_from_html(pdf_html(inspection, report), stylesheet_names(report))
