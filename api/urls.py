from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import pages, views

app_name = "api"


def api(view_class):
    # The API answers an unauthenticated request with 401 itself (Bearer challenge), not the
    # site's redirect to the sign-in page.
    return login_not_required(view_class.as_view())


urlpatterns = [
    path("api/v1/inspections/", api(views.InspectionList), name="inspections"),
    path("api/v1/inspections/<int:inspection_id>/", api(views.InspectionDetail), name="inspection"),
    path(
        "api/v1/inspections/<int:inspection_id>/published/",
        api(views.PublishedRecordList),
        name="published_records",
    ),
    path("api/v1/inspections/<int:inspection_id>/cases/", api(views.CaseList), name="cases"),
    path("api/v1/cases/<int:case_id>/answers/", api(views.AnswerList), name="answers"),
    path("api/v1/frameworks/", api(views.FrameworkList), name="frameworks"),
    path(
        "api/v1/frameworks/<slug:code>/<int:version>/", api(views.FrameworkFile), name="framework"
    ),
    path("api/schema/", api(views.Schema), name="schema"),
    path("api/docs/", pages.docs, name="docs"),
    path("account/api-tokens/", pages.token_list, name="tokens"),
    path("account/api-tokens/<int:pk>/revoke/", pages.token_revoke, name="token_revoke"),
]
