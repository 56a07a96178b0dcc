"""A case's overview: its attributes, its sections as a task list, and marking it complete."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from inspection.access import can_correct_cases, can_edit_cases, can_lead
from inspection.published import ensure_editable

from ..blinding import case_or_404
from ..case_data import answers_by_code, framework_sections
from ..case_page import section_statuses
from ..changes import DetailsRefused, change_details
from ..forms import AssignForm
from ..qa import latest_return
from ..workflow import mark_complete, problems_for


def _section_rows(case, sections, answers, problems):
    statuses = section_statuses(case, sections, answers, problems)
    return [{"section": section, "status": statuses[section.code]} for section in sections]


def _render(request, case, sections, answers, problems, *, show_error_summary=False):
    missing = [p for p in problems if p.kind == "unanswered"]
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "inspection": case.inspection,
            "section_rows": _section_rows(case, sections, answers, problems),
            "problems": problems,
            "missing": missing,
            "other_problems": len(problems) - len(missing),
            "editable": can_edit_cases(request.user, case.inspection),
            "can_correct": can_correct_cases(request.user, case.inspection),
            "show_error_summary": show_error_summary,
            "error_items": [
                (
                    reverse("cases:section", args=[case.pk, p.section_code]) + f"#{p.field}",
                    f"{p.message}: {p.text}" if p.text else p.message,
                )
                for p in problems
            ]
            if show_error_summary
            else [],
            "qa_return": latest_return(case),
            "team": case.inspection.team.order_by("first_name", "last_name")
            if can_lead(request.user, case.inspection) and case.inspection.status != "published"
            else None,
        },
        status=400 if show_error_summary else 200,
    )


def case_detail(request, case_id: int):
    case = case_or_404(request.user, case_id)
    _, sections = framework_sections(case.inspection)
    answers = answers_by_code(case)
    return _render(request, case, sections, answers, problems_for(case, sections, answers))


@require_POST
def complete_case(request, case_id: int):
    case = case_or_404(request.user, case_id, need=can_edit_cases)
    _, sections = framework_sections(case.inspection)
    problems, answers = mark_complete(case, sections, by=request.user)
    if problems:
        return _render(request, case, sections, answers, problems, show_error_summary=True)
    return redirect("cases:completed", case.pk)


@require_POST
def assign_inspector(request, case_id: int):
    """The lead inspector gives a case to one of the team (or to nobody)."""
    case = case_or_404(request.user, case_id, need=can_lead)
    ensure_editable(case.inspection)
    team = {u.pk: u for u in case.inspection.team.all()}
    form = AssignForm(request.POST, team=team.values())
    if not form.is_valid():
        for message in form.errors["inspector"]:
            messages.error(request, message)
        return redirect("cases:detail", case.pk)
    try:
        change_details(
            case, {"assigned_inspector": team.get(form.cleaned_data["inspector"])}, request.user
        )
    except DetailsRefused as refused:
        for message in refused.problems.values():
            messages.error(request, message)
        return redirect("cases:detail", case.pk)
    who = case.assigned_inspector.get_full_name() if case.assigned_inspector else "nobody"
    messages.success(
        request, f"Case {case.ref} is now assigned to {who or case.assigned_inspector}"
    )
    return redirect("cases:detail", case.pk)
