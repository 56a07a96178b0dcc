"""Every open data-quality problem across an inspection's cases, on one page."""

from django.shortcuts import render

from inspection.access import can_see_cases, inspection_or_404

from ..case_data import framework_sections, inspection_answer_values
from ..counting import attributes_of
from ..data_quality import case_problems


def check_answers(request, inspection_id: int):
    inspection = inspection_or_404(request.user, inspection_id, need=can_see_cases)
    _, sections = framework_sections(inspection)
    values = inspection_answer_values(inspection)
    cases_with_problems = []
    for case in inspection.cases.select_related("assigned_inspector").order_by("ref"):
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
            "cases_with_problems": cases_with_problems,
            "problem_total": sum(len(c["problems"]) for c in cases_with_problems),
        },
    )
