"""The cases of an inspection as a task list, with the live key-question preview."""

from django.shortcuts import render

from cases.aggregation import answer_counts
from cases.summary import judged_ratings, summarise_counts
from inspection.access import can_edit_cases, can_see_cases, inspection_or_404

from ..case_data import answered_counts, applicable_question_count, framework_sections
from ..choices import CaseStatus


def case_list(request, inspection_id: int):
    inspection = inspection_or_404(request.user, inspection_id, need=can_see_cases)
    spec, sections = framework_sections(inspection)
    team = list(inspection.team.order_by("first_name", "last_name", "username"))

    cases = inspection.cases.select_related("assigned_inspector").order_by("ref")
    status = request.GET.get("status", "")
    if status in CaseStatus.values:
        cases = cases.filter(status=status)
    else:
        status = ""
    inspector = request.GET.get("inspector", "")
    if inspector.isdigit() and any(u.pk == int(inspector) for u in team):
        cases = cases.filter(assigned_inspector_id=int(inspector))
    else:
        inspector = ""

    answered = answered_counts(inspection)
    rows = [
        {
            "case": case,
            "answered": answered.get(case.pk, 0),
            "total": applicable_question_count(sections, case),
        }
        for case in cases
    ]
    summary = summarise_counts(
        inspection, spec, answer_counts(inspection.pk), judged_ratings(inspection.pk)
    )
    return render(
        request,
        "cases/case_list.html",
        {
            "inspection": inspection,
            "rows": rows,
            "summary": summary,
            "statuses": CaseStatus.choices,
            "team": team,
            "status": status,
            "inspector": inspector,
            "editable": can_edit_cases(request.user, inspection),
        },
    )
