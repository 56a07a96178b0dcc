"""The lead inspector's domain-1 evidence: tallies per source, typed in or imported from CSV."""

from django.contrib import messages
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods

from inspection.access import can_lead, can_write_report, inspection_or_404
from inspection.csv_safe import csv_lines
from inspection.published import ensure_editable
from reports import evidence as service
from reports.evidence_forms import EvidenceCsvForm, EvidenceTallyForm


def _sources(questions) -> dict[str, tuple[str, list]]:
    """{slug: (source, its questions)} in the framework's order."""
    sources: dict[str, tuple[str, list]] = {}
    for question in questions:
        sources.setdefault(slugify(question.source), (question.source, []))[1].append(question)
    return sources


@require_http_methods(["GET", "POST"])
def evidence_overview(request, inspection_id: int):
    inspection = inspection_or_404(request.user, inspection_id, need=can_lead)
    form = EvidenceCsvForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST":
        ensure_editable(inspection)
        if form.is_valid():
            try:
                changed = service.import_tally_csv(
                    inspection,
                    form.cleaned_data["file"].read(service.CSV_MAX_BYTES + 1),
                    by=request.user,
                )
            except service.EvidenceRefused as refused:
                problems = refused.problems
            else:
                messages.success(request, f"Imported the tallies: {changed} changed")
                return redirect("reports:evidence", inspection.pk)
    tallies = service.tallies_by_code(inspection)
    sources = [
        {
            "slug": slug,
            "source": source,
            "rows": [(q, tallies.get(q.code)) for q in questions],
        }
        for slug, (source, questions) in _sources(service.evidence_questions(inspection)).items()
    ]
    return render(
        request,
        "reports/evidence.html",
        {
            "inspection": inspection,
            "sources": sources,
            "form": form,
            "problems": problems,
            "columns": service.CSV_COLUMNS,
            "editable": can_write_report(request.user, inspection),
        },
        status=400 if problems or form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def evidence_source(request, inspection_id: int, source: str):
    # Only while the report can still be written: published tallies are read on the overview.
    inspection = inspection_or_404(request.user, inspection_id, need=can_write_report)
    sources = _sources(service.evidence_questions(inspection))
    if source not in sources:
        # A link from another framework version, say: the overview lists this one's sources.
        messages.info(request, "This inspection's framework has no such source of evidence")
        return redirect("reports:evidence", inspection.pk)
    name, questions = sources[source]
    form = EvidenceTallyForm(
        request.POST or None,
        questions=questions,
        tallies=service.tallies_by_code(inspection),
    )
    if request.method == "POST" and form.is_valid():
        # The service locks the inspection and refuses once published.
        service.record_tallies(inspection, form.tallies, by=request.user)
        messages.success(request, f"Tallies saved: {name}")
        return redirect("reports:evidence", inspection.pk)
    return render(
        request,
        "reports/evidence_source.html",
        {"inspection": inspection, "form": form, "source": name},
        status=400 if form.errors else 200,
    )


@require_GET
def evidence_csv(request, inspection_id: int):
    inspection = inspection_or_404(request.user, inspection_id, need=can_lead)
    filename = f"{inspection.slug}-{inspection.fieldwork_start}-evidence.csv"
    return StreamingHttpResponse(
        csv_lines(service.CSV_COLUMNS, service.csv_rows(inspection)),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )
