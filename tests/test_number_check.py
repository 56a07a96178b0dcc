"""The number check (issue 18): each number typed by hand is read as the figure it states and
checked against the figures of its own standard or part; the lead confirms the ones that match
nothing, one by one; publishing is refused for each not confirmed, and for each citation that
renders no figure."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspection.choices import AuditKind, InspectionStatus
from inspection.lifecycle import TransitionRefused
from inspection.models import (
    AuditEntry,
    ConfirmedNumber,
    Domain1Judgement,
    ReportItem,
    ReportPart,
    Standard,
)
from reports import report_writing as writing
from reports.confirmed_numbers import confirm_number, withdraw_confirmation
from reports.evidence import Tally, record_tallies
from reports.number_check import check_numbers
from reports.publishing import move, publish_blockers
from reports.report_model import build_report
from reports.typed_numbers import COUNT, PAIR, PERCENT, hand_written_numbers, number_value
from tests.page_text import page_text
from tests.report_helpers import LOWEST_SCORE_TYPED, word_rating_sentence

# The reference report's numbers typed by hand that match no figure of their part: real
# published context, each confirmed in the reference bundle.
REFERENCE_FLAGGED = [
    ("1.2 Staff: strength 3", "95.3 per cent"),
    ("1.2 Staff: strength 3", "69.5 per cent"),
    ("1.2 Staff: strength 4", "four per cent"),
    ("1.2 Staff: strength 5", "6.2"),
    ("1.2 Staff: strength 5", "10.5"),
    ("1.2 Staff: area for improvement 5", "11"),
    ("1.3 Services: strength 3", "79"),
    ("1.3 Services: strength 3", "12"),
    ("1.3 Services: strength 3", "21.5 per cent"),
    ("1.3 Services: strength 3", "28.8 per cent"),
    ("1.3 Services: strength 8", "76 per cent"),
    ("2.1 Court work: area for improvement 2", "11"),
    ("2.4 Implementation and delivery: strength 1", "100 per cent"),
]


def read(text: str) -> list[tuple]:
    return [(n.written, n.kind, n.value, n.of) for n in hand_written_numbers(text)]


# Reading numbers typed by hand (pure)


def test_pairs_percentages_and_counts_are_read_by_kind():
    text = (
        "Six out of ten, seven out of 9 and 12 out of twenty-one; 73 per cent, 58%, four "
        "percent and Twenty per cent; 24,167 people and 6.2 days."
    )
    assert read(text) == [
        ("Six out of ten", PAIR, 6, 10),
        ("seven out of 9", PAIR, 7, 9),
        ("12 out of twenty-one", PAIR, 12, 21),
        ("73 per cent", PERCENT, 73, None),
        ("58%", PERCENT, 58, None),
        ("four percent", PERCENT, 4, None),
        ("Twenty per cent", PERCENT, 20, None),
        ("24,167", COUNT, 24167, None),
        ("6.2", COUNT, 6.2, None),
    ]
    first = hand_written_numbers(text)[2]
    assert text[first.position : first.position + len(first.written)] == "12 out of twenty-one"


def test_a_ten_and_its_unit_apart_are_one_number_and_white_space_is_one_space():
    """ "twenty one" was read as "one"; a pair across a line break is kept as one line, as its
    confirmation keeps it."""
    assert read("Twenty one out of thirty; thirty  one per cent; six\nout of\r\nten.") == [
        ("Twenty one out of thirty", PAIR, 21, 30),
        ("thirty one per cent", PERCENT, 31, None),
        ("six out of ten", PAIR, 6, 10),
    ]


def test_number_words_are_figures_only_where_they_state_one():
    assert read("One of the PDU's two offices had eleven teams and seventeen rooms.") == []
    assert read("seventeen out of nineteen; eleven per cent") == [
        ("seventeen out of nineteen", PAIR, 17, 19),
        ("eleven per cent", PERCENT, 11, None),
    ]


def test_years_dates_ordinals_codes_and_numbers_joined_to_words_are_not_figures():
    text = (
        "In 2023, from 27 March 2023 to April 4, on the 1st floor, code 2.2.3, after Covid-19, "
        "a 12-month order for 18–25-year-olds; 10 may be late."
    )
    assert read(text) == [("10", COUNT, 10, None)]


def test_citations_and_link_addresses_are_not_typed_but_link_text_is():
    text = "{2.2.3} cited, {2.2.3.d:yes} out of 17, [21 cases](https://e.org/2021/5) linked."
    assert read(text) == [("17", COUNT, 17, None), ("21", COUNT, 21, None)]


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("24,167", 24167),
        ("6.2", 6.2),
        ("nine", 9),
        ("Twenty-one", 21),
        ("twenty one", 21),
        ("ninety", 90),
    ],
)
def test_number_value(written, value):
    assert number_value(written) == value


@pytest.mark.parametrize(
    "written", ["", "nine and a half", "twenty-ten", "twenty ten", "twenty one two", "9%"]
)
def test_number_value_of_anything_else_is_none(written):
    assert number_value(written) is None


# Checking them against their own part's figures


def add_text(inspection, lead, text, *, code=None, part=ReportPart.STANDARD, list="body"):
    standard = (
        Standard.objects.get(domain__framework=inspection.framework, code=code) if code else None
    )
    subsection = writing.add_subsection(
        inspection, part=part, standard=standard, heading="Checked", by=lead
    )
    return writing.add_item(subsection, list=list, kind="text", text=text, by=lead)


def flagged(inspection, place_starts: str = "") -> list[tuple[str, str, str]]:
    check = check_numbers(inspection, build_report(inspection))
    return [
        (n.where, n.written, n.scope) for n in check.to_confirm if n.where.startswith(place_starts)
    ]


SENTENCE = (
    "Assessed well in 73 per cent of cases; six out of ten were seen, seven out of nine were "
    "late and 58 per cent were surveyed."
)


@pytest.mark.django_db
def test_numbers_matching_no_figure_of_their_standard_are_flagged(reference_inspection, lead):
    """The issue's numbers: anywhere among the inspection's hundreds of figures, "seven out of
    nine" (2.1.1.f) and "58 per cent" (a survey result) were matched; not in standard 2.2."""
    add_text(reference_inspection, lead, SENTENCE, code="2.2")
    place = "2.2 Assessment (Checked): paragraph 1"
    assert flagged(reference_inspection, "2.2") == [
        (place, "73 per cent", "standard 2.2"),
        (place, "six out of ten", "standard 2.2"),
        (place, "seven out of nine", "standard 2.2"),
        (place, "58 per cent", "standard 2.2"),
    ]


