"""The read API: its schema, who may read what (walked like tests/test_permission_matrix.py),
tokens, pagination, throttling and read-only methods."""

import hashlib
import json

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import get_resolver, reverse
from openapi_spec_validator import validate

from api.models import ApiToken
from api.tokens import create_token, revoke_token
from cases.models import Case
from inspection.choices import AuditKind, InspectionStatus
from inspection.framework.export import framework_file_text
from inspection.models import AuditEntry, Framework, ManagerScope, Region
from reports.models import PublishedReport
from tests.case_helpers import team_member
from tests.url_helpers import walk

ROLES = [
    "anonymous",
    "admin",
    "lead",
    "inspector",  # on the inspection's team
    "unassigned",  # an inspector on no team of this inspection
    "pdu_manager",  # scoped to the inspected PDU
    "region_manager",  # scoped to its region
    "other_manager",  # scoped to another region
]
READERS = {"admin", "lead", "inspector"}  # and in-scope managers, once published
IN_SCOPE_MANAGERS = {"pdu_manager", "region_manager"}
TEAM = {"admin", "lead", "inspector"}  # who may see case detail

# url name: who may read it (everyone else signed in gets 404, anonymous 401)
ENDPOINTS = {
    "api:inspections": "signed_in",
    "api:inspection": "readers",
    "api:published_records": "readers",
    "api:cases": "team",
    "api:answers": "team",
    "api:frameworks": "signed_in",
    "api:framework": "signed_in",
    "api:schema": "signed_in",
}
# The pages for people (a session, the site's sign-in): every signed-in user has them.
PAGES = {"api:docs", "api:tokens", "api:token_revoke"}


def api_url_names():
    return {name for name, _, _ in walk(get_resolver().url_patterns) if name.startswith("api:")}


def test_every_api_url_is_walked():
    assert api_url_names() == set(ENDPOINTS) | PAGES


@pytest.fixture(params=[False, True], ids=["moderation", "published"])
def world(request, lead, django_user_model):
    """The reference inspection (in moderation, or published through the lifecycle) and a user
    for each role, each with a token."""
    inspection = reference = lead.led_inspections.get()
    team_member(reference, "inspector")
    django_user_model.objects.create_user("unassigned", password="pw-unassigned-1")
    django_user_model.objects.create_superuser("admin", "a@example.org", "pw-admin-1")
    scopes = {
        "pdu_manager": {"pdu": inspection.pdu},
        "region_manager": {"region": inspection.pdu.region},
        "other_manager": {"region": Region.objects.create(name="Elsewhere")},
    }
    for username, scope in scopes.items():
        user = django_user_model.objects.create_user(username, password="pw-manager-1")
        ManagerScope.objects.create(user=user, **scope)
    if request.param:
        request.getfixturevalue("published")
        inspection.refresh_from_db()
    keys = {
        user.username: create_token(user, "tests")[1]
        for user in django_user_model.objects.filter(username__in=ROLES)
    }
    return inspection, keys


def client_for(role, keys) -> Client:
    client = Client()
    if role != "anonymous":
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {keys[role]}"
    return client


def url_for(name, inspection, user=None):
    case = Case.objects.get(inspection=inspection, ref="BWD-01")
    candidates = {
        "inspection_id": inspection.pk,
        "case_id": case.pk,
        "code": inspection.framework.code,
        "version": inspection.framework.version,
    }
    if name == "api:token_revoke":
        candidates["pk"] = ApiToken.objects.filter(user=user).first().pk
    pattern = {n: p for n, p, _ in walk(get_resolver().url_patterns)}[name]
    kwargs = {key: candidates[key] for key in pattern.pattern.converters}
    return reverse(name, kwargs=kwargs)


def may_read(audience: str, role: str, published: bool) -> bool:
    if audience == "signed_in":
        return True
    if audience == "team":
        return role in TEAM
    return role in READERS or (published and role in IN_SCOPE_MANAGERS)


def expected_status(audience: str, role: str, published: bool) -> int:
    if role == "anonymous":
        return 401
    return 200 if may_read(audience, role, published) else 404


@pytest.mark.django_db
def test_api_permission_matrix(world):
    inspection, keys = world
    published = inspection.status == InspectionStatus.PUBLISHED
    mismatches = []
    for role in ROLES:
        client = client_for(role, keys)
        for name, audience in ENDPOINTS.items():
            url = url_for(name, inspection)
            want = expected_status(audience, role, published)
            got = client.get(url).status_code
            if got != want:
                mismatches.append(f"{role:<14} GET {name:<24} {url}: {got}, expected {want}")
            got = client.head(url).status_code
            if got != want:
                mismatches.append(f"{role:<14} HEAD {name:<23} {url}: {got}, expected {want}")
            # Read only: every other method is refused (401 first for anonymous).
            for method in ("post", "put", "patch", "delete"):
                got = getattr(client, method)(url).status_code
                if got != (401 if role == "anonymous" else 405):
                    mismatches.append(f"{role:<14} {method.upper()} {name}: {got}")
    assert not mismatches, "\n" + "\n".join(mismatches)


