"""Every open data-quality problem in the signed-in inspector's cases of an inspection (or, when
asked, in all its cases), on one page."""

from django.shortcuts import render

from inspection.access import can_see_cases, inspection_or_404

from ..blinding import blinded_case_ids
from ..case_data import framework_sections, inspection_answer_values
from ..counting import attributes_of
from ..data_quality import case_problems
from ..forms import WhoseCasesForm


def check_answers(request, inspection_id: int):
    inspection = inspection_or_404(request.user, inspection_id, need=can_see_cases)
    _, sections = framework_sections(inspection)
    whose = WhoseCasesForm(request.GET if "whose" in request.GET else None)
    cases = (
        inspection.cases.select_related("assigned_inspector")
        .exclude(pk__in=blinded_case_ids(request.user, inspection.pk))
        .order_by("ref")
    )
    if not whose.everyone:  # the signed-in inspector's own cases unless they ask for all
        cases = cases.filter(assigned_inspector=request.user)
    values = inspection_answer_values(inspection)
    cases_with_problems = []
    for case in cases:
        problems = case_problems(
            sections,
            values.get(case.pk, {}),
            attributes_of(case),
        )
        if problems:
            cases_with_problems.append({"case": case, "problems": problems})
    return render(
        request,
        "cases/check_answers.html",
        {
            "inspection": inspection,
            "whose": whose,
            "everyone": whose.everyone,
            "cases_with_problems": cases_with_problems,
            "problem_total": sum(len(c["problems"]) for c in cases_with_problems),
        },
        status=400 if whose.errors else 200,
    )
