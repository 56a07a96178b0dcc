"""The printable report as a PDF, from the same templates as the report page (WeasyPrint).

The page's body (templates/reports/_report_body.html) inside a document of its own
(templates/reports/pdf.html) with print CSS (static/css/pdf.css: A4, page numbers, a contents
list with page numbers, bookmarks from the headings), written as tagged PDF/UA-1 with its
language and title, so a screen reader can read it. Summary figures only: no case-level detail
(no links to cases, no case references), so anyone who may view the inspection may download it.
It renders the one results model (reports/report_model.py) and computes nothing of its own.
"""

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import CSS, HTML

from inspection.models import Inspection

from ..breakdowns import MIN_RELEVANT_CASES
from ..report_model import Report
from .safe_text import printable

STYLESHEET = "css/pdf.css"


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
            "min_relevant_cases": MIN_RELEVANT_CASES,
            "generated": timezone.localtime(),
        },
    )
    # A control character (or U+FFFE, U+FFFF) in stored text shows as an escape (\x01).
    return printable(html)


def build_pdf(inspection: Inspection, report: Report) -> bytes:
    stylesheet = CSS(filename=finders.find(STYLESHEET))
    document = HTML(string=pdf_html(inspection, report), base_url=None)
    return document.write_pdf(stylesheets=[stylesheet], pdf_variant="pdf/ua-1")
