"""Report and dashboard pages."""

from django.urls import path

from .views import dashboards, report

app_name = "reports"

urlpatterns = [
    path("inspections/<int:inspection_id>/report/", report.report, name="report"),
    path(
        "inspections/<int:inspection_id>/report/questions/<str:code>/",
        report.drilldown,
        name="drilldown",
    ),
    path("pdus/<int:pdu_id>/", dashboards.pdu, name="pdu"),
    path("regions/<int:region_id>/", dashboards.region, name="region"),
    path("national/", dashboards.national, name="national"),
]
