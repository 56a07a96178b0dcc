"""The start page: the inspections a person may see, with progress and the right link."""

import pytest
from django.urls import reverse

from inspection.models import ManagerScope
from tests.case_helpers import case_in_progress, team_member
from tests.factories import UserFactory


@pytest.mark.django_db
def test_inspector_sees_progress_and_a_link_to_the_cases(client, reference_inspection):
    client.force_login(team_member(reference_inspection, "ines"))
    case_in_progress(reference_inspection)
    page = client.get("/").content.decode()
    assert reverse("cases:list", args=[reference_inspection.pk]) in page
    assert "20 of 21" in page


@pytest.mark.django_db
def test_manager_sees_published_inspections_only_linked_to_the_report(client, reference_inspection):
    manager = UserFactory(username="morgan")
    ManagerScope.objects.create(user=manager, region=reference_inspection.pdu.region)
    client.force_login(manager)
    assert "Blackburn with Darwen" not in client.get("/").content.decode()  # not yet published
    reference_inspection.status = "published"
    reference_inspection.save()
    page = client.get("/").content.decode()
    assert reverse("reports:report", args=[reference_inspection.pk]) in page
    assert reverse("cases:list", args=[reference_inspection.pk]) not in page
