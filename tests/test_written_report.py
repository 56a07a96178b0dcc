"""The written report in the results model, on the page and in the record (issue 11)."""

import copy
import html

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bundles.importer import import_bundle
from cases.models import Answer
from cases.saving import Submitted, save_answers
from inspection.choices import InspectionStatus
from inspection.lifecycle import TransitionRefused
from inspection.models import (
    ContextFact,
    Footnote,
    RatingWording,
    ReportImprint,
    ReportItem,
    ReportPart,
    ReportSigning,
    ReportSubsection,
    Standard,
)
from reports import plain_data
from reports import report_writing as writing
from reports.models import PublishedReport
from reports.number_check import check_numbers
from reports.prose import plain_text
from reports.publication import differences, latest_record, record_name, stored_report
from reports.publishing import move, publish_blockers
from reports.report_model import Report, build_report
from reports.report_texts import report_texts
from reports.written import written_texts
from tests.lock_helpers import verify_output
from tests.page_text import page_text
from tests.record_helpers import publish_as_before
from tests.report_helpers import LOWEST_SCORE_TYPED, word_rating_sentence

SENTENCE = "Child safeguarding information sharing did not take place in {} out of 17 relevant"


def report_page(client, inspection) -> str:
    response = client.get(reverse("reports:report", args=[inspection.pk]))
    assert response.status_code == 200
    return page_text(response.content.decode())


@pytest.mark.django_db
def test_changing_a_cited_answer_changes_the_sentence_citing_it(
    client, admin_user, reference_bundle_data
):
    """A copy of the reference inspection: one case's 2.2.3.d changed from yes to no, and the
    sentence citing {2.2.3.d:no_count} reads 10 (house style: figures from 10), not nine; the
    original is as it was."""
    original = import_bundle(copy.deepcopy(reference_bundle_data))
    changed = import_bundle(copy.deepcopy(reference_bundle_data))
    client.force_login(admin_user)
    assert SENTENCE.format("nine") in report_page(client, changed)

    answer = (
        Answer.objects.filter(case__inspection=changed, question__code="2.2.3.d", value="yes")
        .select_related("case", "question")
        .first()
    )
    submitted = Submitted(answer.question_id, "2.2.3.d", "no", None, answer.version, "yes", None)
    result = save_answers(answer.case, [submitted], admin_user, reason="Checked again")
    assert not result.conflicts and not result.needs_reason

    text = report_page(client, changed)
    assert SENTENCE.format("10") in text
    assert SENTENCE.format("nine") not in text
    assert SENTENCE.format("nine") in report_page(client, original)


def without_written_report(inspection):
    """The reference inspection with its written report taken away, for tests writing their own."""
    ReportSubsection.objects.filter(inspection=inspection).delete()
    for model in (ContextFact, Footnote, ReportSigning):
        model.objects.filter(inspection=inspection).delete()
    return inspection


def _standard(inspection, code):
    return Standard.objects.get(domain__framework=inspection.framework, code=code)


def _subsection(inspection, part, *, code=None, heading="", order=0):
    return ReportSubsection.objects.create(
        inspection=inspection,
        part=part,
        standard=_standard(inspection, code) if code else None,
        heading=heading,
        order=order,
    )


def _item(subsection, text, *, list_name="body", kind="text", order=0):
    return ReportItem.objects.create(
        subsection=subsection, list=list_name, kind=kind, text=text, order=order
    )


@pytest.mark.django_db
def test_the_written_report_in_the_results_model(reference_inspection):
    report = build_report(reference_inspection)
    text = report.text
    assert text.signatory == "Justin Russell"
    assert plain_text(text.foreword[0].body[0].runs).startswith("There were a number of")
    # Footnotes: the background's facts and note first, then each case-rated standard's note.
    notes = [plain_text(n.runs) for n in text.footnotes]
    assert notes[0].startswith("Source: Ministry of Justice. (January 2023).")
    assert notes[3].startswith("The framework is designed to assist regions")
    assert text.standard("2.1").rating_note == 5
    assert notes[4] == (
        "The rating for the standard is driven by the score for the key question, which is "
        "placed in a rating band."
    )
    assert text.standard("2.3").rating_note == 7
    assert "indicated in bold in the table" in notes[6]
    assert text.standard("2.6").rating_note is None  # outcomes: not rated
    # Domain 1's strengths are the written report's, and the workbook's list reads them.
    leadership = next(s for s in report.organisation if s.standard.code == "1.1")
    first = text.standard("1.1").subsections[0]
    assert leadership.strengths == tuple(plain_text(p.runs) for p in first.strengths)
    # A quote belongs to the bullet before it.
    quoted = [
        point
        for standard in text.standards
        for sub in standard.subsections
        for point in sub.strengths + sub.areas
        if point.quotes
    ]
    assert quoted and all(point.runs for point in quoted)
    # Stored and read back exactly.
    assert plain_data.load(Report, plain_data.dump(report)) == report


