"""The PDF report as a reader sees it (issue 18), checked on the laid-out document (where each
box landed, page by page: tests/pdf_helpers.py) and with pdfua (a PDF/UA checker from PyPI):
front matter as printed, footnotes at the foot of the page citing them, tables that keep their
caption and say "(continued)", header cells tagged with their scope, a draft marked on every
page."""

import dataclasses
import datetime
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.db import transaction
from pdfua import validate
from weasyprint import CSS, HTML
from weasyprint.formatting_structure import boxes

from inspection.choices import InspectionStatus
from reports.exports.pdf import build_pdf, pdf_html, render_document
from reports.front_matter import published_on
from reports.prose import Note, Run
from reports.publication import report_for
from reports.publishing import move
from reports.templatetags.report_tags import cited_only_in_footnotes
from tests import reference_rows
from tests.case_helpers import lead_in_moderation
from tests.pdf_helpers import (
    flow,
    footnotes_of,
    margin,
    orphaned_captions,
    page_texts,
    tables_on,
    text_of,
)

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # lays out the PDF

DRAFT = "Draft: not published"


@pytest.fixture(scope="module")
def published_document(django_db_setup, django_db_blocker, reference_bundle_data):
    """The published reference report laid out (~4 s) once for the tests that only read it, and
    its publication date. Made in a transaction rolled back straight after: nothing stays."""
    with django_db_blocker.unblock(), transaction.atomic():
        inspection = reference_rows.reference_inspection(reference_bundle_data)
        move(inspection, InspectionStatus.PUBLISHED, lead_in_moderation(inspection))
        document = render_document(inspection, report_for(inspection))
        day = published_on(inspection)
        transaction.set_rollback(True)
    return document, day


def test_the_published_pdf_reads_in_the_printed_order_with_its_front_matter(published_document):
    document, day = published_document
    pages = page_texts(document)
    month = day.strftime("%B %Y")
    # The cover: the publication month, as printed ("HM Inspectorate of Probation, June 2023").
    assert f"HM Inspectorate of Probation, {month}" in pages[0]
    assert pages[1].startswith("Contents")
    # The front matter after the contents: acknowledgements, the Inspectorate's role, copyright
    # with the publication year, the licence, the publisher and the ISBN.
    front = pages[2]
    for words in (
        "Acknowledgements This inspection was led by HM Inspector Billy Finnegan",
        "The role of HM Inspectorate of Probation HM Inspectorate of Probation is the "
        "independent inspector",
        "the names in the practice examples have been changed",
        f"© Crown copyright {day.year}",
        "under the terms of the Open Government Licence",
        "This publication is available for download at: www.justiceinspectorates.gov.uk",
        "Published by: HM Inspectorate of Probation 1st Floor Civil Justice Centre 1 Bridge "
        "Street West Manchester M3 3FX",
        "ISBN: 978-1-915468-66-6",
    ):
        assert words in front, words
    assert pages[3].startswith("Foreword")
    # The annexe last.
    assert pages[-1].startswith("Annexe one – Web links")
    # A published report has no draft mark anywhere.
    assert not [n for n, page in enumerate(document.pages, 1) if margin(page, "@top-right")]

    # Footnotes at the foot of the page citing them, as printed: the background's four, and
    # each case-rated standard's own note on how it is rated (repeated per standard).
    background = next(n for n, text in enumerate(pages) if text.startswith("Background"))
    assert "28.7¹ per cent" in pages[background]
    notes = footnotes_of(document.pages[background])
    assert notes.startswith("¹ Source: Ministry of Justice. (January 2023).")
    assert "⁴ The framework is designed to assist regions" in notes
    for number, code in zip("⁵⁶⁷⁸⁹", ("2.1", "2.2", "2.3", "2.4", "2.5"), strict=True):
        page = next(
            p
            for p in document.pages
            if f"Our rating{number} for" in " ".join(text_of(flow(p)).split())
        )
        assert f"{number} The rating for the standard is driven by" in footnotes_of(page), code
    assert "Footnotes" not in [text.split(" ")[0] for text in pages]


