"""An inspection's audit trail: every recorded change, newest first, filterable, as CSV too.

In the bottom layer: it reads only AuditEntry, whose entries carry their case reference and the
person's name, so nothing above is needed.
"""

from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ..access import can_see_audit_trail, inspection_or_404
from ..csv_safe import csv_lines
from ..forms import AuditFilterForm
from ..models import AuditEntry

PAGE_SIZE = 50
CSV_HEADER = (
    "when",
    "who",
    "change_to",
    "case",
    "subject",
    "before",
    "after",
    "note_before",
    "note_after",
    "answer_version",
    "reason",
)
CSV_CHUNK = 2000


def _filtered(request, inspection_id: int):
    inspection = inspection_or_404(request.user, inspection_id, need=can_see_audit_trail)
    trail = AuditEntry.objects.filter(inspection=inspection)
    form = AuditFilterForm(request.GET, entries=trail)
    entries = form.filter(trail).order_by("-at", "-id") if form.is_valid() else None
    return inspection, form, entries


@require_GET
def audit_trail(request, inspection_id: int):
    inspection, form, entries = _filtered(request, inspection_id)
    page = None
    if entries is not None:
        # Two queries whatever the trail's length: the count and the page (no joins: entries
        # carry their case reference and the person's name).
        page = Paginator(entries, PAGE_SIZE).get_page(form.cleaned_data["page"])
    return render(
        request,
        "inspection/audit.html",
        {
            "inspection": inspection,
            "form": form,
            "page": page,
            "filtered": form.is_valid()
            and any(form.cleaned_data[name] for name in ("case", "person", "kind")),
            "error_items": form.error_items(),
        },
        status=200 if page is not None else 400,
    )


def _csv_rows(entries):
    kinds = dict(AuditEntry._meta.get_field("kind").choices)
    for entry in entries.values_list(
        "at",
        "user_name",
        "kind",
        "case_ref",
        "subject",
        "old_value",
        "new_value",
        "old_note",
        "new_note",
        "version",
        "reason",
    ).iterator(chunk_size=CSV_CHUNK):
        at, who, kind, *rest, version, reason = entry
        yield (
            timezone.localtime(at).isoformat(),
            who or "System",
            kinds.get(kind, kind),
            *rest,
            version,  # a number, or None: empty
            reason,
        )


# never_cache: case-level detail that must not linger in shared browser caches.
@require_GET
@never_cache
def audit_csv(request, inspection_id: int):
    inspection, form, entries = _filtered(request, inspection_id)
    if entries is None:
        return HttpResponseBadRequest(
            "\n".join(message for _, message in form.error_items()),
            content_type="text/plain; charset=utf-8",
        )
    filename = f"{inspection.slug}-{inspection.fieldwork_start}-audit-trail.csv"
    return StreamingHttpResponse(
        csv_lines(CSV_HEADER, _csv_rows(entries)),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )
