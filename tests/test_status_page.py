"""The status page reads its moves through a Django form: bad input is named, nothing changes."""

import pytest
from django.urls import reverse

from inspection.choices import InspectionStatus
from inspection.models import InspectionEvent
from tests.case_helpers import team_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead_client(client, reference_inspection):
    lead = team_member(reference_inspection, "lead", "Lee", "Lead")
    reference_inspection.lead_inspector = lead
    reference_inspection.save()
    client.force_login(lead)
    return client


def test_an_overlong_reason_is_refused_by_name_and_changes_nothing(
    lead_client, reference_inspection
):
    status_before = reference_inspection.status
    response = lead_client.post(
        reverse("inspection:status", args=[reference_inspection.pk]),
        {"to_status": InspectionStatus.MODERATION, "reason": "x" * 2001},
    )
    assert response.status_code == 400
    assert "The reason must be 2,000 characters or fewer" in response.content.decode()
    reference_inspection.refresh_from_db()
    assert reference_inspection.status == status_before
    assert not InspectionEvent.objects.filter(inspection=reference_inspection).exists()


def test_a_move_that_is_not_allowed_is_refused_by_name(lead_client, reference_inspection):
    response = lead_client.post(
        reverse("inspection:status", args=[reference_inspection.pk]),
        {"to_status": "nowhere"},
    )
    assert response.status_code == 400
    assert "cannot move to &#x27;nowhere&#x27;" in response.content.decode()
