"""The cases of an inspection as a task list, with the live key-question preview."""

from django.shortcuts import render

from cases.summary import summarise
from inspection.access import can_edit_cases, can_see_cases, inspection_or_404

from ..case_data import framework_sections, inspection_values
from ..completeness import progress
from ..counting import attributes_of
from ..forms import CaseFilterForm


def case_list(request, inspection_id: int):
    inspection = inspection_or_404(request.user, inspection_id, need=can_see_cases)
    _, sections = framework_sections(inspection)
    team = list(inspection.team.order_by("first_name", "last_name", "username"))

    filters = CaseFilterForm(request.GET, team=team)
    filters.is_valid()  # a bad filter is reported and left out; the others still apply
    cases = filters.filter(inspection.cases.select_related("assigned_inspector").order_by("ref"))

    values = inspection_values(inspection)
    rows = []
    for case in cases:
        answered, total = progress(
            sections,
            values.get(case.pk, {}),
            attributes_of(case),
        )
        rows.append({"case": case, "answered": answered, "total": total})
    summary = summarise(inspection)
    return render(
        request,
        "cases/case_list.html",
        {
            "inspection": inspection,
            "rows": rows,
            "summary": summary,
            "filters": filters,
            "editable": can_edit_cases(request.user, inspection),
        },
        status=400 if filters.errors else 200,
    )
