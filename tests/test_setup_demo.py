"""The first README command's demo data: both inspections, every role, and idempotent."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from cases.choices import CaseStatus
from inspection.models import Inspection


@pytest.mark.django_db
def test_setup_demo_loads_inspections_and_users(settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("setup_demo", stdout=out)
    call_command("setup_demo", stdout=StringIO())  # running twice changes nothing
    assert Inspection.objects.count() == 2
    reference = Inspection.objects.get(fieldwork_start="2023-03-27")
    fieldwork = Inspection.objects.exclude(pk=reference.pk).get()
    assert reference.status == "published" and fieldwork.status == "fieldwork"
    statuses = set(fieldwork.cases.values_list("status", flat=True))
    assert {CaseStatus.NOT_STARTED, CaseStatus.IN_PROGRESS, CaseStatus.COMPLETE} <= statuses
    names = set(get_user_model().objects.values_list("username", flat=True))
    assert names == {"admin", "lead", "inspector1", "inspector2", "manager"}
    text = out.getvalue()
    assert "demo-password-2023" in text and "manager" in text


@pytest.mark.django_db
def test_setup_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only with DEBUG on"):
        call_command("setup_demo")
