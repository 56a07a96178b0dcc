"""Every rendering of an inspection survives the worst text its rows can hold.

The strings go straight into the database with the ORM (no form cleans them first), on an
inspection in moderation; then every download is fetched, answers 200 and parses, both computed
live and read back from the record stored on publishing.
"""

import csv
import io
import re

import pytest
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from pypdf import PdfReader

from cases.choices import CaseStatus
from cases.models import Answer, Case, QAOutcome, QAQuestionReview, QAReview
from inspection import input_rules
from inspection.choices import Addressee, AuditKind, InspectionStatus, QuestionKind
from inspection.models import (
    AuditEntry,
    Question,
    Recommendation,
    ReportItem,
    ReportSubsection,
)
from reports.confirmed_numbers import confirm_number
from reports.exports.safe_text import printable
from reports.exports.workbook import CUT, EXCEL_CELL_LIMIT
from reports.number_check import check_numbers
from reports.publishing import move
from reports.report_model import build_report

pytestmark = pytest.mark.django_db

# PostgreSQL refuses NUL in text and any lone surrogate (not UTF-8): everything else goes in.
CONTROLS = "".join(chr(c) for c in range(1, 32)) + "\x7f" + "\x80\x85\x9f"
NONCHARACTERS = "\ufffe\uffff"
BIDI = "\u202eexe.txt\u202c \u2067isolated\u2069 \u200fmark"
MARKUP = '<b>bold</b></para><para>&amp; & &#0; <font name="x">f</font> <br/> ]]> <![CDATA[ '
FORMULA = "=cmd|' /C calc'!A0"
WORST = [
    CONTROLS,
    NONCHARACTERS,
    BIDI,
    MARKUP,
    FORMULA,
    "+1+1",
    "@SUM(1)",
    "-1",
    "\t=1",
    "\r=1",
    "x" * 10_000,
    (CONTROLS + NONCHARACTERS + BIDI + MARKUP + FORMULA) * 100,  # about 20,000 characters
    CONTROLS * 300,  # 10,500 characters, four times as long once escaped
]
if connection.vendor != "postgresql":
    WORST.append("NUL\x00in the middle")

HTML_PAGES = ("reports:report", "cases:list", "cases:qa", "inspection:audit")


@pytest.fixture
def worst(reference_inspection, lead):
    """The reference inspection (in moderation) with the worst strings in every free-text row."""
    inspection = reference_inspection
    pdu, region = inspection.pdu, inspection.pdu.region
    pdu.name = (FORMULA + CONTROLS + NONCHARACTERS + BIDI + MARKUP)[:150]
    pdu.save()
    region.name = (MARKUP + CONTROLS)[:100]
    region.save()

    cases = list(Case.objects.filter(inspection=inspection).order_by("ref"))
    refs = [FORMULA, CONTROLS, CONTROLS[30:] + NONCHARACTERS + BIDI, MARKUP, "@SUM(1)\x01\ufffe"]
    for case, ref in zip(cases, refs, strict=False):
        case.ref = ref[:30]
    Case.objects.bulk_update(cases, ["ref"])

    answers = list(Answer.objects.filter(case__inspection=inspection).order_by("pk")[:40])
    for answer, note in zip(answers, WORST * 4, strict=False):
        answer.note = note[: input_rules.EVIDENCE_NOTE_MAX]  # the database's own limit
    Answer.objects.bulk_update(answers, ["note"])

    Recommendation.objects.filter(inspection=inspection).delete()
    addressees = list(Addressee)
    Recommendation.objects.bulk_create(
        Recommendation(
            inspection=inspection,
            addressee=addressees[i % len(addressees)],
            text=text[: input_rules.RECOMMENDATION_MAX],
            order=i,
        )
        for i, text in enumerate(WORST, start=1)
    )
    items = [text[: input_rules.DOMAIN1_ITEM_MAX] for text in WORST]
    # Each domain-1 standard's strengths and areas: its first sub-section's items.
    firsts = ReportSubsection.objects.filter(inspection=inspection, part="standard", heading="")
    ReportItem.objects.filter(subsection__in=firsts).delete()
    ReportItem.objects.bulk_create(
        ReportItem(subsection=first, list=name, text=text, order=n)
        for first in firsts
        for name, texts in (("strengths", items), ("areas", list(reversed(items))))
        for n, text in enumerate(texts, start=1)
    )

    key_question = Question.objects.filter(
        framework=inspection.framework, kind=QuestionKind.KEY_QUESTION
    ).first()
    for case, comment in zip(cases, WORST, strict=False):
        comment = comment[: input_rules.QA_COMMENT_MAX]
        review = QAReview.objects.create(
            case=case, reviewer=lead, outcome=QAOutcome.RETURNED, comment=comment
        )
        QAQuestionReview.objects.create(
            review=review, question=key_question, agrees=False, comment=comment
        )
        # Then put right and signed off, as publishing needs of a case QA returned.
        QAReview.objects.create(case=case, reviewer=lead, outcome=QAOutcome.SIGNED_OFF)
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(status=CaseStatus.SIGNED_OFF)
    AuditEntry.objects.bulk_create(
        AuditEntry(
            inspection=inspection,
            case_id=cases[0].pk,
            case_ref=text[:30],
            kind=AuditKind.ANSWER,
            subject=text[:200],
            old_value=text,
            new_value=text,
            old_note=text,
            new_note=text,
            user_name=text[:150],
            reason=text,
        )
        for text in WORST
    )
    return inspection