def test_the_reference_pdf_tables(published_document):
    """Captions stay with their table, row headers are plain (only the rating's lowest key
    question bold), and a group hidden in every row is left out with one note saying why."""
    document, _ = published_document
    assert orphaned_captions(document) == []
    row_headers = [
        box
        for page in document.pages
        for box in flow(page).descendants()
        if isinstance(box, boxes.TableCellBox)
        and box.element_tag == "th"
        and box.element.get("scope") == "row"
    ]
    bold = {text_of(box).split(" ")[0] for box in row_headers if box.style["font_weight"] >= 700}
    # The lowest key question of each case-rated standard: what drives its rating.
    assert bold == {"2.1.1", "2.2.3", "2.3.3", "2.4.2", "2.5.3"}
    assert len(row_headers) > 100

    text = " ".join(page_texts(document))
    assert (
        "By gender Hidden for every key question, so not shown: Male (to protect a group of "
        "fewer than 5); Female (fewer than 5 relevant cases)." in text
    )
    captions = [caption for page in document.pages for caption, _ in tables_on(page)]
    assert "By gender" not in captions and "By sentence type" in captions
    # A cell hidden in a column that shows figures elsewhere says only "Hidden" (the rule is
    # stated once, above the tables).
    cells = [
        text_of(box)
        for page in document.pages
        for box in flow(page).descendants()
        if isinstance(box, boxes.TableCellBox) and box.element_tag == "td"
    ]
    assert "Hidden" in cells and not [cell for cell in cells if "protect" in cell]


def test_pdfua_finds_no_table_scope_warnings_in_the_reference_pdf(published, tmp_path):
    """Header cells carry /Scope (reports/exports/pdf.header_scopes): pdfua's UA-15-003."""
    path = tmp_path / "reference.pdf"
    path.write_bytes(build_pdf(published, report_for(published)))
    report = validate(str(path))
    print(
        f"\npdfua {report.exit_code}: "
        + ", ".join(f"{f.rule_id} {f.severity.name} {f.message}" for f in report.findings)
    )
    assert not [f for f in report.findings if f.rule_id == "UA-15-003"]
    assert report.findings == () or list(report.findings) == []


def test_the_check_finds_the_orphaned_captions_the_old_stylesheet_left(published):
    """So the check above can fail: without keeping captions with their tables (as before issue
    18, which found two at the foot of a page), some caption is left at a page's foot."""
    old = Path(finders.find("css/pdf.css")).read_text(encoding="utf-8")
    for rule in (
        ".app-table-keep, .app-table-scroll { page-break-inside: avoid; break-inside: avoid; }",
        " page-break-after: avoid; break-after: avoid;",
    ):
        assert rule in old
        old = old.replace(rule, "")
    document = HTML(string=pdf_html(published, report_for(published))).render(
        stylesheets=[CSS(string=old)]
    )
    orphans = orphaned_captions(document)
    print(f"\nwithout the rules: {orphans}")
    assert orphans


def test_a_table_longer_than_a_page_says_continued_on_the_next(published):
    """The case-level items made 90 rows long: its header repeats, and each page it continues
    on says "Case-level findings (continued)" at its head; no other page does."""
    report = report_for(published)
    group = report.item_groups[-1]
    assert group.title == "Case-level findings"
    long_group = dataclasses.replace(
        group,
        figures=tuple(
            dataclasses.replace(f, question=dataclasses.replace(f.question, code=f"{f.code}{n}"))
            for n in range(15)
            for f in group.figures
        ),
    )
    report = dataclasses.replace(report, item_groups=(*report.item_groups[:-1], long_group))
    document = render_document(published, report)
    assert orphaned_captions(document) == []
    on = [
        number
        for number, page in enumerate(document.pages)
        for caption, rows in tables_on(page)
        if rows and caption in ("Case-level findings", "") and "C.a" in text_of(flow(page))
    ]
    assert len(on) >= 3
    heads = [margin(page, "@top-left") for page in document.pages]
    assert heads[on[0]] == ""
    for number in on[1:]:
        assert heads[number] == "Case-level findings (continued)", number
    assert heads[on[-1] + 1] == ""
    assert {head for n, head in enumerate(heads) if n not in on[1:]} == {""}


def test_a_draft_says_so_on_every_page(reference_inspection):
    document = render_document(reference_inspection, report_for(reference_inspection))
    assert {margin(page, "@top-right") for page in document.pages} == {DRAFT}
    cover = page_texts(document)[0]
    assert "Draft: not published. Figures may change." in cover
    assert "HM Inspectorate of Probation," not in cover
    # Its copyright is this year's; it has no publication date yet.
    assert f"© Crown copyright {datetime.date.today().year}" in page_texts(document)[2]


def test_a_footnote_cited_only_in_another_footnote_is_listed_at_the_end_of_the_pdf():
    """Every other footnote is printed at the foot of the page citing it; one first cited in a
    footnote's own text has no such page, so the PDF lists it under "Footnotes"."""
    notes = (
        Note(1, (Run("See also "), Run(footnote=2, first=True), Run("."))),
        Note(2, (Run("The second."),)),
        Note(3, (Run("Cited again"), Run(footnote=2))),
    )
    assert [note.number for note in cited_only_in_footnotes(notes)] == [2]
