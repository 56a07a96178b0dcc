"""Anonymous POSTs store nothing on the server; answers posted after the session ended survive.

A POST to a section page without a session is answered with the sign-in page, carrying the posted
form as a signed token in a hidden field: the session table does not grow, however many and
however large the requests. The answers reach the database once the person signs in.
"""

import re
import secrets
from html import unescape
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.urls import reverse

from cases.answer_form import has_note_box
from cases.case_data import framework_sections
from cases.sections import field_id
from inspection.input_rules import EVIDENCE_NOTE_MAX
from inspection.views import sign_in
from tests.case_helpers import PASSWORD, answer, case_in_progress, form_fields, team_member

pytestmark = pytest.mark.django_db

LIMIT = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
FORM = "application/x-www-form-urlencoded"
MISSING_CASE = 987_654_321


@pytest.fixture
def inspector(reference_inspection):
    return team_member(reference_inspection, "ines")


def section_url(case_id: int, code: str = "2.2") -> str:
    return reverse("cases:section", args=[case_id, code])


def session_table() -> tuple[int, int]:
    """(rows, bytes on disk with indexes and TOAST) of the session table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), pg_total_relation_size('django_session') FROM django_session"
        )
        return cursor.fetchone()


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def body(size: int, compressible: bool) -> str:
    """A form-encoded body of about `size` bytes shaped like a section's form."""
    head = urlencode({"q2-2-1-value": "no", "q2-2-1-version": "1", "q2-2-1-loaded": "yes"})
    filler = size - len(head) - len("&q2-2-1-note=")
    # token_urlsafe is already URL-safe, so the encoded length is the length asked for.
    note = "a" * filler if compressible else secrets.token_urlsafe(filler)[:filler]
    return f"{head}&q2-2-1-note={note}"


@pytest.mark.slow
@pytest.mark.skipif(connection.vendor != "postgresql", reason="measures PostgreSQL's table size")
def test_a_thousand_anonymous_posts_leave_the_session_table_as_it_was(reference_inspection):
    """Existing and missing cases and sections, bodies from empty to the request size limit."""
    case = case_in_progress(reference_inspection)
    urls = [
        section_url(case.pk),
        section_url(case.pk, "C"),
        section_url(case.pk, "no-such-section"),
        section_url(MISSING_CASE),
    ]
    sizes = [0, 300, 5_000, 60_000, 400_000, LIMIT - 1_000]
    rows_before, bytes_before = session_table()
    counts_before = row_counts()
    fresh, stale = Client(), Client()
    statuses = set()
    for i in range(1_000):
        size = sizes[i % len(sizes)] if i % 4 else sizes[-1] if i % 40 == 0 else 300
        # Every other request brings the cookie of a session that ended (each answer clears it).
        stale.cookies[settings.SESSION_COOKIE_NAME] = "timedout" + "x" * 24
        client = stale if i % 2 else fresh
        response = client.post(urls[i % len(urls)], body(size, i % 3 == 0), content_type=FORM)
        statuses.add(response.status_code)
        assert (
            settings.SESSION_COOKIE_NAME not in response.cookies
            or not response.cookies[settings.SESSION_COOKIE_NAME].value
        )
    # Over the limit: refused before anything reads it.
    too_big = fresh.post(urls[0], body(LIMIT + 10, True), content_type=FORM)
    rows_after, bytes_after = session_table()

    assert statuses == {401}, statuses
    assert too_big.status_code == 400
    assert rows_after == rows_before, (rows_before, rows_after)
    grown = bytes_after - bytes_before
    assert grown < 1_000_000, f"the session table grew by {grown} bytes"
    assert row_counts() == counts_before


def pending_field(response) -> str:
    match = re.search(r'name="pending" value="([^"]*)"', response.content.decode())
    assert match, "no pending answers on the sign-in page"
    return unescape(match.group(1))