@pytest.mark.django_db
def test_a_standards_code_is_not_a_number_but_a_decimal_or_percentage_still_is(
    reference_inspection, lead
):
    add_text(
        reference_inspection,
        lead,
        "As in 2.3 and 1.4, leaders see 2.2's gaps; 2.3 per cent and 7.5 were typed.",
        code="2.2",
    )
    assert [w for _, w, _ in flagged(reference_inspection, "2.2 Assessment (Checked)")] == [
        "2.3 per cent",
        "7.5",
    ]


@pytest.mark.django_db
def test_the_same_numbers_hold_where_they_are_figures_of_the_part(reference_inspection, lead):
    add_text(reference_inspection, lead, SENTENCE, code="2.1")  # 7 of 9 is 2.1.1.f
    add_text(reference_inspection, lead, SENTENCE, part=ReportPart.FOREWORD)
    assert [w for _, w, _ in flagged(reference_inspection, "2.1 Court work (Checked)")] == [
        "73 per cent",
        "six out of ten",
        "58 per cent",
    ]
    # The foreword holds every figure of the inspection: 58 per cent is a survey result.
    assert [w for _, w, _ in flagged(reference_inspection, "Foreword (Checked)")] == [
        "73 per cent",
        "six out of ten",
    ]


@pytest.mark.django_db
def test_a_pair_must_be_a_count_of_its_part_not_two_numbers_each_matching(
    reference_inspection, lead
):
    """2.2.3.d is 8 of 17 (nine not): "nine out of 17" holds; 21 and 8 are each counts of
    2.2, but "eight out of 21" is none of its pairs."""
    add_text(
        reference_inspection, lead, "Nine out of 17, 8 out of 17, eight out of 21.", code="2.2"
    )
    assert [w for _, w, _ in flagged(reference_inspection, "2.2")] == ["eight out of 21"]


