"""Domain-1 entry by the lead inspector, refusing ratings that break a limiting rule."""

import pytest
from django.urls import reverse

from inspection.models import Domain1Judgement
from tests.case_helpers import team_member


@pytest.fixture
def lead_client(client, reference_inspection):
    lead = team_member(reference_inspection, "lead")
    reference_inspection.lead_inspector = lead
    reference_inspection.save()
    client.force_login(lead)
    return client


@pytest.mark.django_db
def test_rating_that_breaks_a_limiting_rule_is_refused_naming_it(lead_client, reference_inspection):
    url = reverse("reports:domain1_edit", args=[reference_inspection.pk, "1.1"])
    response = lead_client.post(url, {"rating": "good"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "1.1 cannot be rated good: When court work is rated" in page.replace("&#x27;", "'")
    assert Domain1Judgement.objects.get(standard__code="1.1").rating == "requires_improvement"


@pytest.mark.django_db
def test_rating_is_saved_and_the_text_is_written_on_the_report_pages(
    lead_client, reference_inspection
):
    url = reverse("reports:domain1_edit", args=[reference_inspection.pk, "1.2"])
    page = lead_client.get(url).content.decode()
    assert 'name="strengths"' not in page  # report items now, on the standard's page:
    assert reverse("reports:write_standard", args=[reference_inspection.pk, "1.2"]) in page
    response = lead_client.post(url, {"rating": "outstanding"})
    assert response.status_code == 302
    assert Domain1Judgement.objects.get(standard__code="1.2").rating == "outstanding"
    assert lead_client.post(url, {"rating": ""}).status_code == 400  # rating required
    overview = lead_client.get(reverse("reports:domain1", args=[reference_inspection.pk]))
    assert "12 strengths, 6 areas for improvement" in overview.content.decode()


@pytest.mark.django_db
def test_recommendations_are_added_and_validated(lead_client, reference_inspection):
    url = reverse("reports:recommendations", args=[reference_inspection.pk])
    response = lead_client.post(url, {"addressee": "nobody", "text": "", "order": "1"})
    assert response.status_code == 400
    assert "Enter the recommendation" in response.content.decode()
    before = reference_inspection.recommendations.count()
    response = lead_client.post(
        url, {"addressee": "region", "text": "Share learning", "order": "3"}
    )
    assert response.status_code == 302
    assert reference_inspection.recommendations.count() == before + 1