@pytest.mark.django_db
def test_the_inspection_list_holds_what_each_role_may_read(world):
    inspection, keys = world
    published = inspection.status == InspectionStatus.PUBLISHED
    for role in ROLES[1:]:
        response = client_for(role, keys).get(reverse("api:inspections"))
        listed = {row["id"] for row in response.json()["results"]}
        assert (inspection.pk in listed) == may_read("readers", role, published), role


@pytest.mark.django_db
def test_the_pages_are_for_signed_in_users(world, django_user_model):
    inspection, _ = world
    for role in ROLES:
        client = Client()
        user = None
        if role != "anonymous":
            user = django_user_model.objects.get(username=role)
            client.force_login(user)
        for name in PAGES:
            if name == "api:token_revoke" and user is None:
                url = url_for(name, inspection, user=django_user_model.objects.get(username="lead"))
            else:
                url = url_for(name, inspection, user=user)
            response = client.get(url)
            if role == "anonymous":
                assert response.status_code == 302, name
                assert response["Location"].startswith("/login/"), name
            else:
                assert response.status_code == 200, (role, name)


@pytest.mark.django_db
def test_a_session_does_not_open_the_data_endpoints(world, django_user_model):
    """Only a bearer token reads data: a signed-in browser's cookie gets 401 (so no other page
    can make a visitor's browser read it), though the schema may be read with a session."""
    inspection, _ = world
    client = Client()
    client.force_login(django_user_model.objects.get(username="admin"))
    for name in set(ENDPOINTS) - {"api:schema"}:
        assert client.get(url_for(name, inspection)).status_code == 401, name
    assert client.get(reverse("api:schema")).status_code == 200


def schema_of(client) -> dict:
    response = client.get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


