"""The audit trail of an imported inspection, read on its page and as CSV: who, when, before, after.

Every change here is made the way people make it (pages, admin, services), never by writing
entries directly, and read back where the lead reads it.
"""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bundles.importer import import_bundle
from cases.choices import CaseStatus
from cases.models import Answer, Case
from inspection import audit
from inspection.choices import AuditKind
from inspection.models import AuditEntry, ReportSubsection
from inspection.views.audit import PAGE_SIZE
from reports.report_writing import domain1_lists
from tests.case_helpers import agree_to_all, answer, form_fields, team_member
from tests.csv_helpers import as_shown, read_csv_dicts

CASE = "BWD-02"
QUESTION = "2.3.1"  # imported as Yes, with a note


@pytest.fixture
def lead(reference_inspection):
    user = team_member(reference_inspection, "lee", "Lee", "Lead")
    reference_inspection.lead_inspector = user
    reference_inspection.save()
    return user


@pytest.fixture
def inspector(reference_inspection):
    return team_member(reference_inspection, "ines", "Ines", "Inspector")


@pytest.fixture
def changed(client, reference_inspection, lead, inspector):
    """The imported case BWD-02: an answer changed, a QA return, a domain-1 rating changed."""
    case = Case.objects.get(inspection=reference_inspection, ref=CASE)
    assert case.status == CaseStatus.COMPLETE
    imported = answer(case, QUESTION)
    assert imported.value == "yes" and imported.note

    client.force_login(inspector)
    data = {**form_fields(case, QUESTION, "no", imported.note), "reason": "Re-read the plan"}
    section = reverse("cases:section", args=[case.pk, "2.3"])
    assert client.post(section, data).status_code == 302

    client.force_login(lead)
    review = {
        **agree_to_all(case),
        "comment": "Check 2.3.1 against the plan",
        "outcome": "returned",
    }
    assert client.post(reverse("cases:review", args=[case.pk]), review).status_code == 302
    domain1 = reverse("reports:domain1_edit", args=[reference_inspection.pk, "1.2"])
    assert client.post(domain1, {"rating": "outstanding"}).status_code == 302
    first = ReportSubsection.objects.get(
        inspection=reference_inspection, standard__code="1.2", heading=""
    )
    add = reverse("reports:write_item_add", args=[reference_inspection.pk, first.pk, "strengths"])
    assert client.post(add, {"kind": "text", "text": "A"}).status_code == 302
    return case, imported


def audit_url(inspection, **filters):
    return reverse("inspection:audit", args=[inspection.pk]), filters


def get_page(client, inspection, **filters):
    url, params = audit_url(inspection, **filters)
    return client.get(url, params)


def shown(response) -> list[tuple]:
    return [
        (e.who, e.kind, e.case_ref, e.subject, e.old_value, e.new_value, e.reason)
        for e in response.context["page"]
    ]


def every_page(client, inspection, **filters) -> list[AuditEntry]:
    """The entries of every page of the (filtered) trail, in the order the pages show them."""
    entries, number = [], 1
    while True:
        response = get_page(client, inspection, page=number, **filters)
        assert response.status_code == 200
        entries += list(response.context["page"])
        if not response.context["page"].has_next():
            return entries
        number += 1