@pytest.mark.django_db
def test_what_a_standard_s_text_cites_holds_there(reference_inspection, lead):
    """Evidence questions and items name no standard: their figures hold where they are cited.
    A context fact's value holds where it is cited, and in the parts that are no standard."""
    survey = "{evidence:pop_survey.released} had been released: 58 per cent of those asked."
    add_text(reference_inspection, lead, survey, code="1.3")
    add_text(reference_inspection, lead, "58 per cent had been released.", code="1.2")
    add_text(reference_inspection, lead, "{C.b} kept one: 14 out of 20 cases.", code="2.4")
    add_text(reference_inspection, lead, "14 out of 20 cases kept one.", code="2.5")
    add_text(
        reference_inspection, lead, "Reoffending: {fact:reoffending}, or 28.7 per cent.", code="2.2"
    )
    add_text(reference_inspection, lead, "Reoffending was 28.7 per cent.", code="2.3")
    add_text(reference_inspection, lead, "Reoffending was 28.7 per cent.", part=ReportPart.ANNEXE)
    found = [(w, s) for place, w, s in flagged(reference_inspection) if "(Checked)" in place]
    assert found == [
        ("58 per cent", "standard 1.2"),
        ("28.7 per cent", "standard 2.3"),
        ("14 out of 20", "standard 2.5"),
    ]


@pytest.mark.django_db
def test_a_standard_s_rating_numbers_hold_in_it(reference_inspection, lead):
    """Its key questions (3), the points its rating scores (Requires improvement: 1) and the
    framework's thresholds (65 per cent for Good)."""
    text = "Rated on 3 key questions, for 1 point; Good needs 65 per cent, and 66 per cent is not."
    add_text(reference_inspection, lead, text, code="2.2")
    assert [w for _, w, _ in flagged(reference_inspection, "2.2")] == ["66 per cent"]


@pytest.mark.django_db
def test_the_check_takes_five_queries_however_long_the_report(reference_inspection, lead):
    report = build_report(reference_inspection)
    with CaptureQueriesContext(connection) as before:
        check_numbers(reference_inspection, report)
    for code in ("1.1", "2.2", "2.5"):
        for _ in range(5):
            add_text(reference_inspection, lead, SENTENCE, code=code)
    with CaptureQueriesContext(connection) as after:
        check = check_numbers(reference_inspection, report)
    # Facts, confirmations, items, the lead's rating sentences, footnotes.
    assert len(before) == len(after) == 5
    assert len(check.to_confirm) == 15 * 4  # the sentence's four numbers, in each of 15 texts


@pytest.mark.django_db
def test_the_reference_bundle_confirms_each_number_the_check_flags(reference_inspection):
    check = check_numbers(reference_inspection, build_report(reference_inspection))
    assert [(n.where, n.written) for n in check.flagged] == REFERENCE_FLAGGED
    assert check.to_confirm == []
    assert publish_blockers(reference_inspection) == []


# Confirming them one by one


def first_flagged(inspection):
    return check_numbers(inspection, build_report(inspection)).to_confirm[0]


def confirm(inspection, number, by):
    return confirm_number(
        inspection, place=number.where, written=number.written, text=number.text, by=by
    )


