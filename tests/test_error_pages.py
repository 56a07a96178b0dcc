"""With DEBUG off, the 400, 404, 403, 500 and CSRF-failure pages are the service's own (GOV.UK
styled, on base.html): a plain heading, what to do next, and nothing of the error itself.

The 500 page is rendered with no context at all, so it renders with the database down too."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspection.choices import InspectionStatus

pytestmark = pytest.mark.urls("tests.error_urls")

HEADINGS = {
    400: "Your request could not be read",
    404: "Page not found",
    403: "You cannot do this",
    500: "Sorry, there is a problem with the service",
    "csrf": "Your change was not sent",
}


@pytest.fixture(autouse=True)
def debug_off(settings):
    settings.DEBUG = False


def client_for(user=None, **kwargs) -> Client:
    client = Client(raise_request_exception=False, **kwargs)
    if user is not None:
        client.force_login(user)
    return client


def assert_service_page(response, status: int, heading: str) -> str:
    html = response.content.decode()
    assert response.status_code == status
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in html
    assert f"<title>{heading} - HM Inspectorate of Probation case inspection</title>" in html
    assert 'class="govuk-header"' in html and "govuk-frontend.min.css" in html
    assert 'href="/">Go to your work</a>' in html
    for detail in ("Traceback", "must not reach the page", "RuntimeError", "Exception"):
        assert detail not in html
    return html


@pytest.mark.django_db
def test_a_page_that_is_not_there_is_the_services_404(admin_user):
    assert_service_page(client_for().get("/no-such-page/"), 404, HEADINGS[404])
    # Signed in: the header keeps the account's navigation.
    html = assert_service_page(
        client_for(admin_user).get("/inspections/999999/report/"), 404, HEADINGS[404]
    )
    assert "Sign out" in html


@pytest.mark.django_db
def test_a_request_it_cannot_take_is_the_services_400_without_its_detail():
    assert_service_page(client_for().get("/bad/"), 400, HEADINGS[400])


@pytest.mark.django_db
def test_a_refusal_is_the_services_403_without_its_reason():
    assert_service_page(client_for().get("/refused/"), 403, HEADINGS[403])


@pytest.mark.django_db
def test_a_change_to_a_published_inspection_is_refused_with_the_403(published):
    client = client_for(published.lead_inspector)
    response = client.post(
        reverse("reports:domain1_edit", args=[published.pk, "1.1"]), {"rating": "good"}
    )
    assert_service_page(response, 403, HEADINGS[403])
    published.refresh_from_db()
    assert published.status == InspectionStatus.PUBLISHED


@pytest.mark.django_db
def test_a_bug_in_a_view_is_the_services_500_and_touches_no_database():
    client = client_for()
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/broken/")
    assert_service_page(response, 500, HEADINGS[500])
    assert len(queries) == 0
    assert "Sign out" not in response.content.decode()  # no request context: no account


@pytest.mark.django_db(transaction=True)
def test_the_500_page_renders_with_the_database_down(django_user_model):
    if connection.vendor != "postgresql":
        pytest.skip("points PostgreSQL's connection at a closed port")
    user = django_user_model.objects.create_user("down", password="pw-down-123")
    client = client_for(user)  # a session in the database, read by the next request
    port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = "1"  # nothing listens there: the database is down
    try:
        response = client.get(reverse("home"))
    finally:
        connection.close()
        connection.settings_dict["PORT"] = port
    assert_service_page(response, 500, HEADINGS[500])


@pytest.mark.django_db
def test_a_form_without_its_csrf_token_is_the_services_csrf_page():
    client = client_for(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    assert_service_page(response, 403, HEADINGS["csrf"])
