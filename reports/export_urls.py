"""Downloads: XLSX workbook, CSV of answers, PDF report, CSV of the report's figures."""

from django.urls import path

from .views import exports

app_name = "exports"

urlpatterns = [
    path("inspections/<int:inspection_id>/export.xlsx", exports.workbook, name="xlsx"),
    path("inspections/<int:inspection_id>/answers.csv", exports.answers_csv, name="csv"),
    path("inspections/<int:inspection_id>/report.pdf", exports.report_pdf, name="pdf"),
    path("inspections/<int:inspection_id>/figures.csv", exports.figures_csv, name="figures_csv"),
]