@pytest.mark.django_db
def test_quotes_follow_their_bullet_and_one_first_in_a_list_stands_alone(reference_inspection):
    without_written_report(reference_inspection)
    sub = _subsection(reference_inspection, ReportPart.STANDARD, code="1.4", heading="Feedback")
    _item(sub, "Said first.", list_name="strengths", kind="quote", order=0)
    _item(sub, "Most felt safe ({2.2.3}).", list_name="strengths", order=1)
    _item(sub, "I felt safe.", list_name="strengths", kind="quote", order=2)
    _item(sub, "So did I.", list_name="strengths", kind="quote", order=3)
    written = build_report(reference_inspection).text.standard("1.4").subsections[0]
    assert [plain_text(p.runs) for p in written.strengths] == ["", "Most felt safe (52 per cent)."]
    assert [plain_text(q.runs) for q in written.strengths[1].quotes] == [
        "I felt safe.",
        "So did I.",
    ]
    assert [plain_text(q.runs) for q in written.strengths[0].quotes] == ["Said first."]


@pytest.mark.django_db
def test_the_page_renders_the_report_in_the_published_order(
    client, admin_user, reference_inspection
):
    client.force_login(admin_user)
    html = client.get(reverse("reports:report", args=[reference_inspection.pk])).content.decode()
    # As printed: the acknowledgements in the front matter, the annexe last.
    order = [
        'id="acknowledgements"',
        'id="role-of-the-inspectorate"',
        "ISBN: 978-1-915468-66-6",
        'id="foreword"',
        "Justin Russell",
        'id="ratings"',
        'id="recommendations"',
        'id="background"',
        'id="standard-1-1"',
        'id="standard-2-1"',
        "Our rating",
        'id="standard-2-6"',
        'id="footnotes"',
        'id="annexe"',
    ]
    positions = [html.index(marker) for marker in order]
    assert positions == sorted(positions)
    # Footnote marks link to their footnote, which links back to the first citation.
    assert 'href="#footnote-1" id="footnote-ref-1" aria-label="Footnote 1">¹</a>' in html
    assert 'id="footnote-1" value="1">' in html and 'href="#footnote-ref-1"' in html
    text = page_text(html)
    assert "The reoffending rate for Blackburn with Darwen is 28.7¹ per cent" in text
    assert (
        "Our rating⁶ for assessment is based on the percentage of cases we inspected being "
        "judged satisfactory against three key questions:" in text
    )
    assert (
        "Blackburn with Darwen PDU is rated as 'Good' for planning as the lowest score of the "
        "three questions was 67 per cent." in text
    )
    # The lead's wording of 2.2's rating sentence replaces the one made from the results.
    assert (
        "Blackburn with Darwen PDU is rated as 'Requires improvement' for assessment as the "
        "lowest score out of the three questions was 52 per cent. This related to whether" in text
    )
    assert "for assessment as the lowest score of the three questions was" not in text
    assert "Our rating⁵ for court work" in text and "against the key question:" in text
    # Links only to http(s) addresses, emphasis as <em>.
    assert '<a class="govuk-link" href="https://justiceinspectorates.gov.uk">' in html
    assert "<em>Proven reoffending statistics: April 2020 to March 2021</em>" in html


