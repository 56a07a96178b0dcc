"""The lead inspector's candidate practice examples, per standard, and taking one into the
report's text for its standard."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from cases import practice_examples as service
from cases.forms import PullExampleForm
from cases.models import PracticeExample
from inspection.access import can_lead, can_write_report, inspection_or_404
from reports import practice_examples as pulling


@require_GET
def candidates(request, inspection_id: int):
    inspection = inspection_or_404(request.user, inspection_id, need=can_lead)
    return render(
        request,
        "reports/practice_examples.html",
        {
            "inspection": inspection,
            "standards": service.candidates(inspection),
            "editable": can_write_report(request.user, inspection),
        },
    )


@require_http_methods(["GET", "POST"])
def pull(request, inspection_id: int, example_id: int):
    # Only while the report can still be written: a published inspection's page would be a
    # form that cannot be used.
    inspection = inspection_or_404(request.user, inspection_id, need=can_write_report)
    example = get_object_or_404(
        PracticeExample.objects.select_related("answer__question__standard", "answer__case"),
        pk=example_id,
        answer__case__inspection=inspection,
    )
    form = PullExampleForm(request.POST or None, initial={"text": example.answer.note})
    if request.method == "POST" and form.is_valid():
        try:
            # report_writing locks the inspection and refuses once published.
            pulling.pull_into_report(
                example,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                by=request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("text", message)
        else:
            standard = example.answer.question.standard
            messages.success(request, f"Added to the report under {standard.code} {standard.name}")
            return redirect("reports:practice_examples", inspection.pk)
    return render(
        request,
        "reports/practice_example_pull.html",
        {"inspection": inspection, "example": example, "form": form},
        status=400 if form.errors else 200,
    )
