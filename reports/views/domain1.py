"""The lead inspector's ratings of the four organisational standards (domain 1)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from cases.summary import summarise
from inspection.access import can_lead, inspection_or_404
from inspection.forms import Domain1Form
from inspection.models import Domain1Judgement
from inspection.published import ensure_editable

from ..domain1 import Domain1Refused, save_judgements


def domain1_overview(request, inspection_id: int):
    inspection = inspection_or_404(request.user, inspection_id, need=can_lead)
    summary = summarise(inspection)
    judgements = {j.standard_id: j for j in Domain1Judgement.objects.filter(inspection=inspection)}
    rows = [
        {"standard": s.standard, "rating": s.rating, "judgement": judgements.get(s.standard.id)}
        for s in summary.standards
        if s.standard.judged
    ]
    return render(
        request,
        "reports/domain1_overview.html",
        {"inspection": inspection, "rows": rows, "summary": summary},
    )


def domain1_edit(request, inspection_id: int, code: str):
    inspection = inspection_or_404(request.user, inspection_id, need=can_lead)
    summary = summarise(inspection)
    standard = next((s.standard for s in summary.standards if s.code == code), None)
    if standard is None or not standard.judged:
        raise Http404("No such domain-1 standard")
    judgement = Domain1Judgement.objects.filter(
        inspection=inspection, standard_id=standard.id
    ).first()
    initial = {}
    if judgement:
        initial = {
            "rating": judgement.rating,
            "strengths": "\n".join(judgement.strengths),
            "areas_for_improvement": "\n".join(judgement.areas_for_improvement),
        }
    form = Domain1Form(request.POST or None, initial=initial, standard_name=standard.name)
    if request.method == "POST":
        ensure_editable(inspection)
        if form.is_valid():
            try:
                save_judgements(inspection, {code: form.cleaned_data}, request.user)
            except Domain1Refused as refused:
                form.add_error("rating", refused.problems[0])
            else:
                messages.success(request, f"{standard.code} {standard.name} saved")
                return redirect("reports:domain1", inspection.pk)
    return render(
        request,
        "reports/domain1_edit.html",
        {"inspection": inspection, "standard": standard, "form": form},
        status=400 if form.errors else 200,
    )
