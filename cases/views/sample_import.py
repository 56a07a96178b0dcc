"""The lead inspector uploads the inspection's case sample as CSV."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from inspection.access import can_lead, inspection_or_404

from ..forms import SampleUploadForm
from ..sample_import import OPTIONAL_COLUMNS, REQUIRED_COLUMNS


@require_http_methods(["GET", "POST"])
def import_cases(request, inspection_id: int):
    inspection = inspection_or_404(request.user, inspection_id, need=can_lead)
    form = SampleUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        cases = form.import_into(inspection, request.user)
        if cases is not None:
            messages.success(request, f"Added {len(cases)} cases to the sample")
            return redirect("cases:list", inspection.pk)
    problems = form.problems
    return render(
        request,
        "cases/sample_import.html",
        {
            "inspection": inspection,
            "form": form,
            "problems": problems,
            "required_columns": REQUIRED_COLUMNS,
            "optional_columns": OPTIONAL_COLUMNS,
        },
        status=400 if problems or form.errors else 200,
    )