def test_answers_posted_after_the_session_ended_are_saved_after_signing_in(
    client, reference_inspection, inspector
):
    case = case_in_progress(reference_inspection)
    url = section_url(case.pk)
    data = form_fields(case, "2.2.2", "no", "Typed before the session ran out")
    posted = client.post(url, data)
    assert posted.status_code == 401 and "no-store" in posted["Cache-Control"]
    assert "Sign in" in posted.content.decode()
    assert "answers will be saved" in posted.content.decode()
    assert Session.objects.count() == 0
    pending = pending_field(posted)

    # A mistyped password keeps them, and still makes no session.
    wrong = client.post(
        "/login/", {"username": "ines", "password": "wrong", "next": url, "pending": pending}
    )
    assert wrong.status_code == 200 and pending_field(wrong) == pending
    assert Session.objects.count() == 0

    signed_in = client.post(
        "/login/", {"username": "ines", "password": PASSWORD, "next": url, "pending": pending}
    )
    assert signed_in.status_code == 302 and signed_in.url.startswith(f"{url}?resume=")
    assert Session.objects.count() == 1
    resumed = client.get(signed_in.url, follow=True)
    assert "your answers are now saved" in resumed.content.decode()
    stored = answer(case, "2.2.2")
    assert (stored.value, stored.note) == ("no", "Typed before the session ran out")
    assert stored.updated_by == inspector

    # Taken once: going back to that address shows the page and saves nothing again.
    again = client.get(signed_in.url)
    assert again.status_code == 200 and "now saved" not in again.content.decode()
    assert answer(case, "2.2.2").version == stored.version


def sign_in_with(client, url: str, pending: str):
    return client.post(
        "/login/",
        {"username": "ines", "password": PASSWORD, "next": url, "pending": pending},
        follow=True,
    )


def test_a_damaged_or_expired_token_saves_nothing_and_says_so(
    client, reference_inspection, inspector, monkeypatch
):
    case = case_in_progress(reference_inspection)
    url = section_url(case.pk)
    before = answer(case, "2.2.2")
    pending = pending_field(client.post(url, form_fields(case, "2.2.2", "no", "Altered")))

    page = sign_in_with(client, url, pending[:-3] + "abc")
    assert "could not be saved" in page.content.decode()
    client.logout()

    monkeypatch.setattr(sign_in, "PENDING_MAX_AGE", -1)
    page = sign_in_with(client, url, pending)
    assert "could not be saved" in page.content.decode()
    assert answer(case, "2.2.2").version == before.version


def test_answers_for_one_page_are_not_saved_by_signing_in_to_another(
    client, reference_inspection, inspector
):
    case = case_in_progress(reference_inspection)
    before = answer(case, "2.2.2")
    pending = pending_field(client.post(section_url(case.pk), form_fields(case, "2.2.2", "no")))
    page = sign_in_with(client, section_url(case.pk, "2.3"), pending)
    assert page.redirect_chain[-1][0] == section_url(case.pk, "2.3")
    assert answer(case, "2.2.2").version == before.version


def test_the_largest_form_a_section_can_post_is_carried(reference_inspection):
    """Every question answered, every note at its limit in characters that compress badly."""
    case = case_in_progress(reference_inspection)
    _, sections = framework_sections(reference_inspection)
    rng = secrets.SystemRandom()
    for section in sections:
        data = {"reason": "".join(chr(rng.randint(0x4E00, 0x9FFF)) for _ in range(1_000))}
        for question in section.questions:
            data[field_id(question.code)] = "yes"
            data[field_id(question.code, "version")] = "123456"
            data[field_id(question.code, "loaded")] = "yes"
            if has_note_box(question):
                data[field_id(question.code, "note")] = "".join(
                    chr(rng.randint(0x4E00, 0x9FFF)) for _ in range(EVIDENCE_NOTE_MAX)
                )
                data[field_id(question.code, "loadednote")] = "f" * 64
        response = Client().post(
            section_url(case.pk, section.code), urlencode(data), content_type=FORM
        )
        assert response.status_code == 401
        pending_field(response)  # kept, not refused as too large


def test_a_form_too_large_to_carry_is_refused_with_a_clear_message(
    client, reference_inspection, monkeypatch
):
    monkeypatch.setattr(sign_in, "PENDING_MAX_CHARS", 100)
    case = case_in_progress(reference_inspection)
    response = client.post(section_url(case.pk), body(5_000, False), content_type=FORM)
    assert response.status_code == 401
    assert 'name="pending"' not in response.content.decode()
    assert "too long to keep" in response.content.decode()
    assert Session.objects.count() == 0


def test_signing_in_without_answers_to_save_creates_a_session_only_on_success(client, inspector):
    assert client.get("/login/").status_code == 200
    client.post("/login/", {"username": "ines", "password": "wrong"})
    assert Session.objects.count() == 0
    client.post("/login/", {"username": "ines", "password": PASSWORD})
    assert Session.objects.count() == 1


def test_autosave_without_a_session_stores_nothing(client, reference_inspection):
    case = case_in_progress(reference_inspection)
    response = client.post(
        reverse("cases:autosave", args=[case.pk, "2.2"]), form_fields(case, "2.2.2", "no")
    )
    assert response.status_code == 401
    assert Session.objects.count() == 0
