import copy
import functools
import inspect
import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from inspection.choices import InspectionStatus
from inspection.framework.loader import load_shipped
from inspection.models import Framework
from reports.exports import pdf
from reports.publishing import move
from tests import reference_rows
from tests.case_helpers import lead_in_moderation
from tests.second_factor_helpers import verify_session

REFERENCE_BUNDLE_PATH = (
    Path(__file__).resolve().parent.parent / "inspection/demo/blackburn-with-darwen-2023.json"
)


def pytest_collection_modifyitems(items):
    """The reference inspection is set up before the rest of a test's own fixtures.

    Its copy (tests/reference_rows.py) is good only for a database holding the rows it held the
    first time; a fixture asked for first that writes a row (admin_user, in a fixture such as
    `reference_page(client, admin_user, reference_inspection)`) made every such test import
    the bundle again, ~1.3 s each. Autouse fixtures still come first: the flush's frameworks
    (migrated_framework) must be back before it.
    """
    for item in items:
        names = item.fixturenames
        if "reference_inspection" not in names:
            continue
        function = getattr(item, "function", None)
        if function is None:
            continue
        own = set(inspect.signature(function).parameters)
        first_own = next((i for i, name in enumerate(names) if name in own), None)
        if first_own is not None and names.index("reference_inspection") > first_own:
            names.remove("reference_inspection")
            names.insert(first_own, "reference_inspection")


@pytest.fixture(scope="session")
def reference_bundle_data() -> dict:
    return json.loads(REFERENCE_BUNDLE_PATH.read_text(encoding="utf-8"))


@pytest.fixture
def reference_bundle(reference_bundle_data) -> dict:
    """A fresh copy each test may change freely."""
    return copy.deepcopy(reference_bundle_data)


@pytest.fixture
def reference_inspection(db, reference_bundle):
    """The inspection the reference bundle imports to: imported once, then copied back per test
    (tests/reference_rows.py), as importing it takes more than half a second."""
    return reference_rows.reference_inspection(reference_bundle)


@pytest.fixture
def lead(reference_inspection):
    """The reference inspection's lead inspector; the inspection is put in moderation."""
    return lead_in_moderation(reference_inspection)


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

    The test database backend puts back the rows migrate left (inspection/test_database), and the
    flush's post_migrate would load any framework still missing (inspection.framework.loader
    .load_shipped); this makes sure of it before a transactional test starts.
    """
    marker = request.node.get_closest_marker("django_db")
    if not marker or not (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return
    request.getfixturevalue("transactional_db")
    if not Framework.objects.filter(code="hmip-pdu-2021").exists():
        load_shipped()


@pytest.fixture(autouse=True)
def force_login_with_second_factor(request, monkeypatch):
    """force_login skips the password, so it skips the code step too: the session it makes is
    marked verified by a test device, as signing in with a code would. Leads and admins must
    have one (inspection/access.py); a test of the real flow is marked `second_factor`."""
    if request.node.get_closest_marker("second_factor"):
        return
    plain_force_login = Client.force_login

    def force_login(client, user, backend=None):
        plain_force_login(client, user, backend)
        verify_session(client, user)

    monkeypatch.setattr(Client, "force_login", force_login)


# The PDF of the same HTML is the same document: WeasyPrint's seconds of work are done once per
# worker for each. Many tests download the reference inspection's PDF (the permission matrix once
# per role that may); each still renders the HTML from the database. The HTML says when it was
# made, to the minute: here, always when the worker started, or a test running across a minute
# (or the next test) would render the same report again. Tests of rendering itself (when, how
# often, whether a stored PDF is served rather than a new one) are marked `fresh_pdf`: they
# render every time, at the time it is.
_cached_pdf_from_html = functools.lru_cache(maxsize=16)(pdf.pdf_from_html)
_WORKER_STARTED = pdf.made_at()


@pytest.fixture(autouse=True)
def pdf_rendered_once_per_document(request, monkeypatch):
    if not request.node.get_closest_marker("fresh_pdf"):
        monkeypatch.setattr(pdf, "pdf_from_html", _cached_pdf_from_html)
        monkeypatch.setattr(pdf, "made_at", lambda: _WORKER_STARTED)