@pytest.mark.django_db
def test_a_confirmed_number_is_shown_apart_audited_and_publishes(reference_inspection, lead):
    item = add_text(reference_inspection, lead, "Seen in 73 per cent of cases.", code="2.2")
    number = first_flagged(reference_inspection)
    assert (number.where, number.written) == (
        "2.2 Assessment (Checked): paragraph 1",
        "73 per cent",
    )
    problem = (
        "2.2 Assessment (Checked): paragraph 1: '73 per cent' matches no figure of standard 2.2 "
        "and is not confirmed"
    )
    assert publish_blockers(reference_inspection) == [problem]

    confirmation = confirm(reference_inspection, number, lead)
    assert confirm(reference_inspection, number, lead) == confirmation  # again: no change
    check = check_numbers(reference_inspection, build_report(reference_inspection))
    assert check.to_confirm == []
    assert check.find(number.text_digest, "73 per cent").confirmation == confirmation.pk
    assert len(check.confirmed) == len(REFERENCE_FLAGGED) + 1
    entry = AuditEntry.objects.get(
        inspection=reference_inspection,
        subject="Number check: 2.2 Assessment (Checked): paragraph 1: '73 per cent'",
    )
    assert (entry.kind, entry.old_value, entry.new_value, entry.user) == (
        AuditKind.REPORT_TEXT,
        "",
        "Confirmed",
        lead,
    )
    move(reference_inspection, InspectionStatus.PUBLISHED, lead)
    assert ConfirmedNumber.objects.filter(pk=confirmation.pk).exists()
    assert item.text == "Seen in 73 per cent of cases."


@pytest.mark.django_db
def test_changing_the_text_flags_its_number_again(reference_inspection, lead):
    item = add_text(reference_inspection, lead, "Seen in 73 per cent of cases.", code="2.2")
    confirm(reference_inspection, first_flagged(reference_inspection), lead)
    writing.change_item(
        item,
        text="Seen in 73 per cent of all cases.",
        kind="text",
        version=item.subsection.version + 1,
        by=lead,
    )
    again = first_flagged(reference_inspection)
    assert (again.written, again.confirmation) == ("73 per cent", None)
    # Changed back, the text is the one confirmed: the confirmation holds again.
    item.refresh_from_db()
    writing.change_item(
        item,
        text="Seen in 73 per cent of cases.",
        kind="text",
        version=item.subsection.version,
        by=lead,
    )
    assert check_numbers(reference_inspection, build_report(reference_inspection)).to_confirm == []


@pytest.mark.django_db
def test_a_confirmation_is_withdrawn_and_audited(reference_inspection, lead):
    add_text(reference_inspection, lead, "Seen in 73 per cent of cases.", code="2.2")
    confirmation = confirm(reference_inspection, first_flagged(reference_inspection), lead)
    withdraw_confirmation(confirmation, by=lead)
    withdraw_confirmation(confirmation, by=lead)  # again: nothing to do
    assert first_flagged(reference_inspection).confirmation is None
    withdrawn = AuditEntry.objects.filter(
        subject="Number check: 2.2 Assessment (Checked): paragraph 1: '73 per cent'"
    ).order_by("pk")
    assert [(e.old_value, e.new_value) for e in withdrawn] == [("", "Confirmed"), ("Confirmed", "")]
    assert publish_blockers(reference_inspection)[-1].endswith("and is not confirmed")


@pytest.mark.django_db
def test_confirming_what_is_not_in_a_text_of_the_inspection_is_refused(reference_inspection, lead):
    before = ConfirmedNumber.objects.count()
    with pytest.raises(ValidationError, match="'73 per cent' is not in the text at X"):
        confirm_number(reference_inspection, place="X", written="73 per cent", text="No.", by=lead)
    with pytest.raises(ValidationError, match="has changed since the page was made"):
        confirm_number(
            reference_inspection, place="X", written="73 per cent", text="In 73 per cent.", by=lead
        )
    assert ConfirmedNumber.objects.count() == before


@pytest.mark.django_db
def test_a_pair_across_a_line_break_is_confirmed_as_a_browser_sends_it(reference_inspection, lead):
    """A browser sends a line break back as CRLF: the number is the same number."""
    add_text(reference_inspection, lead, "Seen in six\nout of ten cases.", code="2.2")
    number = first_flagged(reference_inspection)
    assert number.written == "six out of ten"
    confirmation = confirm_number(
        reference_inspection,
        place=number.where,
        written="six\r\nout of  ten",
        text=number.text,
        by=lead,
    )
    assert confirmation.written == "six out of ten"
    assert check_numbers(reference_inspection, build_report(reference_inspection)).to_confirm == []


