"""The lead inspector's recommendations: addressee, text and order."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from inspection.access import can_lead, can_write_report, inspection_or_404
from inspection.forms import RecommendationForm
from inspection.models import Recommendation
from inspection.published import ensure_editable
from reports import recommendations as service

from ..report_model import numbered


def recommendation_list(request, inspection_id: int):
    inspection = inspection_or_404(request.user, inspection_id, need=can_lead)
    recommendations = numbered(inspection.recommendations.all())
    next_order = (inspection.recommendations.count() or 0) + 1
    form = RecommendationForm(
        request.POST or None,
        initial={"order": next_order},
        instance=Recommendation(inspection=inspection),
    )
    if request.method == "POST":
        ensure_editable(inspection)
        if form.is_valid():
            service.add(inspection, by=request.user, **form.cleaned_data)
            messages.success(request, "Recommendation added")
            return redirect("reports:recommendations", inspection.pk)
    return render(
        request,
        "reports/recommendations.html",
        {
            "inspection": inspection,
            "recommendations": recommendations,
            "form": form,
            "editable": can_write_report(request.user, inspection),
        },
        status=400 if form.errors else 200,
    )


def recommendation_edit(request, inspection_id: int, pk: int):
    inspection = inspection_or_404(request.user, inspection_id, need=can_lead)
    recommendation = get_object_or_404(Recommendation, pk=pk, inspection=inspection)
    form = RecommendationForm(request.POST or None, instance=recommendation)
    if request.method == "POST":
        ensure_editable(inspection)
        if form.is_valid():
            service.change(recommendation, by=request.user, **form.cleaned_data)
            messages.success(request, "Recommendation saved")
            return redirect("reports:recommendations", inspection.pk)
    return render(
        request,
        "reports/recommendation_edit.html",
        {"inspection": inspection, "form": form, "recommendation": recommendation},
        status=400 if form.errors else 200,
    )


@require_POST
def recommendation_delete(request, inspection_id: int, pk: int):
    inspection = inspection_or_404(request.user, inspection_id, need=can_lead)
    ensure_editable(inspection)
    try:
        service.remove(
            get_object_or_404(Recommendation, pk=pk, inspection=inspection), request.user
        )
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, "Recommendation removed")
    return redirect("reports:recommendations", inspection.pk)
