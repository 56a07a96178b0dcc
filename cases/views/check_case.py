"""One case read back before it is marked complete (GOV.UK "check answers"), the confirmation
that offers the next case, the lead's correction of a case's attributes, and its print view."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from inspection.access import can_correct_cases, can_edit_cases, can_see_cases

from ..blinding import case_or_404
from ..case_data import answers_by_code, framework_sections
from ..case_review import review_case
from ..choices import FINISHED
from ..forms import CaseAttributesForm
from ..my_work import next_assigned_case
from ..sections import field_id
from ..workflow import change_case_details, mark_complete, problems_for


def _problem_links(case, problems) -> list[tuple[str, str]]:
    """Error-summary links to each problem's question, landing on its form group (legend in
    view)."""
    return [
        (
            reverse("cases:section", args=[case.pk, p.section_code])
            + f"#{field_id(p.question_code)}-group",
            f"{p.message}: {p.text}" if p.text else p.message,
        )
        for p in problems
    ]


@require_http_methods(["GET", "POST"])
def check_case(request, case_id: int):
    need = can_edit_cases if request.method == "POST" else can_see_cases
    case = case_or_404(request.user, case_id, need=need)
    _, sections = framework_sections(case.inspection)
    if request.method == "POST":
        problems, answers = mark_complete(case, sections, by=request.user)
        if not problems:
            return redirect("cases:completed", case.pk)
    else:
        answers = answers_by_code(case)
        problems = problems_for(case, sections, answers)
    editable = can_edit_cases(request.user, case.inspection)
    return render(
        request,
        "cases/check_case.html",
        {
            "case": case,
            "inspection": case.inspection,
            "reviews": review_case(case, sections, answers),
            "problems": problems,
            "error_items": _problem_links(case, problems),
            "missing": [p for p in problems if p.kind == "unanswered"],
            "other_problems": sum(1 for p in problems if p.kind != "unanswered"),
            "submitted": request.method == "POST",
            "editable": editable,
            "can_complete": editable and case.status not in FINISHED,
        },
        status=400 if request.method == "POST" else 200,
    )


def case_completed(request, case_id: int):
    """The confirmation, offering the next case assigned to the person."""
    case = case_or_404(request.user, case_id)
    if case.status not in FINISHED:
        return redirect("cases:check_case", case.pk)  # nothing to confirm
    return render(
        request,
        "cases/case_completed.html",
        {
            "case": case,
            "inspection": case.inspection,
            "next_case": next_assigned_case(case, request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def case_attributes(request, case_id: int):
    """The lead corrects a case's attributes; each change is audited and completion rechecked."""
    case = case_or_404(request.user, case_id, need=can_correct_cases)
    form = CaseAttributesForm(request.POST if request.method == "POST" else None, case=case)
    if form.is_valid():
        changed = change_case_details(case, form.cleaned_data, by=request.user)
        if changed:
            messages.success(request, f"Case {case.ref}: {len(changed)} detail(s) corrected")
        else:
            messages.info(request, f"Case {case.ref}: nothing changed")
        return redirect("cases:detail", case.pk)
    return render(
        request,
        "cases/case_attributes.html",
        {"case": case, "inspection": case.inspection, "form": form},
        status=400 if form.errors else 200,
    )


def case_print(request, case_id: int):
    """Every answer and note of one case, for moderation: no navigation, print styles."""
    case = case_or_404(request.user, case_id)
    _, sections = framework_sections(case.inspection)
    return render(
        request,
        "cases/case_print.html",
        {
            "case": case,
            "inspection": case.inspection,
            "reviews": review_case(case, sections, answers_by_code(case)),
        },
    )
