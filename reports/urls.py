"""Report pages (and the lead's pages that write the report) and dashboards."""

from django.urls import path

import inspection.url_converters  # noqa: F401 - registers <text:...>

from .views import (
    action_plans,
    dashboards,
    domain1,
    evidence,
    number_check,
    practice_examples,
    publish,
    recommendations,
    report,
    sample_facts,
    writing,
)

app_name = "reports"

urlpatterns = [
    path("inspections/<int:inspection_id>/report/", report.report, name="report"),
    path(
        "inspections/<int:inspection_id>/report/questions/<text:code>/",
        report.drilldown,
        name="drilldown",
    ),
    path(
        "inspections/<int:inspection_id>/report/numbers/",
        number_check.number_check,
        name="number_check",
    ),
    path(
        "inspections/<int:inspection_id>/report/numbers/confirm/",
        number_check.number_confirm,
        name="number_confirm",
    ),
    path(
        "inspections/<int:inspection_id>/report/numbers/withdraw/",
        number_check.number_withdraw,
        name="number_withdraw",
    ),
    path("inspections/<int:inspection_id>/status/publish/", publish.publish_page, name="publish"),
    path("inspections/<int:inspection_id>/domain1/", domain1.domain1_overview, name="domain1"),
    path(
        "inspections/<int:inspection_id>/domain1/<text:code>/",
        domain1.domain1_edit,
        name="domain1_edit",
    ),
    path(
        "inspections/<int:inspection_id>/recommendations/",
        recommendations.recommendation_list,
        name="recommendations",
    ),
    path(
        "inspections/<int:inspection_id>/recommendations/<int:pk>/",
        recommendations.recommendation_edit,
        name="recommendation_edit",
    ),
    path(
        "inspections/<int:inspection_id>/recommendations/<int:pk>/delete/",
        recommendations.recommendation_delete,
        name="recommendation_delete",
    ),
    path("inspections/<int:inspection_id>/evidence/", evidence.evidence_overview, name="evidence"),
    path(
        "inspections/<int:inspection_id>/evidence.csv", evidence.evidence_csv, name="evidence_csv"
    ),
    path(
        "inspections/<int:inspection_id>/evidence/<slug:source>/",
        evidence.evidence_source,
        name="evidence_source",
    ),
    path(
        "inspections/<int:inspection_id>/practice-examples/",
        practice_examples.candidates,
        name="practice_examples",
    ),
    path(
        "inspections/<int:inspection_id>/practice-examples/<int:example_id>/",
        practice_examples.pull,
        name="practice_example_pull",
    ),
    *[
        path(f"inspections/<int:inspection_id>/write/{route}", view, name=f"write{name}")
        for route, view, name in (
            ("", writing.overview, ""),
            ("signatory/", writing.signing, "_signing"),
            ("isbn/", writing.isbn, "_isbn"),
            ("standards/<text:code>/", writing.standard, "_standard"),
            ("standards/<text:code>/rating/", writing.rating_wording, "_rating"),
            ("subsections/<int:pk>/", writing.subsection_edit, "_subsection"),
            ("subsections/<int:pk>/remove/", writing.subsection_remove, "_subsection_remove"),
            ("subsections/<int:pk>/add/<text:list>/", writing.item_add, "_item_add"),
            ("items/<int:pk>/", writing.item_edit, "_item"),
            ("items/<int:pk>/move/", writing.item_move, "_item_move"),
            ("items/<int:pk>/remove/", writing.item_remove, "_item_remove"),
            ("part/<text:part>/", writing.part, "_part"),
        )
    ],
    # Context facts and footnotes: the same pages, for each kind.
    *[
        path(f"inspections/<int:inspection_id>/write/{kind}/{route}", view, {"kind": kind}, name)
        for kind in writing.KEYED
        for route, view, name in (
            ("", writing.keyed_list, f"write_{kind}"),
            ("<slug:key>/", writing.keyed_edit, f"write_{kind}_edit"),
            ("<slug:key>/remove/", writing.keyed_remove, f"write_{kind}_remove"),
        )
    ],
    # After publication: the action plans answering the recommendations.
    path(
        "inspections/<int:inspection_id>/action-plans/",
        action_plans.action_plans,
        name="action_plans",
    ),
    *[
        path(f"inspections/<int:inspection_id>/action-plans/<int:pk>/{route}", view, name=name)
        for route, view, name in (
            ("", action_plans.action_plan, "action_plan"),
            ("actions/", action_plans.action_add, "action_add"),
            ("actions/<int:action_id>/", action_plans.action_edit, "action_edit"),
            ("actions/<int:action_id>/remove/", action_plans.action_remove, "action_remove"),
            ("submit/", action_plans.plan_submit, "plan_submit"),
            ("progress/", action_plans.plan_progress, "plan_progress"),
            ("review/", action_plans.plan_review, "plan_review"),
            ("themes/", action_plans.plan_themes, "plan_themes"),
        )
    ],
    path(
        "inspections/<int:inspection_id>/previous-recommendations/",
        action_plans.previous_recommendations,
        name="previous_recommendations",
    ),
    path(
        "inspections/<int:inspection_id>/sample/facts/",
        sample_facts.take_sample_facts,
        name="sample_facts",
    ),
    path("pdus/<int:pdu_id>/", dashboards.pdu, name="pdu"),
    path("regions/<int:region_id>/", dashboards.region, name="region"),
    path("national/", dashboards.national, name="national"),
]
