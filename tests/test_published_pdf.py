"""The published PDF is rendered once, after publishing commits, stored with its record, served
as stored, and kept like the record: the database refuses to change, delete or truncate it."""

import io
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from pypdf import PdfReader

from inspection.choices import InspectionStatus
from reports import publication, published_pdf
from reports.models import PublishedPdf, PublishedReport
from reports.publishing import move
from tests.lock_helpers import raw, refused, triggers_off, verify_output

LOCKED = "a published report's PDF is part of the public record"
# When and how often the PDF is rendered is what these tests are about.
pytestmark = pytest.mark.fresh_pdf


def download(client, user, inspection):
    client.force_login(user)
    started = time.perf_counter()
    response = client.get(reverse("exports:pdf", args=[inspection.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response.content, time.perf_counter() - started


def test_publishing_renders_the_pdf_once_it_commits(
    reference_inspection, lead, client, django_capture_on_commit_callbacks, settings
):
    settings.PUBLISHED_PDF_AT_PUBLICATION = True  # production's default (off in the tests)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        move(reference_inspection, InspectionStatus.PUBLISHED, lead)
    # Nothing rendered inside publishing's transaction: only once it has committed.
    assert not PublishedPdf.objects.exists()
    assert len(callbacks) == 1
    callbacks[0]()
    record = PublishedReport.objects.get(inspection=reference_inspection)
    kept = PublishedPdf.objects.get(record=record)
    assert kept.checksum == published_pdf.checksum_of(bytes(kept.pdf))
    served, seconds = download(client, lead, reference_inspection)
    assert served == bytes(kept.pdf)
    assert seconds < 1, f"served in {seconds:.2f} s: not the stored PDF?"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(served)).pages[:3])
    assert "Blackburn" in text


def test_without_rendering_at_publication_nothing_waits_on_commit(
    reference_inspection, lead, django_capture_on_commit_callbacks, settings
):
    settings.PUBLISHED_PDF_AT_PUBLICATION = False
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        move(reference_inspection, InspectionStatus.PUBLISHED, lead)
    assert not callbacks
    assert not PublishedPdf.objects.exists()


def test_a_record_without_its_pdf_gets_it_at_the_first_download_and_keeps_it(
    published, lead, client
):
    """On_commit callbacks do not run in this test's transaction: as for a record stored before
    PDFs were kept, or one whose rendering failed."""
    assert not PublishedPdf.objects.exists()
    first, _ = download(client, lead, published)
    assert PublishedPdf.objects.count() == 1
    second, seconds = download(client, lead, published)
    # The PDF says when it was generated: the same bytes are the stored ones, not a new rendering.
    assert second == first
    assert seconds < 1
    assert PublishedPdf.objects.count() == 1


def test_a_draft_is_rendered_each_time_and_never_stored(reference_inspection, lead, client):
    download(client, lead, reference_inspection)
    assert not PublishedPdf.objects.exists()


def test_one_pdf_per_record(published):
    record = PublishedReport.objects.get(inspection=published)
    pdf = publication.pdf_of_record(record.pk)
    assert published_pdf.stored(record.pk) == pdf
    # report=None: keep would fail if it rendered again rather than return the stored PDF.
    assert published_pdf.keep(published, record, report=None) == pdf
    with pytest.raises(IntegrityError), transaction.atomic():
        PublishedPdf.objects.create(record=record, pdf=b"%PDF-forged", checksum="0" * 64)


@pytest.fixture
def kept_pdf(published, lead, client):
    download(client, lead, published)
    return PublishedPdf.objects.get()


def test_the_database_refuses_to_change_delete_or_truncate_a_stored_pdf(kept_pdf):
    refused(raw("UPDATE reports_publishedpdf SET pdf = 'forged'"), LOCKED)
    refused(raw("DELETE FROM reports_publishedpdf"), LOCKED)
    # Django defers foreign-key checks, and PostgreSQL will not TRUNCATE with any pending: run
    # them now, as a committed insider's would have been.
    raw("SET CONSTRAINTS ALL IMMEDIATE")()
    refused(raw("TRUNCATE reports_publishedpdf"), "reports_publishedpdf: TRUNCATE refused")
    with pytest.raises(ValidationError, match="public record"), transaction.atomic():
        kept_pdf.delete()
    kept_pdf.checksum = "0" * 64
    with pytest.raises(ValidationError, match="public record"), transaction.atomic():
        kept_pdf.save()


def test_verify_published_names_a_pdf_that_does_not_match_its_checksum(kept_pdf):
    assert verify_output()[1] == ""
    with triggers_off():
        raw("UPDATE reports_publishedpdf SET pdf = %s", [b"%PDF-1.7 forged"])()
    out, error = verify_output()
    assert error
    assert "the stored PDF does not match its checksum" in out
