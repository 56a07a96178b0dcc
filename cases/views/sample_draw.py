"""The lead draws the inspection's sample from a caseload extract, sees how representative it
is, and replaces a case not yet started from its stratum's reserve (cases/sample_draw.py)."""

import hashlib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from inspection.access import can_correct_cases, can_lead, inspection_or_404

from .. import sampling
from ..blinding import case_or_404
from ..caseload import ExtractRefused, guide, read_extract, template_csv
from ..forms import DrawSampleForm, ReplaceCaseForm, SampleSizeForm
from ..models import SampleDraw
from ..sample_draw import draw_sample, replace, representativeness


@require_http_methods(["GET", "POST"])
def sample(request, inspection_id: int):
    inspection = inspection_or_404(request.user, inspection_id, need=can_lead)
    draw = SampleDraw.objects.filter(inspection=inspection).first()
    if draw is not None:
        return _drawn(request, inspection, draw)
    form = DrawSampleForm(request.POST or None, request.FILES or None)
    calculator = SampleSizeForm(request.GET if "caseload" in request.GET else None)
    suggested = None
    if calculator.is_valid():
        data = calculator.cleaned_data
        suggested = sampling.sample_size(
            data["caseload"], confidence=data["confidence"], margin=data["margin"] / 100
        )
    problems = []
    if request.method == "POST":
        if not can_correct_cases(request.user, inspection):
            raise Http404("No such inspection")
        if form.is_valid():
            upload = form.cleaned_data["extract"]
            digest = hashlib.sha256()
            for chunk in upload.chunks():
                digest.update(chunk)
            try:
                extract = read_extract(upload.open("rb"), upload.name)
                seed = form.cleaned_data["seed"]
                draw = draw_sample(
                    inspection,
                    extract,
                    size=form.cleaned_data["size"],
                    seed=seed if seed is not None else sampling.new_seed(),
                    data_sha256=digest.hexdigest(),
                    by=request.user,
                    exclude=form.cleaned_data["exclude"],
                )
            except ExtractRefused as refused:
                problems = refused.problems
            except ValidationError as refused:
                for message in refused.messages:
                    form.add_error("exclude" if "left out" in message else "size", message)
            else:
                messages.success(request, f"Drew {draw.size} cases with seed {draw.seed}")
                return redirect("cases:sample", inspection.pk)
    return render(
        request,
        "cases/sample_draw.html",
        {
            "inspection": inspection,
            "form": form,
            "problems": problems,
            "guide": guide(),
            "editable": can_correct_cases(request.user, inspection),
            "has_cases": inspection.cases.exists(),
            "calculator": calculator,
            "suggested": suggested,
            "sizes": [
                (n, sampling.sample_size(n)) for n in (50, 100, 250, 500, 1000, 5000, 50_000)
            ],
        },
        status=400 if problems or form.errors or calculator.errors else 200,
    )


def _drawn(request, inspection, draw):
    if request.method == "POST":
        return redirect("cases:sample", inspection.pk)
    rows = list(draw.drawn.select_related("case__assigned_inspector").order_by("stratum", "rank"))
    return render(
        request,
        "cases/sample_drawn.html",
        {
            "inspection": inspection,
            "draw": draw,
            "rows": rows,
            "fits": representativeness(draw),
            "editable": can_correct_cases(request.user, inspection),
            "gap": sampling.REPRESENTATIVE_GAP,
        },
    )


def extract_template(request, inspection_id: int):
    inspection_or_404(request.user, inspection_id, need=can_lead)
    response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="caseload-extract-template.csv"'
    return response


@require_http_methods(["GET", "POST"])
def replace_case(request, case_id: int):
    case = case_or_404(request.user, case_id, need=can_correct_cases)
    form = ReplaceCaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = replace(case, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as refused:
            for message in refused.messages:
                form.add_error(None, message)
        else:
            messages.success(request, f"Case {case.ref} replaced by {new.ref} from the reserve")
            return redirect("cases:sample", case.inspection_id)
    return render(
        request,
        "cases/replace_case.html",
        {"inspection": case.inspection, "case": case, "form": form},
        status=400 if form.errors else 200,
    )