@pytest.mark.django_db
def test_the_schema_validates_and_lists_every_endpoint(admin_client):
    schema = schema_of(admin_client)
    validate(schema)  # raises on an invalid OpenAPI document
    assert schema["openapi"].startswith("3.")
    data_paths = {
        str(pattern.pattern).replace("<int:", "{").replace("<slug:", "{").replace(">", "}")
        for name, pattern, _ in walk(get_resolver().url_patterns)
        if name in ENDPOINTS and name != "api:schema"
    }
    listed = {path.lstrip("/") for path in schema["paths"]}
    assert data_paths == listed
    assert all(set(operations) == {"get"} for operations in schema["paths"].values())
    assert schema["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_the_validator_refuses_a_broken_schema():
    """The check above can fail: an operation without its responses is not OpenAPI 3."""
    broken = {
        "openapi": "3.0.3",
        "info": {"title": "x", "version": "1"},
        "paths": {"/x": {"get": {}}},
    }
    with pytest.raises(Exception, match="responses"):
        validate(broken)


@pytest.mark.django_db
def test_the_docs_page_renders_every_operation_from_the_schema(admin_client):
    operations = [
        (method.upper(), path)
        for path, methods in schema_of(admin_client)["paths"].items()
        for method in methods
    ]
    page = admin_client.get(reverse("api:docs")).content.decode()
    for method, path in operations:
        assert f"{method} {path}" in page
    assert reverse("api:tokens") in page


@pytest.mark.django_db
def test_published_results_are_the_stored_records(lead, published, django_user_model):
    _, key = create_token(lead, "tests")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    rows = client.get(reverse("api:published_records", args=[published.pk])).json()["results"]
    stored = list(PublishedReport.objects.standing().filter(inspection=published))
    assert [row["id"] for row in rows] == [record.pk for record in stored]
    assert rows[0]["results"] == stored[0].results
    assert rows[0]["checksum"] == stored[0].checksum


@pytest.mark.django_db
def test_answers_and_framework_file_are_as_stored(lead):
    inspection = lead.led_inspections.get()
    _, key = create_token(lead, "tests")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    case = Case.objects.get(inspection=inspection, ref="BWD-01")
    answers = client.get(reverse("api:answers", args=[case.pk]), {"page_size": 200}).json()
    assert answers["count"] == case.answers.count() > 0
    stored = {a.question.code: a.value for a in case.answers.select_related("question")}
    assert {row["question"]: row["value"] for row in answers["results"]} == stored
    framework = inspection.framework
    response = client.get(reverse("api:framework", args=[framework.code, framework.version]))
    assert response.json() == json.loads(framework_file_text(framework))
    missing = client.get(reverse("api:framework", args=[framework.code, 999]))
    assert missing.status_code == 404


# Tokens


@pytest.mark.django_db
def test_only_the_hash_of_a_key_is_stored(django_user_model):
    user = django_user_model.objects.create_user("someone", password="pw-someone-1")
    token, key = create_token(user, "Figures")
    assert len(key) >= 40
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert row["key_hash"] == hashlib.sha256(key.encode()).hexdigest()
    assert not any(key in str(value) for value in row.values())


@pytest.mark.django_db
def test_unknown_revoked_and_malformed_tokens_get_401(django_user_model):
    user = django_user_model.objects.create_user("someone", password="pw-someone-1")
    token, key = create_token(user, "Figures")
    url = reverse("api:frameworks")
    assert Client(HTTP_AUTHORIZATION=f"Bearer {key}").get(url).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    for header in (f"Bearer {key}x", "Bearer", f"Bearer {key} extra", f"Token {key}", ""):
        response = Client(HTTP_AUTHORIZATION=header).get(url)
        assert response.status_code == 401, header
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    client = Client()
    client.force_login(user)
    client.post(reverse("api:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
    response = Client(HTTP_AUTHORIZATION=f"Bearer {key}").get(url)
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]
    user.is_active = False
    user.save()
    _, other_key = create_token(user, "After")
    assert Client(HTTP_AUTHORIZATION=f"Bearer {other_key}").get(url).status_code == 401


@pytest.mark.django_db
def test_making_and_revoking_a_token_is_audited(django_user_model):
    user = django_user_model.objects.create_user("someone", password="pw-someone-1")
    token, key = create_token(user, "Figures")
    revoke_token(user, token)
    revoke_token(user, token)  # already revoked: nothing changes, nothing more is recorded
    entries = AuditEntry.objects.filter(kind=AuditKind.ACCOUNT, user=user).order_by("pk")
    assert [(e.subject, e.new_value, e.inspection_id) for e in entries] == [
        ("API token created: someone", f"Figures (token {token.pk})", None),
        ("API token revoked: someone", f"Figures (token {token.pk})", None),
    ]
    assert not any(key in str(value) for e in entries for value in vars(e).values())


@pytest.mark.django_db
def test_the_token_page_shows_a_new_key_once(django_user_model):
    user = django_user_model.objects.create_user("someone", password="pw-someone-1")
    client = Client()
    client.force_login(user)
    response = client.post(reverse("api:tokens"), {"name": "  Monthly figures "})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=user)
    assert token.name == "Monthly figures"
    key = response.context["new_key"]
    assert key in response.content.decode()
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    again = client.get(reverse("api:tokens")).content.decode()
    assert "Monthly figures" in again and key not in again


@pytest.mark.django_db
def test_a_token_needs_a_name(django_user_model):
    user = django_user_model.objects.create_user("someone", password="pw-someone-1")
    client = Client()
    client.force_login(user)
    for name, message in (("   ", "Enter a name for the token"), ("x" * 101, "100 characters")):
        response = client.post(reverse("api:tokens"), {"name": name})
        assert message in response.content.decode()
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_nobody_revokes_another_users_token(django_user_model):
    owner = django_user_model.objects.create_user("owner", password="pw-owner-123")
    other = django_user_model.objects.create_superuser("boss", "b@example.org", "pw-boss-123")
    token, key = create_token(owner, "Mine")
    client = Client()
    client.force_login(other)
    url = reverse("api:token_revoke", args=[token.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert (
        Client(HTTP_AUTHORIZATION=f"Bearer {key}").get(reverse("api:frameworks")).status_code == 200
    )


@pytest.mark.django_db
def test_revoking_needs_a_csrf_token(django_user_model):
    user = django_user_model.objects.create_user("someone", password="pw-someone-1")
    token, _ = create_token(user, "Figures")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(reverse("api:token_revoke", args=[token.pk])).status_code == 403
    assert client.post(reverse("api:tokens"), {"name": "x"}).status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None


# Pagination and throttling


@pytest.mark.django_db
def test_lists_come_in_pages(framework, django_user_model):
    user = django_user_model.objects.create_user("someone", password="pw-someone-1")
    _, key = create_token(user, "Figures")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    total = Framework.objects.count()
    assert total > 1
    first = client.get(reverse("api:frameworks"), {"page_size": 1}).json()
    assert first["count"] == total and len(first["results"]) == 1
    assert first["previous"] is None and "page=2" in first["next"]
    seen = [first["results"][0]["code"], first["results"][0]["version"]]
    last = client.get(reverse("api:frameworks"), {"page_size": 1, "page": total}).json()
    assert last["next"] is None
    assert [last["results"][0]["code"], last["results"][0]["version"]] != seen
    beyond = client.get(reverse("api:frameworks"), {"page_size": 1, "page": total + 1})
    assert beyond.status_code == 404


@pytest.mark.django_db
@override_settings(API_THROTTLE_RATE="3/minute")
def test_each_user_is_throttled(django_user_model):
    cache.clear()
    first = django_user_model.objects.create_user("first", password="pw-first-123")
    second = django_user_model.objects.create_user("second", password="pw-second-123")
    url = reverse("api:frameworks")
    # Two tokens of one user share its allowance.
    clients = [Client(HTTP_AUTHORIZATION=f"Bearer {create_token(first, name)[1]}") for name in "ab"]
    statuses = [clients[i % 2].get(url).status_code for i in range(4)]
    assert statuses == [200, 200, 200, 429]
    other = Client(HTTP_AUTHORIZATION=f"Bearer {create_token(second, 'c')[1]}")
    assert other.get(url).status_code == 200
    cache.clear()
