"""Publishing stores the results model; what is published does not move, and verifying shows it."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from inspection.choices import Addressee, InspectionStatus
from inspection.framework.frozen import FrozenFrameworkError
from inspection.models import PDU, Inspection, Question, RatingBand, Recommendation
from reports import plain_data, publication
from reports.models import PublishedReport
from reports.publishing import move
from tests.csv_helpers import read_shown_dicts

pytestmark = pytest.mark.django_db


def summary_json(inspection) -> str:
    out = io.StringIO()
    call_command("inspection_summary", inspection.pk, "--format", "json", stdout=out)
    return out.getvalue()


def verify() -> str:
    out = io.StringIO()
    call_command("verify_published", stdout=out)
    return out.getvalue()


def attempt(change) -> bool:
    """Run a change that may be refused; True when the database let it through."""
    try:
        with transaction.atomic():
            change()
    except (DatabaseError, FrozenFrameworkError):
        return False
    return True


def test_publishing_stores_the_results_with_a_checksum(published):
    record = PublishedReport.objects.get(inspection=published)
    assert record.results["score"] == 10 and record.results["max_score"] == 27
    assert len(record.checksum) == 64
    assert "as published" in verify()


def test_published_figures_do_not_move_when_the_framework_or_names_change(published):
    before = summary_json(published)
    framework = published.framework

    band = RatingBand.objects.filter(framework=framework).first()

    def save_band():
        band.min_percent = 1
        band.save()

    # Each is refused (the database refuses even what skips the ORM's guards)...
    assert not attempt(
        lambda: RatingBand.objects.filter(framework=framework).update(min_percent=99)
    )
    assert not attempt(save_band)
    assert not attempt(lambda: Question.objects.filter(framework=framework).update(text="x"))
    # ...and what may change (a PDU's name) does not reach the published record.
    PDU.objects.filter(pk=published.pdu_id).update(name="Renamed")

    assert summary_json(published) == before
    assert "All 1 published inspections are as published." in verify()
    page = published_client_page(published)
    assert "Blackburn with Darwen PDU" in page and "Renamed" not in page.split("<main")[1]


def published_client_page(inspection) -> str:
    from django.test import Client

    client = Client()
    client.force_login(inspection.lead_inspector)
    return client.get(reverse("reports:report", args=[inspection.pk])).content.decode()


def test_verify_published_fails_when_a_stored_result_is_tampered_with_in_sql(published):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        # The database itself refuses to change the record...
        cursor.execute("UPDATE reports_publishedreport SET checksum = 'x'")
    # ...so tampering needs a privileged hand that turns the guard off first.
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")  # superuser: no triggers
        cursor.execute(
            "UPDATE reports_publishedreport SET results = jsonb_set(results, '{score}', '11')"
        )
        cursor.execute("SET session_replication_role = origin")
    with pytest.raises(CommandError, match="1 published inspection"):
        verify()
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_published", stdout=out)
    assert "do not match their checksum" in out.getvalue()
    assert "results.score: stored 11, now 10" in out.getvalue()


def test_interleaved_recommendations_are_numbered_the_same_everywhere(client, reference_inspection):
    from django.contrib.auth import get_user_model

    Recommendation.objects.filter(inspection=reference_inspection).delete()
    for order, (addressee, text) in enumerate(
        [
            (Addressee.PDU, "Alpha for the PDU"),
            (Addressee.NATIONAL, "Bravo for HMPPS"),
            (Addressee.PDU, "Charlie for the PDU"),
            (Addressee.REGION, "Delta for the region"),
        ],
        start=1,
    ):
        Recommendation.objects.create(
            inspection=reference_inspection, addressee=addressee, text=text, order=order
        )
    # Grouped as the report groups them (PDU, region, HMPPS), numbered on once.
    expected = {
        "Alpha for the PDU": 1,
        "Charlie for the PDU": 2,
        "Delta for the region": 3,
        "Bravo for HMPPS": 4,
    }
    admin = get_user_model().objects.create_superuser("boss", "b@example.org", "pw-boss-123")
    client.force_login(admin)
    pk = reference_inspection.pk

    page = client.get(reverse("reports:report", args=[pk])).content.decode()
    for text, number in expected.items():
        assert f'<li value="{number}">{text}</li>' in page

    pdf = client.get(reverse("exports:pdf", args=[pk])).content
    pdf_text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages
    )
    for text, number in expected.items():
        assert f"{number}. {text}" in pdf_text

    xlsx = client.get(reverse("exports:xlsx", args=[pk])).content
    sheet = load_workbook(io.BytesIO(xlsx))["Recommendations"]
    numbered = {row[3]: row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert numbered == expected

    figures = read_shown_dicts(
        b"".join(client.get(reverse("exports:figures_csv", args=[pk])).streaming_content)
    )
    csv_numbers = {
        row["note"]: int(row["code"]) for row in figures if row["section"] == "recommendation"
    }
    assert csv_numbers == expected


def test_every_rendering_states_the_same_figures(client, published):
    """The page, PDF, XLSX and figures CSV all render the stored record of the reference."""
    client.force_login(published.lead_inspector)
    pk = published.pk
    stored = PublishedReport.objects.get(inspection=published).results
    score = json.loads(summary_json(published))["score"]
    assert score == stored["score"] == 10

    book = load_workbook(io.BytesIO(client.get(reverse("exports:xlsx", args=[pk])).content))
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row}
    assert summary["Score"] == 10 and summary["Max score"] == 27
    key_questions = {
        row[0]: (row[4], row[5])
        for row in book["Key questions"].iter_rows(min_row=2, values_only=True)
    }
    figures = read_shown_dicts(
        b"".join(client.get(reverse("exports:figures_csv", args=[pk])).streaming_content)
    )
    csv_key_questions = {
        row["code"]: (int(row["yes"]), int(row["relevant"]))
        for row in figures
        if row["section"] == "key question"
    }
    (score,) = (row for row in figures if row["section"] == "score")
    assert (score["score"], score["max_score"], score["yes"], score["relevant"]) == (
        "10",
        "27",
        "",
        "",
    )
    stored_key_questions = {
        kq["question"]["code"]: (kq["count"]["yes"], kq["count"]["relevant"])
        for standard in stored["standards"]
        for kq in standard["key_questions"]
    }
    assert key_questions == csv_key_questions == stored_key_questions
    assert stored_key_questions["2.2.3"] == (11, 21)


def test_breakdowns_hide_the_same_cells_in_every_rendering(client, published):
    client.force_login(published.lead_inspector)
    pk = published.pk
    stored = PublishedReport.objects.get(inspection=published).results
    hidden_in_record = {
        (b["attribute"]["name"], row["question"]["code"], label)
        for b in stored["breakdowns"]
        for row in b["rows"]
        for label, cell in zip(b["group_labels"], row["cells"], strict=True)
        if cell["reason"]
    }
    assert hidden_in_record  # the reference sample has small groups

    book = load_workbook(io.BytesIO(client.get(reverse("exports:xlsx", args=[pk])).content))
    hidden_in_xlsx = {
        (by, code, group)
        for by, code, group, yes, relevant, percent, note in book["Breakdowns"].iter_rows(
            min_row=2, values_only=True
        )
        if note
    }
    assert all(
        yes is None and relevant is None
        for _, _, _, yes, relevant, _, note in book["Breakdowns"].iter_rows(
            min_row=2, values_only=True
        )
        if note
    )
    figures = read_shown_dicts(
        b"".join(client.get(reverse("exports:figures_csv", args=[pk])).streaming_content)
    )
    hidden_in_csv = {
        (row["section"].removeprefix("by "), row["code"], row["group"])
        for row in figures
        if row["section"].startswith("by ") and row["note"]
    }
    assert hidden_in_record == hidden_in_xlsx == hidden_in_csv


def test_dashboards_read_published_figures_from_the_record_not_the_answers(client, published):
    from django.test.utils import CaptureQueriesContext

    client.force_login(published.lead_inspector)
    for url in (
        reverse("reports:national"),
        reverse("reports:region", args=[published.pdu.region_id]),
        reverse("reports:pdu", args=[published.pdu_id]),
    ):
        client.get(url)  # this process reads each record once
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url)
        assert page.status_code == 200
        answer_queries = [q["sql"] for q in captured if '"cases_answer"' in q["sql"]]
        assert answer_queries == [], url
        assert "North West" in page.content.decode()  # the published inspection is counted


def test_a_published_record_cannot_be_replaced_by_a_newer_one(published):
    record = PublishedReport.objects.get(inspection=published)
    forged = {**record.results, "score": 27}
    with pytest.raises(DatabaseError), transaction.atomic():
        PublishedReport.objects.create(
            inspection=published,
            results=forged,
            checksum=plain_data.checksum(forged),
            headline=record.headline,
        )
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO reports_publishedreport (inspection_id, published_at, results, checksum,"
            " headline) SELECT inspection_id, now(), results, checksum, headline"
            " FROM reports_publishedreport"
        )
    assert PublishedReport.objects.filter(inspection=published).count() == 1
    assert json.loads(summary_json(published))["score"] == 10


def test_inspections_published_before_records_were_kept_get_one(reference_inspection, lead):
    # Published the old way, straight in the database (the row was not yet published, so the
    # database lets it through), with no record.
    Inspection.objects.filter(pk=reference_inspection.pk).update(status=InspectionStatus.PUBLISHED)
    with pytest.raises(CommandError):
        verify()
    out = io.StringIO()
    call_command("verify_published", "--store-missing", stdout=out)
    assert "record stored" in out.getvalue() and "as published" in out.getvalue()
    assert PublishedReport.objects.filter(inspection=reference_inspection).count() == 1
    again = io.StringIO()
    call_command("verify_published", "--store-missing", stdout=again)
    assert "record stored" not in again.getvalue()


def test_a_record_of_an_inspection_published_before_events_heads_its_chain(
    reference_inspection, lead
):
    """Published before lifecycle events were kept, its record (stored later, tied to no event)
    stands for that publication: re-opened and published again, the new record follows it."""
    Inspection.objects.filter(pk=reference_inspection.pk).update(status=InspectionStatus.PUBLISHED)
    call_command("verify_published", "--store-missing", stdout=io.StringIO())
    legacy = PublishedReport.objects.get(inspection=reference_inspection)
    assert legacy.event is None
    reference_inspection.refresh_from_db()
    move(reference_inspection, InspectionStatus.MODERATION, lead, reason="A correction")
    move(reference_inspection, InspectionStatus.PUBLISHED, lead)
    newest = publication.latest_record(reference_inspection.pk)
    assert newest.event is not None and newest.previous_checksum == legacy.checksum
    out = verify()
    assert f"note: {publication.record_name(legacy)} is tied to no publication event" in out
    assert "as published" in out


def test_no_record_tied_to_none_once_an_inspection_has_lifecycle_events(reference_inspection, lead):
    """Moved back to fieldwork through the lifecycle, then set published by hand: it was not
    published before its events were kept, so no record is stored for it (nor would the database
    take one tied to no event)."""
    move(reference_inspection, InspectionStatus.FIELDWORK, lead)
    Inspection.objects.filter(pk=reference_inspection.pk).update(status=InspectionStatus.PUBLISHED)
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 record\\(s\\) not stored"):
        call_command("verify_published", "--store-missing", stdout=out)
    assert (
        f"Inspection {reference_inspection.pk} ({reference_inspection}): its newest lifecycle "
        "event is not its publication: not stored"
    ) in out.getvalue()
    assert not PublishedReport.objects.exists()
