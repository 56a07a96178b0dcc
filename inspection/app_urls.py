"""The lead inspector's pages: lifecycle, domain-1 ratings and recommendations."""

from django.urls import path

from .views import domain1, lifecycle, recommendations

app_name = "inspection"

urlpatterns = [
    path("inspections/<int:inspection_id>/status/", lifecycle.inspection_status, name="status"),
    path("inspections/<int:inspection_id>/domain1/", domain1.domain1_overview, name="domain1"),
    path(
        "inspections/<int:inspection_id>/domain1/<str:code>/",
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
]
