import copy
import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from cases.bundle.importer import import_bundle
from inspection.choices import InspectionStatus
from inspection.framework.loader import load_shipped
from inspection.lifecycle import move
from inspection.models import Framework
from tests.case_helpers import team_member

REFERENCE_BUNDLE_PATH = (
    Path(__file__).resolve().parent.parent / "inspection/demo/blackburn-with-darwen-2023.json"
)


@pytest.fixture(scope="session")
def reference_bundle_data() -> dict:
    return json.loads(REFERENCE_BUNDLE_PATH.read_text(encoding="utf-8"))


@pytest.fixture
def reference_bundle(reference_bundle_data) -> dict:
    """A fresh copy each test may change freely."""
    return copy.deepcopy(reference_bundle_data)


@pytest.fixture
def reference_inspection(db, reference_bundle):
    return import_bundle(reference_bundle)


@pytest.fixture
def lead(reference_inspection):
    """The reference inspection's lead inspector; the inspection is put in moderation."""
    user = team_member(reference_inspection, "lead", "Lee", "Lead")
    reference_inspection.lead_inspector = user
    reference_inspection.status = InspectionStatus.MODERATION
    reference_inspection.save()
    return user


@pytest.fixture
def published(reference_inspection, lead):
    """The reference inspection, published by its lead through the lifecycle service."""
    move(reference_inspection, InspectionStatus.PUBLISHED, lead)
    return reference_inspection


@pytest.fixture
def framework(db) -> Framework:
    return Framework.objects.newest("hmip-pdu-2021")


@pytest.fixture
def admin_user(db):
    return get_user_model().objects.create_superuser("admin", "admin@example.org", "pw-admin-123")


@pytest.fixture(autouse=True)
def migrated_framework(request):
    """Transactional tests flush every table after they run, the shipped frameworks too.

    Django's flush sends post_migrate, which loads them again (inspection.framework.loader
    .load_shipped); this makes sure of it before a transactional test starts.
    """
    marker = request.node.get_closest_marker("django_db")
    if not marker or not (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return
    request.getfixturevalue("transactional_db")
    if not Framework.objects.filter(code="hmip-pdu-2021").exists():
        load_shipped()