@pytest.mark.django_db
def test_the_page_lists_status_answer_and_domain1_changes_with_who_when_before_and_after(
    client, reference_inspection, changed
):
    case, imported = changed
    response = get_page(client, reference_inspection, case=case.pk)
    assert response.status_code == 200
    rows = shown(response)
    assert rows[:3] == [  # newest first
        ("Lee Lead", "case_status", CASE, "Status", "Complete", "Returned", ""),
        ("Lee Lead", "qa", CASE, "QA review", "", "Returned to inspector", rows[1][6]),
        ("Ines Inspector", "answer", CASE, QUESTION, "Yes", "No", "Re-read the plan"),
    ]
    assert rows[1][6] == "Check 2.3.1 against the plan"
    entries = every_page(client, reference_inspection, case=case.pk)
    assert len(entries) == 3 + 1 + Answer.objects.filter(case=case).count()
    statuses = [(e.old_value, e.new_value, e.reason) for e in entries if e.kind == "case_status"]
    assert statuses == [("Complete", "Returned", ""), ("", "Complete", "Imported from bundle")]
    # The answer's trail starts with the value and note as imported, so the edit reads Yes -> No
    # with the imported note kept.
    trail = [e for e in entries if e.subject == QUESTION]
    edit, as_imported = trail
    assert (as_imported.old_value, as_imported.new_value) == ("", "Yes")
    assert as_imported.new_note == imported.note and as_imported.reason == "Imported from bundle"
    assert (edit.old_note, edit.new_note, edit.version) == (imported.note, imported.note, 2)
    assert all(e.at and e.who for e in entries)

    page = response.content.decode()
    assert "Note, unchanged: " + imported.note.replace("'", "&#x27;") in page
    assert "Re-read the plan" in page
    # The domain-1 rating is the inspection's, not the case's: on the unfiltered trail.
    rated = shown(get_page(client, reference_inspection, kind="domain1", person="Lee Lead"))
    by_subject = {row[3]: row for row in rated}
    assert by_subject["1.2 rating"] == (
        "Lee Lead",
        "domain1",
        "",
        "1.2 rating",
        "Good",
        "Outstanding",
        "",
    )
    assert "1.2 strengths" not in by_subject  # report text now, audited as such:
    written = shown(get_page(client, reference_inspection, kind="report_text", person="Lee Lead"))
    assert written == [
        (
            "Lee Lead",
            "report_text",
            "",
            f"1.2: strengths {len(domain1_lists(reference_inspection.pk)['1.2']['strengths'])}",
            "",
            "A",
            "",
        )
    ]


@pytest.mark.django_db
def test_filters_narrow_the_trail(client, reference_inspection, changed, lead):
    case, _ = changed
    client.force_login(lead)
    by_person = shown(get_page(client, reference_inspection, person="Ines Inspector"))
    assert [(r[0], r[3]) for r in by_person] == [("Ines Inspector", QUESTION)]
    by_kind = shown(get_page(client, reference_inspection, kind="domain1"))
    assert {r[1] for r in by_kind} == {"domain1"} and {r[0] for r in by_kind} == {
        "Lee Lead",
        "System",
    }
    both = shown(get_page(client, reference_inspection, case=case.pk, kind="case_status"))
    assert [r[5] for r in both] == ["Returned", "Complete"]
    system = get_page(client, reference_inspection, person="(system)", kind="lifecycle")
    assert shown(system) == [
        ("System", "lifecycle", "", "Status", "", "Fieldwork", "Imported from bundle")
    ]
    assert (
        "2 changes matching the filters"
        in get_page(client, reference_inspection, case=case.pk, kind="case_status").content.decode()
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"case": "abc"}, "Choose a case from the list"),
        ({"case": "999999"}, "Choose a case from the list"),
        ({"person": "Nobody Known"}, "Choose a person from the list"),
        ({"kind": "everything"}, "Choose a kind of change from the list"),
        ({"page": "0"}, "The page number must be 1 or more"),
        ({"page": "two"}, "The page number must be a whole number"),
    ],
)
def test_invalid_filters_are_explained_not_a_500(
    client, reference_inspection, lead, filters, message
):
    client.force_login(lead)
    response = get_page(client, reference_inspection, **filters)
    assert response.status_code == 400
    page = response.content.decode()
    assert "The filters could not be applied" in page and message in page
    csv_response = client.get(
        reverse("inspection:audit_csv", args=[reference_inspection.pk]), filters
    )
    assert csv_response.status_code == 400 and message in csv_response.content.decode()


def csv_rows(client, inspection, **filters) -> list[dict]:
    response = client.get(reverse("inspection:audit_csv", args=[inspection.pk]), filters)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.streaming
    return read_csv_dicts(b"".join(response.streaming_content))


