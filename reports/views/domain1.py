"""The lead inspector's judgements of the standards rated by judgement (the framework says which:
domain 1 of the PDU frameworks), each a rating or, for a standard not rated, words."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from cases.summary import summarise
from inspection.access import can_lead, inspection_or_404
from inspection.forms import Domain1Form
from inspection.models import Domain1Judgement
from inspection.published import ensure_editable
from reports.report_writing import domain1_lists

from ..domain1 import Domain1Refused, save_judgements


def domain1_overview(request, inspection_id: int):
    inspection = inspection_or_404(request.user, inspection_id, need=can_lead)
    summary = summarise(inspection)
    judgements = {j.standard_id: j for j in Domain1Judgement.objects.filter(inspection=inspection)}
    # The text (strengths, areas for improvement) is written on the report-writing pages.
    lists = domain1_lists(inspection.pk)
    rows = [
        {
            "standard": s.standard,
            "rating": s.rating,
            "judgement": judgements.get(s.standard.id),
            "lists": lists.get(s.code, {"strengths": (), "areas_for_improvement": ()}),
        }
        for s in summary.standards
        if s.standard.judged
    ]
    return render(
        request,
        "reports/domain1_overview.html",
        {
            "inspection": inspection,
            "rows": rows,
            "summary": summary,
            "domains": judged_domains(summary),
            "any_rated": any(row["standard"].rated for row in rows),
        },
    )


def judged_domains(summary) -> list[str]:
    """The names of the domains rated by judgement, in order ("" entries never)."""
    names = []
    for result in summary.standards:
        spec = result.standard
        if spec.judged and spec.domain_name not in names:
            names.append(spec.domain_name)
    return names


def domain1_edit(request, inspection_id: int, code: str):
    inspection = inspection_or_404(request.user, inspection_id, need=can_lead)
    summary = summarise(inspection)
    standard = next((s.standard for s in summary.standards if s.code == code), None)
    if standard is None or not standard.judged:
        raise Http404("No such standard rated by judgement")
    judgement = Domain1Judgement.objects.filter(
        inspection=inspection, standard_id=standard.id
    ).first()
    initial = {}
    if judgement:
        initial = {
            "rating": judgement.rating,
            "judgement": judgement.judgement,
        }
    form = Domain1Form(
        request.POST or None, initial=initial, standard_name=standard.name, rated=standard.rated
    )
    if request.method == "POST":
        ensure_editable(inspection)
        if form.is_valid():
            try:
                save_judgements(inspection, {code: form.judgement}, request.user)
            except Domain1Refused as refused:
                form.add_error("rating" if standard.rated else "judgement", refused.problems[0])
            else:
                messages.success(request, f"{standard.code} {standard.name} saved")
                return redirect("reports:domain1", inspection.pk)
    return render(
        request,
        "reports/domain1_edit.html",
        {"inspection": inspection, "standard": standard, "form": form},
        status=400 if form.errors else 200,
    )
