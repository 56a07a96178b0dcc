"""The pre-publish check of the numbers typed by hand in the written report (the lead's)."""

from django.shortcuts import render

from inspection.access import can_lead, inspection_or_404

from ..citations import written_report_problems
from ..number_check import unmatched_numbers
from ..publication import report_for


def number_check(request, inspection_id: int):
    inspection = inspection_or_404(request.user, inspection_id, need=can_lead)
    return render(
        request,
        "reports/number_check.html",
        {
            "inspection": inspection,
            "unmatched": unmatched_numbers(inspection, report_for(inspection)),
            "citation_problems": written_report_problems(inspection),
        },
    )
