"""The inspection's status page: where it is in its lifecycle, and moving it on (or back); and
the page that re-opens a published inspection. Publishing and moving to moderation are
confirmed on pages of their own in the apps that know what they need to show (reports/views/
publish.py, cases/views/moderation.py)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ..access import can_lead, inspection_or_404
from ..choices import InspectionStatus
from ..forms import MoveForm, ReopenForm
from ..lifecycle import TransitionRefused, available_moves, move, moved


@require_http_methods(["GET", "POST"])
def inspection_status(request, inspection_id: int):
    inspection = inspection_or_404(request.user, inspection_id, need=can_lead)
    moves = available_moves(inspection)
    refused = []
    form = MoveForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            refused = [message for messages_ in form.errors.values() for message in messages_]
        else:
            chosen = next((m for m in moves if m.to_status == form.cleaned_data["to_status"]), None)
            if chosen is not None and chosen.confirmed_on_own_page:
                refused = [f"{chosen.label}: use its own page, which asks you to confirm"]
            else:
                try:
                    event = move(
                        inspection,
                        form.cleaned_data["to_status"],
                        request.user,
                        form.cleaned_data["reason"],
                    )
                except TransitionRefused as error:
                    refused = error.reasons
                else:
                    messages.success(
                        request, moved("The inspection", event.from_status, event.to_status)
                    )
                    return redirect("inspection:status", inspection.pk)
    return render(
        request,
        "inspection/status.html",
        {
            "inspection": inspection,
            "moves": moves,
            "refused": refused,
            "events": inspection.events.select_related("by"),
        },
        status=400 if refused else 200,
    )


@require_http_methods(["GET", "POST"])
def reopen(request, inspection_id: int):
    """Re-opening a published inspection: what it does, and the reason, before it is done."""
    inspection = inspection_or_404(request.user, inspection_id, need=can_lead)
    if inspection.status != InspectionStatus.PUBLISHED:
        return redirect("inspection:status", inspection.pk)
    form = ReopenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            event = move(
                inspection, InspectionStatus.MODERATION, request.user, form.cleaned_data["reason"]
            )
        except TransitionRefused as error:
            for reason in error.reasons:
                form.add_error("reason", reason)
        else:
            messages.success(request, moved("The inspection", event.from_status, event.to_status))
            return redirect("inspection:status", inspection.pk)
    return render(
        request,
        "inspection/reopen.html",
        {"inspection": inspection, "form": form},
        status=400 if form.errors else 200,
    )
