"""Downloads: the XLSX workbook and answers CSV (case-level data), the PDF report and the report's
figures as CSV (summary figures only)."""

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from cases.blinding import refuse_while_blinded
from inspection.access import can_see_cases, can_view, inspection_or_404

from ..exports import download_filename
from ..exports.answers_csv import csv_lines
from ..exports.figures_csv import figures_csv_lines
from ..exports.pdf import build_pdf
from ..exports.workbook import build_workbook
from ..publication import published_pdf_bytes, report_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(inspection, extension: str) -> dict:
    filename = download_filename(inspection, extension)
    return {"Content-Disposition": content_disposition_header(True, filename)}


# never_cache: these hold official-sensitive data that must not linger in shared browser caches.
@require_GET
@never_cache
def workbook(request, inspection_id: int):
    inspection = inspection_or_404(request.user, inspection_id, need=can_see_cases)
    refuse_while_blinded(request.user, inspection)
    return HttpResponse(
        build_workbook(inspection, report_for(inspection)),
        content_type=XLSX,
        headers=_attachment(inspection, "xlsx"),
    )


@require_GET
@never_cache
def answers_csv(request, inspection_id: int):
    inspection = inspection_or_404(request.user, inspection_id, need=can_see_cases)
    refuse_while_blinded(request.user, inspection)
    return StreamingHttpResponse(
        csv_lines(inspection),
        content_type="text/csv; charset=utf-8",
        headers=_attachment(inspection, "csv"),
    )


@require_GET
@never_cache
def report_pdf(request, inspection_id: int):
    inspection = inspection_or_404(request.user, inspection_id, need=can_view)
    refuse_while_blinded(request.user, inspection)
    # Published: the PDF stored with the record (rendered once); a draft is rendered each time.
    pdf = published_pdf_bytes(inspection)
    return HttpResponse(
        pdf if pdf is not None else build_pdf(inspection, report_for(inspection)),
        content_type="application/pdf",
        headers=_attachment(inspection, "pdf"),
    )


@require_GET
@never_cache
def figures_csv(request, inspection_id: int):
    """The report's figures (no case-level data): for anyone who may read the report."""
    inspection = inspection_or_404(request.user, inspection_id, need=can_view)
    refuse_while_blinded(request.user, inspection)
    return StreamingHttpResponse(
        figures_csv_lines(report_for(inspection)),
        content_type="text/csv; charset=utf-8",
        headers=_attachment(inspection, "figures.csv"),
    )