@pytest.mark.django_db
def test_a_confirmation_s_audit_subject_is_cut_by_the_trail_alone(reference_inspection, lead):
    """A heading of 200 characters makes a place longer than the trail's subject column: the
    trail cuts it, with an ellipsis, as it cuts every subject."""
    standard = Standard.objects.get(domain__framework=reference_inspection.framework, code="2.2")
    subsection = writing.add_subsection(
        reference_inspection,
        part=ReportPart.STANDARD,
        standard=standard,
        heading="H" * 200,
        by=lead,
    )
    writing.add_item(subsection, list="body", kind="text", text="In 73 per cent.", by=lead)
    number = first_flagged(reference_inspection)
    confirm(reference_inspection, number, lead)
    entry = AuditEntry.objects.filter(inspection=reference_inspection).latest("pk")
    assert entry.new_value == "Confirmed"
    assert len(entry.subject) == 200
    assert entry.subject.startswith("Number check: 2.2 Assessment (HHH")
    assert entry.subject.endswith("H…")


@pytest.mark.django_db
def test_confirmations_are_locked_at_publication(published, lead):
    confirmation = ConfirmedNumber.objects.filter(inspection=published).first()
    item = ReportItem.objects.filter(subsection__inspection=published).first()
    with pytest.raises(PermissionDenied):
        confirm_number(published, place="X", written=item.text[:1], text=item.text, by=lead)
    with pytest.raises(PermissionDenied):
        withdraw_confirmation(confirmation, by=lead)
    with pytest.raises(PermissionDenied), transaction.atomic():
        confirmation.delete()  # the ORM's guard says why
    for sql in (
        "DELETE FROM inspection_confirmednumber WHERE id = %s",
        "UPDATE inspection_confirmednumber SET written = 'x' WHERE id = %s",
    ):
        with (
            pytest.raises(IntegrityError, match="published inspection"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [confirmation.pk])
    with (
        pytest.raises(IntegrityError, match="published inspection"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "INSERT INTO inspection_confirmednumber (inspection_id, place, written, "
            "text_digest) VALUES (%s, 'X', '1', %s)",
            [published.pk, "0" * 64],
        )
    assert ConfirmedNumber.objects.filter(inspection=published).count() == len(REFERENCE_FLAGGED)


# Publishing refused, each reason named


@pytest.mark.django_db
def test_publishing_is_refused_naming_each_unconfirmed_number(reference_inspection, lead):
    add_text(reference_inspection, lead, "Seven out of 22 were seen.", part=ReportPart.FOREWORD)
    add_text(reference_inspection, lead, SENTENCE, code="2.2")
    with pytest.raises(TransitionRefused) as refused:
        move(reference_inspection, InspectionStatus.PUBLISHED, lead)
    place = "2.2 Assessment (Checked): paragraph 1"
    assert refused.value.reasons == [
        "Foreword (Checked): paragraph 1: 'Seven out of 22' matches no figure of the "
        "inspection and is not confirmed",
        *(
            f"{place}: '{written}' matches no figure of standard 2.2 and is not confirmed"
            for written in ("73 per cent", "six out of ten", "seven out of nine", "58 per cent")
        ),
    ]
    reference_inspection.refresh_from_db()
    assert reference_inspection.status == InspectionStatus.MODERATION


@pytest.mark.django_db
def test_publishing_is_refused_naming_each_citation_with_no_figure(reference_inspection, lead):
    """A deleted tally and a standard not rated render "[no figure]" and "not yet rated": the
    reference cites both ({evidence:pop_survey.safe} in 1.4, {1.1:rating} in 1.1)."""
    record_tallies(reference_inspection, {"pop_survey.safe": Tally()}, by=lead)
    Domain1Judgement.objects.filter(standard__code="1.1").update(rating="")
    with pytest.raises(TransitionRefused) as refused:
        move(reference_inspection, InspectionStatus.PUBLISHED, lead)
    reasons = refused.value.reasons
    assert (
        "Written report, 1.1 Leadership: paragraph 1: {1.1:rating}: standard 1.1 is "
        "not rated yet" in reasons
    )
    assert (
        "Written report, 1.4 Information and facilities (Feedback from people on probation): "
        "strength 1: {evidence:pop_survey.safe}: no tally is recorded for the evidence question "
        "'pop_survey.safe'" in reasons
    )


@pytest.mark.django_db
def test_a_standard_the_framework_does_not_rate_cannot_be_cited_as_rated(
    reference_inspection, lead
):
    """2.6 (outcomes) is never rated: saving {2.6} is refused, naming it."""
    with pytest.raises(ValidationError, match="the framework does not rate standard 2.6"):
        add_text(reference_inspection, lead, "Outcomes were {2.6}.", code="2.6")


# The page: one form per number


@pytest.mark.django_db
def test_the_page_is_linked_from_the_report_and_the_publish_step(
    client, reference_inspection, lead
):
    client.force_login(lead)
    url = reverse("reports:number_check", args=[reference_inspection.pk])
    for page in ("reports:report", "inspection:status"):
        assert url in client.get(reverse(page, args=[reference_inspection.pk])).content.decode()


@pytest.fixture
def a_number_to_confirm(reference_inspection, lead):
    add_text(reference_inspection, lead, "Seen in 73 per cent of cases.", code="2.2")
    return first_flagged(reference_inspection)


@pytest.mark.django_db
def test_the_lead_confirms_and_withdraws_on_the_page(
    client, reference_inspection, lead, a_number_to_confirm
):
    client.force_login(lead)
    url = reverse("reports:number_check", args=[reference_inspection.pk])
    text = page_text(client.get(url).content.decode())
    assert "1 number typed by hand matches no figure of its part" in text
    assert "Confirm '73 per cent' at 2.2 Assessment (Checked): paragraph 1" in text
    assert "Withdraw the confirmation of '6.2' at 1.2 Staff: strength 5" in text

    response = client.post(
        reverse("reports:number_confirm", args=[reference_inspection.pk]),
        {"text_digest": a_number_to_confirm.text_digest, "written": "73 per cent"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url + "#confirmed-numbers"
    text = page_text(response.content.decode())
    assert "Confirmed '73 per cent' at 2.2 Assessment (Checked): paragraph 1" in text
    assert "Every number typed in the report matches a figure of its part, or is confirmed" in text

    confirmation = ConfirmedNumber.objects.get(written="73 per cent")
    response = client.post(
        reverse("reports:number_withdraw", args=[reference_inspection.pk]),
        {"confirmation": confirmation.pk},
        follow=True,
    )
    assert "'73 per cent' at 2.2 Assessment (Checked): paragraph 1 is to be confirmed again" in (
        page_text(response.content.decode())
    )
    assert not ConfirmedNumber.objects.filter(pk=confirmation.pk).exists()


@pytest.mark.django_db
def test_a_number_no_longer_flagged_is_not_confirmed_from_a_stale_page(
    client, reference_inspection, lead, a_number_to_confirm
):
    client.force_login(lead)
    before = ConfirmedNumber.objects.count()
    item = ReportItem.objects.get(text="Seen in 73 per cent of cases.")
    writing.change_item(
        item, text="Seen in 74 per cent.", kind="text", version=item.subsection.version, by=lead
    )
    response = client.post(
        reverse("reports:number_confirm", args=[reference_inspection.pk]),
        {"text_digest": a_number_to_confirm.text_digest, "written": "73 per cent"},
    )
    assert response.status_code == 400
    text = page_text(response.content.decode())
    assert "There is a problem '73 per cent' is no longer flagged where it was" in text
    assert "Confirm '74 per cent'" in text
    damaged = client.post(
        reverse("reports:number_confirm", args=[reference_inspection.pk]), {"written": "x"}
    )
    assert damaged.status_code == 400
    assert "The page's record of this number is damaged" in page_text(damaged.content.decode())
    gone = client.post(
        reverse("reports:number_withdraw", args=[reference_inspection.pk]), {"confirmation": 0}
    )
    assert gone.status_code == 400
    assert "That confirmation was withdrawn already" in page_text(gone.content.decode())
    assert ConfirmedNumber.objects.count() == before


@pytest.mark.django_db
def test_a_number_in_a_rating_sentence_is_confirmed_on_the_page_and_publishes(
    client, reference_inspection, lead
):
    """The lead's wording of a rating sentence is a text of the report like any other: its
    flagged number is confirmed (it was refused: "has changed since the page was made")."""
    word_rating_sentence(reference_inspection, "2.5", LOWEST_SCORE_TYPED, lead)
    number = first_flagged(reference_inspection)
    assert (number.where, number.written) == ("2.5 Reviewing: rating sentence", "99.5 per cent")
    assert publish_blockers(reference_inspection) == [number.problem]
    client.force_login(lead)
    url = reverse("reports:number_check", args=[reference_inspection.pk])
    assert "Confirm '99.5 per cent' at 2.5 Reviewing: rating sentence" in page_text(
        client.get(url).content.decode()
    )
    response = client.post(
        reverse("reports:number_confirm", args=[reference_inspection.pk]),
        {"text_digest": number.text_digest, "written": number.written},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url + "#confirmed-numbers"
    assert "Confirmed '99.5 per cent' at 2.5 Reviewing: rating sentence" in page_text(
        response.content.decode()
    )
    assert publish_blockers(reference_inspection) == []
    move(reference_inspection, InspectionStatus.PUBLISHED, lead)


@pytest.mark.django_db
def test_a_pair_across_a_line_break_is_confirmed_on_the_page(client, reference_inspection, lead):
    """The page holds the number on one line; a page made before (or any browser that sends the
    line break, as CRLF) confirms the same number."""
    add_text(reference_inspection, lead, "Seen in six\nout of ten cases.", code="2.2")
    number = first_flagged(reference_inspection)
    client.force_login(lead)
    page = client.get(reverse("reports:number_check", args=[reference_inspection.pk]))
    assert 'value="six out of ten"' in page.content.decode()
    response = client.post(
        reverse("reports:number_confirm", args=[reference_inspection.pk]),
        {"text_digest": number.text_digest, "written": "six\r\nout of ten"},
    )
    assert response.status_code == 302
    assert ConfirmedNumber.objects.filter(
        inspection=reference_inspection, written="six out of ten"
    ).exists()


@pytest.mark.django_db
def test_a_citation_with_no_figure_yet_saves_with_a_warning(client, reference_inspection, lead):
    """A tally may still be recorded: the text saves, the lead is warned, and the number-check
    page lists it until it has a figure."""
    record_tallies(reference_inspection, {"pop_survey.safe": Tally()}, by=lead)
    standard = Standard.objects.get(domain__framework=reference_inspection.framework, code="1.4")
    subsection = writing.add_subsection(
        reference_inspection, part=ReportPart.STANDARD, standard=standard, by=lead
    )
    client.force_login(lead)
    response = client.post(
        reverse("reports:write_item_add", args=[reference_inspection.pk, subsection.pk, "body"]),
        {"kind": "text", "text": "Safe: {evidence:pop_survey.safe}."},
        follow=True,
    )
    text = page_text(response.content.decode())
    assert "Paragraph added" in text
    warning = (
        "No figure yet, so publishing will be refused: {evidence:pop_survey.safe}: no tally is "
        "recorded for the evidence question 'pop_survey.safe'"
    )
    assert warning in text
    page = page_text(
        client.get(reverse("reports:number_check", args=[reference_inspection.pk])).content.decode()
    )
    assert "Citations with no figure" in page
    assert "{evidence:pop_survey.safe}: no tally is recorded" in page