@pytest.mark.django_db
def test_the_report_is_built_in_the_same_number_of_queries_however_long_it_is(
    reference_inspection,
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            build_report(reference_inspection)
        return len(captured)

    # With the reference's written report, with none, and with 100 more paragraphs.
    with_text = queries()
    without_written_report(reference_inspection)
    without = queries()
    assert with_text == without
    for order in range(20):
        sub = _subsection(reference_inspection, ReportPart.BACKGROUND, heading="x", order=order)
        for n in range(5):
            _item(sub, f"Paragraph {n} cites {{2.2.3}}.", order=n)
    assert queries() == without


@pytest.mark.django_db
def test_a_record_stored_before_the_written_report_reads_and_verifies(published):
    record = latest_record(published.pk)
    old = copy.deepcopy(record.results)
    old.pop("text")
    old.pop("evidence")
    for section in old["case_supervision"]:
        if section["rating_sentence"]:
            # In the wording of its day.
            section["rating_sentence"] = section["rating_sentence"].replace(
                "of the three questions", "of its 3 key questions"
            )
    report = stored_report(published, old)
    assert report.text.footnotes == () and report.evidence == ()
    assert differences(published) == []


@pytest.mark.django_db
def test_an_old_record_without_text_shows_the_rating_basis_in_the_sentence(reference_inspection):
    """The template's fallback for a report with no rating notes (a record stored before)."""
    from django.template.loader import render_to_string

    report = build_report(reference_inspection)
    old = plain_data.load(Report, {**plain_data.dump(report), "text": {}})
    html = render_to_string(
        "reports/_report_body.html",
        {
            "inspection": reference_inspection,
            "report": old,
            "summary": old,
            "facts": old.facts,
            "for_pdf": True,
            "pdf_notes": old.text.footnotes,
        },
    )
    text = page_text(html)
    assert (
        "Our rating for assessment is based on the percentage of cases we inspected being "
        "judged satisfactory against three key questions. The rating for the standard is driven "
        "by the lowest score on each of the key questions" in text
    )
    assert 'id="footnotes"' not in html and 'id="foreword"' not in html


@pytest.mark.django_db
def test_a_record_stored_before_the_isbn_and_worded_rating_sentences_reads_as_it_was(published):
    """Its text has neither: it prints no ISBN and the rating sentences made from its results."""
    record = latest_record(published.pk)
    old = copy.deepcopy(record.results)
    old["text"].pop("isbn")
    for standard in old["text"]["standards"]:
        standard.pop("rating_sentence")
    report = stored_report(published, old)
    assert report.text.isbn == "" and report.text.standard("2.2").rating_sentence == ()
    html = render_to_string(
        "reports/_report_body.html",
        {
            "inspection": published,
            "report": report,
            "summary": report,
            "facts": report.facts,
            "pdf_notes": (),
        },
    )
    text = page_text(html)
    assert "ISBN" not in text
    assert (
        "Blackburn with Darwen PDU is rated as 'Requires improvement' for assessment as the "
        "lowest score of the three questions was 52 per cent." in text
    )
    assert differences(published) == []


def as_before_the_front_matter(results: dict) -> dict:
    """Today's results as a record stored before the front matter: no ISBN, no worded rating
    sentences, and its footnotes numbered in the reading order of its day (foreword, background,
    each standard with its rating note first, acknowledgements, annexe; then those cited only in
    a footnote), each mark first or not in that order."""
    old = copy.deepcopy(results)
    text = old["text"]
    text.pop("isbn")
    order: list[int] = []

    def cite(value):
        if isinstance(value, list):
            for item in value:
                cite(item)
        elif isinstance(value, dict):
            if value.get("footnote"):
                value["first"] = value["footnote"] not in order
                order.append(value["footnote"]) if value["first"] else None
            for item in value.values():
                cite(item)

    cite(text["foreword"])
    cite(text["background"])
    for standard in text["standards"]:
        standard.pop("rating_sentence")
        if standard["rating_note"]:
            order.append(standard["rating_note"])
        cite(standard["subsections"])
    cite(text["acknowledgements"])
    cite(text["annexe"])
    notes = {note["number"]: note for note in text["footnotes"]}
    for number in order:  # grows as a footnote cites one not cited before
        cite(notes[number]["runs"])
    number_of = {today: n for n, today in enumerate(order, start=1)}

    def renumbered(value):
        if isinstance(value, list):
            return [renumbered(item) for item in value]
        if not isinstance(value, dict):
            return value
        value = {key: renumbered(item) for key, item in value.items()}
        for key in ("footnote", "rating_note", "number"):
            if value.get(key) and ("runs" in value or key != "number"):
                value[key] = number_of[value[key]]
        return value

    old["text"] = renumbered(text)
    old["text"]["footnotes"].sort(key=lambda note: note["number"])
    return old


def thanks_mark(text: dict) -> int:
    return next(
        run["footnote"]
        for subsection in text["acknowledgements"]
        for passage in subsection["body"]
        for run in passage["runs"]
        if run["footnote"]
    )


@pytest.mark.django_db
@pytest.mark.parametrize("reworded", [False, True], ids=["as-stored", "footnote-reworded"])
def test_a_record_stored_before_the_front_matter_verifies_by_what_its_footnotes_say(
    reference_inspection, lead, reworded
):
    """Stored before the acknowledgements came first in reading order (so a footnote they cite
    was numbered after the standards' own), and before ISBNs and worded rating sentences (its
    inspection has neither): verify compares its footnotes by what they say and where they are
    cited, says that their numbers were not compared, and still finds one that says otherwise."""
    ReportImprint.objects.filter(inspection=reference_inspection).delete()
    RatingWording.objects.filter(inspection=reference_inspection).delete()
    writing.set_footnote(
        reference_inspection, key="thanks", text="Staff of the PDU and its partners.", by=lead
    )
    acknowledgements = ReportSubsection.objects.get(
        inspection=reference_inspection, part=ReportPart.ACKNOWLEDGEMENTS
    )
    writing.add_item(
        acknowledgements, list="body", kind="text", text="With thanks.{note:thanks}", by=lead
    )

    def reshaped(results):
        old = as_before_the_front_matter(results)
        if reworded:
            note = old["text"]["footnotes"][thanks_mark(old["text"]) - 1]
            note["runs"][0]["text"] = "Staff of the PDU."
        return old

    _, record = publish_as_before(reference_inspection, lead, reshaped=reshaped, tied=True)
    stored = PublishedReport.objects.get(pk=record)
    live = plain_data.dump(build_report(reference_inspection))["text"]
    # Today the acknowledgements' footnote is the first; then it was the last of ten.
    assert thanks_mark(live) == 1 and len(live["footnotes"]) == 10
    assert thanks_mark(stored.results["text"]) == 10
    assert stored.results["text"]["standards"][4]["rating_note"] == 5  # 2.2's: 6 today

    out, error = verify_output()
    name = record_name(stored)
    notes = [
        f"  note: {name} was stored before the checksum chain",
        f"  note: {name} was stored before the acknowledgements came first in reading order: its "
        "footnotes are compared by what they say and where they are cited, not by their numbers",
        f"  note: {name} was stored before case digests were kept: its figures are checked, "
        "its cases are not",
    ]
    heading = f"Inspection {reference_inspection.pk} ({reference_inspection})"
    if not reworded:
        assert error == ""
        assert out.splitlines() == [
            f"{heading}: as published",
            *notes,
            "All 1 published inspections are as published.",
        ]
    else:
        assert error == "1 published inspection(s) differ from their record"
        assert out.splitlines() == [
            f"{heading}: DIFFERS",
            *(
                f"  results.text.{path}: stored 'Staff of the PDU.', now 'Staff of the PDU and "
                "its partners.'"
                for path in (
                    "acknowledgements[0].body[1].runs[1].footnote",
                    # In the order of what they say: "Source: ...", "Source: ...", "Staff ...".
                    "footnotes[2].runs[0].text",
                    "footnotes[2].says",
                )
            ),
            *notes,
        ]


@pytest.mark.django_db
def test_number_check_reads_the_leads_rating_sentences(reference_inspection, lead):
    word_rating_sentence(reference_inspection, "2.5", LOWEST_SCORE_TYPED, lead)
    found = check_numbers(reference_inspection, build_report(reference_inspection)).flagged
    assert ("2.5 Reviewing: rating sentence", "99.5 per cent") in [
        (n.where, n.written) for n in found
    ]


@pytest.mark.django_db
def test_the_checks_before_publishing_place_every_text_of_the_report(reference_inspection):
    """Every kind of text reports/report_texts.py defines (the reference has each) is read
    and placed by the number check and the citation check."""
    stored = report_texts(reference_inspection)
    assert all((stored.items, stored.rating_wordings, stored.facts, stored.footnotes))
    codes = [s.code for s in build_report(reference_inspection).standards]
    placed = written_texts(stored, codes)
    assert sorted(text.text for text in placed) == sorted(stored.texts())
    assert "2.4 Implementation and delivery: rating sentence" in [text.place for text in placed]


@pytest.mark.django_db
def test_publishing_keeps_the_written_report(published_with_text):
    record = latest_record(published_with_text.pk)
    assert record.results["text"]["signatory"] == "Justin Russell"
    assert differences(published_with_text) == []


@pytest.fixture
def published_with_text(reference_inspection, lead):
    move(reference_inspection, InspectionStatus.PUBLISHED, lead)
    return reference_inspection


@pytest.mark.django_db
def test_a_citation_broken_after_it_was_saved_stops_publishing_by_name(
    reference_inspection, lead, client
):
    """The reference cites {fact:reoffending}: removing the fact leaves the text unrenderable,
    so publishing is refused naming the text, and the number-check page lists it."""
    assert publish_blockers(reference_inspection) == []
    writing.remove_fact(reference_inspection, key="reoffending", by=lead)
    blockers = publish_blockers(reference_inspection)
    assert blockers == [
        "Written report, Background: paragraph 3: {fact:reoffending}: there is no context "
        "fact 'reoffending'"
    ]
    with pytest.raises(TransitionRefused):
        move(reference_inspection, InspectionStatus.PUBLISHED, lead)
    client.force_login(lead)
    page = client.get(reverse("reports:number_check", args=[reference_inspection.pk]))
    assert blockers[0] in html.unescape(page.content.decode())
