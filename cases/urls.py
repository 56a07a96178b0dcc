from django.urls import path

import inspection.url_converters  # noqa: F401 - registers <text:...>

from .views import (
    answer_case,
    calibration,
    case_detail,
    case_list,
    check_answers,
    check_case,
    double_marking,
    history,
    moderation,
    practice_example,
    qa,
    queries,
    sample_draw,
    sample_import,
    section,
)

app_name = "cases"

urlpatterns = [
    path("inspections/<int:inspection_id>/cases/", case_list.case_list, name="list"),
    path(
        "inspections/<int:inspection_id>/check-answers/",
        check_answers.check_answers,
        name="check_answers",
    ),
    path("inspections/<int:inspection_id>/qa/", qa.qa_overview, name="qa"),
    path(
        "inspections/<int:inspection_id>/double-marking/",
        double_marking.double_marking,
        name="double_marking",
    ),
    path("cases/<int:case_id>/second-mark/", double_marking.second_mark, name="second_mark"),
    path("cases/<int:case_id>/reconcile/", double_marking.reconcile_case, name="reconcile"),
    path(
        "cases/<int:case_id>/second-marker/",
        double_marking.change_second_marker_page,
        name="second_marker",
    ),
    path("cases/<int:case_id>/queries/", queries.case_queries, name="queries"),
    path("calibration/", calibration.calibration_page, name="calibration"),
    path(
        "inspections/<int:inspection_id>/status/moderation/",
        moderation.move_to_moderation,
        name="moderate",
    ),
    path(
        "inspections/<int:inspection_id>/cases/import/",
        sample_import.import_cases,
        name="import",
    ),
    path("inspections/<int:inspection_id>/sample/", sample_draw.sample, name="sample"),
    path(
        "inspections/<int:inspection_id>/sample/extract-template.csv",
        sample_draw.extract_template,
        name="extract_template",
    ),
    path("cases/<int:case_id>/replace/", sample_draw.replace_case, name="replace"),
    path("cases/<int:case_id>/", case_detail.case_detail, name="detail"),
    path("cases/<int:case_id>/answer/", answer_case.answer_case, name="answer"),
    path("cases/<int:case_id>/answer/save/", answer_case.answer_save, name="answer_save"),
    path("cases/<int:case_id>/qa/", qa.qa_review, name="review"),
    path("cases/<int:case_id>/complete/", case_detail.complete_case, name="complete"),
    path("cases/<int:case_id>/check/", check_case.check_case, name="check_case"),
    path("cases/<int:case_id>/completed/", check_case.case_completed, name="completed"),
    path("cases/<int:case_id>/details/", check_case.case_attributes, name="attributes"),
    path("cases/<int:case_id>/print/", check_case.case_print, name="print"),
    path("cases/<int:case_id>/assign/", case_detail.assign_inspector, name="assign"),
    path("cases/<int:case_id>/history/", history.case_history, name="history"),
    path(
        "cases/<int:case_id>/practice-examples/",
        practice_example.practice_example,
        name="practice_example",
    ),
    path("cases/<int:case_id>/sections/<text:section_code>/", section.section_page, name="section"),
    path(
        "cases/<int:case_id>/sections/<text:section_code>/autosave/",
        section.autosave,
        name="autosave",
    ),
]
