"""The inspection's status page: where it is in its lifecycle, and moving it on (or back)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ..access import can_lead, inspection_or_404
from ..forms import MoveForm
from ..lifecycle import TransitionRefused, available_moves, move, publish_blockers


@require_http_methods(["GET", "POST"])
def inspection_status(request, inspection_id: int):
    inspection = inspection_or_404(request.user, inspection_id, need=can_lead)
    refused = []
    form = MoveForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            refused = [message for messages_ in form.errors.values() for message in messages_]
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
                    request, f"The inspection is now in {event.get_to_status_display().lower()}"
                )
                return redirect("inspection:status", inspection.pk)
    return render(
        request,
        "inspection/status.html",
        {
            "inspection": inspection,
            "moves": available_moves(inspection),
            "refused": refused,
            "reason": form["reason"].value() or "",
            "blockers": publish_blockers(inspection) if inspection.status == "moderation" else [],
            "events": inspection.events.select_related("by"),
        },
        status=400 if refused else 200,
    )
