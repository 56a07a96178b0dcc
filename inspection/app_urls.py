"""The lead inspector's lifecycle page."""

from django.urls import path

from .views import lifecycle

app_name = "inspection"

urlpatterns = [
    path("inspections/<int:inspection_id>/status/", lifecycle.inspection_status, name="status"),
]
