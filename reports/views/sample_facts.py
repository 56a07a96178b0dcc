"""The lead takes the drawn sample's figures into the report's facts (reports/sample_facts.py)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from cases.models import SampleDraw
from inspection.access import can_write_report, inspection_or_404

from .. import sample_facts


@require_POST
def take_sample_facts(request, inspection_id: int):
    inspection = inspection_or_404(request.user, inspection_id, need=can_write_report)
    if not SampleDraw.objects.filter(inspection=inspection).exists():
        raise Http404("No sample drawn")
    count = sample_facts.take_into_report(inspection, by=request.user)
    messages.success(request, f"{count} facts about the sample are in the report's facts")
    return redirect("cases:sample", inspection.pk)
