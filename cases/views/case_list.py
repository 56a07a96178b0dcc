"""The cases of an inspection as a task list, with the live key-question preview."""

from django.shortcuts import render

from cases.summary import summarise
from inspection.access import can_edit_cases, can_see_cases, inspection_or_404

from ..blinding import blinded_case_ids
from ..case_data import framework_sections, inspection_values
from ..completeness import progress
from ..counting import attributes_of
from ..forms import CaseFilterForm
from ..models import SecondMarking


def case_list(request, inspection_id: int):
    inspection = inspection_or_404(request.user, inspection_id, need=can_see_cases)
    _, sections = framework_sections(inspection)
    team = list(inspection.team.order_by("first_name", "last_name", "username"))

    filters = CaseFilterForm(request.GET, team=team)
    filters.is_valid()  # a bad filter is reported and left out; the others still apply
    # A case the user marks second, while blind, is listed apart (second_markings): in the list
    # a status or inspector filter would say how far its first marking has got, and whose it is.
    blinded = blinded_case_ids(request.user, inspection.pk)
    cases = filters.filter(
        inspection.cases.exclude(pk__in=blinded)
        .select_related("assigned_inspector")
        .order_by("ref")
    )

    values = inspection_values(inspection)
    rows = []
    for case in cases:
        answered, total = progress(
            sections,
            values.get(case.pk, {}),
            attributes_of(case),
        )
        rows.append({"case": case, "answered": answered, "total": total})
    # The live preview sums every case's answers, blind ones too: hidden while any is blind.
    summary = None if blinded else summarise(inspection)
    return render(
        request,
        "cases/case_list.html",
        {
            "inspection": inspection,
            "rows": rows,
            "summary": summary,
            "filters": filters,
            "editable": can_edit_cases(request.user, inspection),
            "second_markings": SecondMarking.objects.filter(
                marker=request.user, case__inspection=inspection
            ).select_related("case"),
        },
        status=400 if filters.errors else 200,
    )
