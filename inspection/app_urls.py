"""The lead inspector's lifecycle pages and the inspection's audit trail."""

from django.urls import path

from .views import audit, lifecycle

app_name = "inspection"

urlpatterns = [
    path("inspections/<int:inspection_id>/status/", lifecycle.inspection_status, name="status"),
    path("inspections/<int:inspection_id>/status/reopen/", lifecycle.reopen, name="reopen"),
    path("inspections/<int:inspection_id>/audit/", audit.audit_trail, name="audit"),
    path("inspections/<int:inspection_id>/audit.csv", audit.audit_csv, name="audit_csv"),
]
