"""The lead's publish page: everything that stops publishing, under its check's heading with a
link to where it is put right; with nothing left, what publishing does, a summary of what will
be published and a confirmation. Publishing itself is reports.publishing.publish, which checks
again under its locks: a blocker that appears after the page was read refuses it, named."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from inspection.access import can_lead, inspection_or_404
from inspection.choices import InspectionStatus
from inspection.forms import PublishForm
from inspection.lifecycle import TransitionRefused, moved
from inspection.publish_checklist import link_of

from ..publication import report_for
from ..publishing import checklist, publish
from ..required_parts import required_parts


@require_http_methods(["GET", "POST"])
def publish_page(request, inspection_id: int):
    inspection = inspection_or_404(request.user, inspection_id, need=can_lead)
    if inspection.status != InspectionStatus.MODERATION:
        return redirect("inspection:status", inspection.pk)
    form = PublishForm(request.POST if request.method == "POST" else None)
    refused = []
    if request.method == "POST" and form.is_valid():
        try:
            event = publish(inspection, request.user)
        except TransitionRefused as error:
            refused = [(link_of(reason) or "#blockers", str(reason)) for reason in error.reasons]
        else:
            messages.success(request, moved("The inspection", event.from_status, event.to_status))
            return redirect("inspection:status", inspection.pk)
    groups = checklist(inspection)
    return render(
        request,
        "reports/publish.html",
        {
            "inspection": inspection,
            "groups": groups,
            "refused": refused,
            "form": form,
            "report": None if groups else report_for(inspection),
            "parts": None if groups else required_parts(inspection),
        },
        status=400 if refused or form.errors else 200,
    )
