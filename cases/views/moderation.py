"""Moving an inspection from fieldwork to moderation: the lead sees which cases are unfinished
before confirming (the move itself is inspection.lifecycle.move)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from inspection.access import can_lead, inspection_or_404
from inspection.choices import InspectionStatus
from inspection.lifecycle import TransitionRefused, move, moved

from ..choices import FINISHED


@require_http_methods(["GET", "POST"])
def move_to_moderation(request, inspection_id: int):
    inspection = inspection_or_404(request.user, inspection_id, need=can_lead)
    if inspection.status != InspectionStatus.FIELDWORK:
        return redirect("inspection:status", inspection.pk)
    refused = []
    if request.method == "POST":
        try:
            event = move(inspection, InspectionStatus.MODERATION, request.user)
        except TransitionRefused as error:
            refused = error.reasons
        else:
            messages.success(request, moved("The inspection", event.from_status, event.to_status))
            return redirect("inspection:status", inspection.pk)
    unfinished = (
        inspection.cases.exclude(status__in=FINISHED)
        .select_related("assigned_inspector")
        .order_by("ref")
    )
    return render(
        request,
        "cases/move_to_moderation.html",
        {"inspection": inspection, "unfinished": unfinished, "refused": refused},
        status=400 if refused else 200,
    )
