"""A published record's PDF: rendered once from the record and stored with it (PublishedPdf),
then served as stored. Rendering takes seconds (3-5 s for the reference report, more for a big
one): publishing renders it right after its transaction commits (reports.publication.store), so
its locks are not held meanwhile; a record without one (stored before PDFs were kept, or whose
rendering failed) gets it at its first download. The database refuses a second PDF for a record
(one-to-one), so two renderings at once store one and both serve it.
"""

import hashlib
import logging

from django.db import IntegrityError, transaction

from inspection.models import Inspection

from .exports.pdf import build_pdf
from .models import PublishedPdf, PublishedReport
from .report_model import Report

logger = logging.getLogger(__name__)


def checksum_of(pdf: bytes) -> str:
    return hashlib.sha256(pdf).hexdigest()


def stored(record_id: int) -> bytes | None:
    pdf = PublishedPdf.objects.filter(record_id=record_id).values_list("pdf", flat=True).first()
    return bytes(pdf) if pdf is not None else None


def keep(inspection: Inspection, record: PublishedReport, report: Report) -> bytes:
    """The record's PDF: the stored one, or rendered from `report` (the record read back) and
    stored. Idempotent: a PDF another process stored first is the one returned."""
    pdf = stored(record.pk)
    if pdf is not None:
        return pdf
    pdf = build_pdf(inspection, report)
    try:
        with transaction.atomic():
            PublishedPdf.objects.create(record=record, pdf=pdf, checksum=checksum_of(pdf))
    except IntegrityError:
        # Rendered twice at once: the first stored stands, and is what everyone serves.
        pdf = stored(record.pk)
        if pdf is None:
            raise
    return pdf


def problems(record: PublishedReport) -> list[str]:
    """How the record's stored PDF fails its checksum (none when it holds or none is stored)."""
    kept = PublishedPdf.objects.filter(record=record).values_list("pdf", "checksum").first()
    if kept is None or checksum_of(bytes(kept[0])) == kept[1]:
        return []
    return ["the stored PDF does not match its checksum"]


def render_quietly(render) -> None:
    """Run a rendering scheduled after publishing commits: a failure is logged, not raised, as
    the inspection is published by then; the PDF is rendered at its first download instead."""
    try:
        render()
    except Exception:
        logger.exception("The published PDF could not be rendered; the download will render it")