@pytest.mark.django_db
@pytest.mark.parametrize("filters", [{"case": "case"}, {"kind": "domain1"}, {}])
def test_the_csv_has_the_rows_the_page_has(client, reference_inspection, changed, lead, filters):
    case, _ = changed
    filters = {k: case.pk if v == "case" else v for k, v in filters.items()}
    client.force_login(lead)
    rows = csv_rows(client, reference_inspection, **filters)
    pages = every_page(client, reference_inspection, **filters)
    assert len(rows) == len(pages) > 0
    columns = ("who", "change_to", "case", "subject", "before", "after", "reason")
    assert [tuple(as_shown(r[column]) for column in columns) for r in rows] == [
        (e.who, e.get_kind_display(), e.case_ref, e.subject, e.old_value, e.new_value, e.reason)
        for e in pages
    ]
    if "case" in filters:
        edit = next(r for r in rows if as_shown(r["subject"]) == QUESTION and r["after"] == "No")
        assert edit["note_before"] == edit["note_after"] and edit["answer_version"] == "2"


@pytest.mark.django_db
def test_the_csv_guards_against_formulas(client, reference_inspection, lead):
    case = Case.objects.get(inspection=reference_inspection, ref="BWD-03")
    client.force_login(lead)
    data = {**form_fields(case, "2.2.1", "no", '=HYPERLINK("http://x")'), "reason": "@SUM(A1)"}
    assert client.post(reverse("cases:section", args=[case.pk, "2.2"]), data).status_code == 302
    rows = csv_rows(client, reference_inspection, case=case.pk, kind="answer")
    assert rows[0]["note_after"] == '\'=HYPERLINK("http://x")'
    assert rows[0]["reason"] == "'@SUM(A1)"


@pytest.mark.django_db
def test_the_page_makes_the_same_queries_however_long_the_trail(client, reference_inspection, lead):
    client.force_login(lead)

    def count(**filters) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert get_page(client, reference_inspection, **filters).status_code == 200
        return len(queries)

    before = count()
    # Many more entries, people and cases than one page shows.
    people = [team_member(reference_inspection, f"extra{i}", "Extra", str(i)) for i in range(5)]
    with transaction.atomic():
        audit.record_many(
            audit.entry(
                reference_inspection.pk,
                AuditKind.CASE_DETAILS,
                by=people[i % 5],
                case=Case(pk=10_000 + i % 40, ref=f"X-{i % 40:02d}"),
                subject="Practitioners",
                old="1",
                new="2",
            )
            for i in range(3 * PAGE_SIZE)
        )
    assert AuditEntry.objects.filter(inspection=reference_inspection).count() > 1500
    after = count()
    assert after == before == count(page=3) == count(person="Extra 1", kind="case_details")
    # 12, and one for the session's second factor (django-otp loads its device).
    assert after <= 13, after


@pytest.mark.django_db
def test_only_the_lead_and_admins_see_the_trail(
    client, reference_inspection, lead, inspector, admin_user
):
    for user, status in [(inspector, 404), (lead, 200), (admin_user, 200)]:
        client.force_login(user)
        for name in ("inspection:audit", "inspection:audit_csv"):
            url = reverse(name, args=[reference_inspection.pk])
            assert client.get(url).status_code == status, (user, name)


@pytest.mark.django_db
def test_importing_the_reference_bundle_records_each_answer_as_imported(reference_bundle):
    inspection = import_bundle(reference_bundle)
    trail = AuditEntry.objects.filter(inspection=inspection)
    answers = Answer.objects.filter(case__inspection=inspection)
    assert answers.count() == 1485
    imported = trail.filter(kind=AuditKind.ANSWER)
    assert imported.count() == answers.count()
    assert set(imported.values_list("reason", "version", "old_value")) == {
        ("Imported from bundle", 1, "")
    }
    assert trail.filter(kind=AuditKind.CASE_STATUS).count() == 21
    # Answers, cases, status, domain-1 ratings, recommendations, and the written report (the
    # signatory, the ISBN, 7 facts, 1 footnote, 3 rating sentences, 17 sub-sections, 119 items
    # and 13 confirmed numbers: tests/test_bundle_report.py), and the 15 domain-1 evidence tallies.
    assert trail.count() == 1485 + 21 + 1 + 4 + 9 + 149 + 13 + 15
    assert trail.filter(kind=AuditKind.EVIDENCE).count() == 15