def fetch(client, name: str, inspection) -> bytes:
    response = client.get(reverse(name, args=[inspection.pk]))
    assert response.status_code == 200, (name, response.status_code)
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def check_every_rendering(client, inspection) -> None:
    for name in HTML_PAGES:
        fetch(client, name, inspection)

    pdf = PdfReader(io.BytesIO(fetch(client, "exports:pdf", inspection)))
    text = " ".join(page.extract_text() for page in pdf.pages)
    # Markup is shown as typed, and control characters as escapes, never as ReportLab's boxes.
    assert "</para><para>&amp; &" in text and "<b>bold</b>" in text
    assert "=cmd|' /C calc'!A0" in text
    assert "\\x01\\x02" in text and "\\ufffe\\uffff" in text

    book = load_workbook(io.BytesIO(fetch(client, "exports:xlsx", inspection)))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    assert not ILLEGAL_CHARACTERS_RE.search(cell.value), (sheet.title, cell)
                    assert len(cell.value) <= EXCEL_CELL_LIMIT, (sheet.title, cell.coordinate)
                    assert cell.data_type == "s", (sheet.title, cell.coordinate, cell.value[:40])
    # XML may read a carriage return back as a line feed (as Excel does; openpyxl 3.1.5 keeps
    # it): text, not damage, so line endings are compared as one.
    texts = {
        lines(row[3]) for row in book["Recommendations"].iter_rows(min_row=2, values_only=True)
    }
    for original in WORST:
        stored = original[: input_rules.RECOMMENDATION_MAX]
        shown = lines(printable(stored))
        if len(shown) <= EXCEL_CELL_LIMIT:
            assert shown in texts
        else:  # cut to what Excel holds, and says so
            assert any(t.startswith(shown[:1_000]) and t.endswith(CUT) for t in texts)
    assert FORMULA in texts

    for name in ("exports:figures_csv", "exports:csv", "inspection:audit_csv"):
        content = fetch(client, name, inspection).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(content, newline="")))
        assert len({len(row) for row in rows}) == 1, name  # every row has the header's columns
        cells = [cell for row in rows for cell in row]
        assert "'" + FORMULA in cells and FORMULA not in cells, name


def test_every_rendering_survives_the_worst_strings(client, worst, lead):
    client.force_login(lead)
    check_every_rendering(client, worst)


def test_a_published_report_with_the_worst_strings_renders_from_its_record(client, worst, lead):
    # The worst strings hold numbers ("0", "1") that match no figure: the lead confirms each,
    # as publishing asks, through the number check's own service.
    for number in check_numbers(worst, build_report(worst)).to_confirm:
        confirm_number(worst, place=number.where, written=number.written, text=number.text, by=lead)
    move(worst, InspectionStatus.PUBLISHED, lead)
    client.force_login(lead)
    check_every_rendering(client, worst)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain text, tabs\tand\nlines\r\n", "plain text, tabs\tand\nlines\r\n"),
        ("\x00\x01\x1f\x7f\x9f", "\\x00\\x01\\x1f\\x7f\\x9f"),
        ("a\ufffeb\uffffc\ud800d", "a\\ufffeb\\uffffc\\ud800d"),
        ("\u202eRTL <b>&", "\u202eRTL <b>&"),
        ("\\x01 typed as text", "\\x01 typed as text"),
    ],
)
def test_printable_escapes_what_xml_and_fonts_cannot_hold(text, shown):
    assert printable(text) == shown
    assert printable(shown) == shown


def test_printable_covers_everything_openpyxl_refuses():
    refused = [chr(c) for c in range(0x10000) if ILLEGAL_CHARACTERS_RE.match(chr(c))]
    assert refused and all(printable(c) != c for c in refused)
    assert not [c for c in map(chr, range(0x10000)) if re.search(r"[\ud800-\udfff]", printable(c))]
