"""Calibration across the inspections a lead leads (all, for an admin): each inspector's
agreement with reconciled answers over time, each key question's agreement by inspection."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from inspection.access import calibration_inspections

from ..calibration import calibration


@require_GET
def calibration_page(request):
    inspections = calibration_inspections(request.user)
    if not inspections.exists():
        raise Http404("No inspections to calibrate across")
    inspectors, questions = calibration(inspections)
    return render(
        request,
        "cases/calibration.html",
        {"inspectors": inspectors, "questions": questions},
    )
