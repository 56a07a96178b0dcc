"""Downloads: XLSX workbook, CSV of answers, PDF report."""

app_name = "exports"

urlpatterns = []
