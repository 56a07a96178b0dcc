"""The services that write the report's words (reports/report_writing.py): checked, audited,
one transaction, versioned, refused once published."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from inspection.choices import AuditKind, InspectionStatus
from inspection.framework.spec import load_framework_spec
from inspection.framework.versioning import copy_framework
from inspection.input_rules import REPORT_TEXT_MAX
from inspection.models import (
    AuditEntry,
    ContextFact,
    Footnote,
    Question,
    RatingWording,
    ReportImprint,
    ReportItem,
    ReportSigning,
    ReportSubsection,
    Standard,
)
from inspection.published import PublishedInspectionError
from reports import report_writing as writing
from reports.publishing import move
from tests.factories import InspectionFactory

pytestmark = pytest.mark.django_db


def standard(inspection, code):
    return Standard.objects.get(framework=inspection.framework, code=code)


def texts(subsection, list_="strengths"):
    return list(
        subsection.items.filter(list=list_).order_by("order").values_list("text", flat=True)
    )


def trail(inspection):
    return list(
        # The lead's: the import's entries (by the system) come first.
        AuditEntry.objects.filter(
            inspection=inspection, kind=AuditKind.REPORT_TEXT, user__isnull=False
        )
        .order_by("id")
        .values_list("subject", "old_value", "new_value", "user_name")
    )


@pytest.fixture
def subsection(reference_inspection, lead):
    return writing.add_subsection(
        reference_inspection,
        part="standard",
        standard=standard(reference_inspection, "2.3"),
        heading="Resettlement work",
        by=lead,
    )


def test_domain1_lists_of_the_bundle_are_the_first_subsections_items(reference_inspection):
    """The importer puts a bundle's domain-1 strengths and areas in each standard's first,
    unheaded sub-section, in order (migration 0018 does the same for stored judgements)."""
    first = ReportSubsection.objects.get(
        inspection=reference_inspection, standard__code="1.1", heading=""
    )
    lists = writing.domain1_lists(reference_inspection.pk)
    assert tuple(texts(first)) == lists["1.1"]["strengths"]
    assert tuple(texts(first, "areas")) == lists["1.1"]["areas_for_improvement"]
    assert lists["1.1"]["strengths"] and lists["1.1"]["areas_for_improvement"]
    assert {"1.1", "1.2", "1.3", "1.4"} <= set(lists)


def test_a_subsection_with_two_strengths_reordered_and_one_removed(
    reference_inspection, lead, subsection
):
    # After the standard's sub-sections already written (its own text), at version 1.
    assert subsection.version == 1
    others = ReportSubsection.objects.filter(standard=subsection.standard).exclude(pk=subsection.pk)
    assert subsection.order == 1 + max(others.values_list("order", flat=True), default=-1)
    first = writing.add_item(subsection, list="strengths", kind="text", text=" First ", by=lead)
    second = writing.add_item(subsection, list="strengths", kind="text", text="Second", by=lead)
    assert texts(subsection) == ["First", "Second"]
    writing.move_item(second, up=True, by=lead)
    assert texts(subsection) == ["Second", "First"]
    writing.move_item(second, up=True, by=lead)  # already first: nothing changes
    assert texts(subsection) == ["Second", "First"]
    writing.remove_item(second, by=lead)
    assert texts(subsection) == ["First"]
    assert ReportItem.objects.get(pk=first.pk).order == 1
    subsection.refresh_from_db()
    assert subsection.version == 5  # two adds, a move, a removal
    assert trail(reference_inspection) == [
        ("2.3 Resettlement work: sub-section", "", "Resettlement work", "Lee Lead"),
        ("2.3 Resettlement work: strengths 1", "", "First", "Lee Lead"),
        ("2.3 Resettlement work: strengths 2", "", "Second", "Lee Lead"),
        (
            "2.3 Resettlement work: strengths 1",
            "Strengths 2: Second",
            "Strengths 1: Second",
            "Lee Lead",
        ),
        ("2.3 Resettlement work: strengths 1", "Second", "", "Lee Lead"),
    ]


def test_a_change_from_a_stale_version_is_refused_keeping_both_texts(lead, subsection):
    item = writing.add_item(subsection, list="body", kind="text", text="Mine", by=lead)
    subsection.refresh_from_db()
    version = subsection.version
    writing.change_item(item, text="Theirs", kind="text", version=version, by=lead)
    with pytest.raises(writing.StaleText) as refused:
        writing.change_item(item, text="Mine again", kind="text", version=version, by=lead)
    assert refused.value.stored_text == "Theirs"
    assert refused.value.version == version + 1
    item.refresh_from_db()
    assert item.text == "Theirs"


def test_a_quote_and_a_heading_change(reference_inspection, lead, subsection):
    item = writing.add_item(subsection, list="strengths", kind="quote", text="Said", by=lead)
    subsection.refresh_from_db()
    writing.change_subsection(
        subsection, heading="Resettlement", version=subsection.version, by=lead
    )
    subsection.refresh_from_db()
    writing.change_item(item, text="Said so", kind="quote", version=subsection.version, by=lead)
    assert trail(reference_inspection)[-2:] == [
        ("2.3 Resettlement work: heading", "Resettlement work", "Resettlement", "Lee Lead"),
        ("2.3 Resettlement: strengths 1", "(quote) Said", "(quote) Said so", "Lee Lead"),
    ]


@pytest.mark.parametrize(
    "text, message",
    [
        ("   ", "Enter the strength"),
        (
            "x" * (REPORT_TEXT_MAX + 1),
            "The strength must be 5,000 characters or fewer (it has 5,001)",
        ),
        ("bad \x00", "The strength contains a control character (U+0000) at position 5: remove it"),
    ],
)
def test_bad_text_is_refused_naming_it_and_nothing_changes(
    reference_inspection, lead, subsection, text, message
):
    before = trail(reference_inspection)
    with pytest.raises(ValidationError) as refused:
        writing.add_item(subsection, list="strengths", kind="text", text=text, by=lead)
    assert message in refused.value.messages
    assert not subsection.items.exists()
    assert trail(reference_inspection) == before


def test_a_text_naming_a_case_of_the_inspection_is_refused(reference_inspection, lead, subsection):
    """The writing service asks the cases layer itself (no list filled at start-up)."""
    with pytest.raises(ValidationError) as refused:
        writing.add_item(subsection, list="body", kind="text", text="As BWD-07 shows", by=lead)
    assert refused.value.messages == [
        "The text names the case BWD-07: the report never shows a case reference; describe the "
        "case without it"
    ]
    assert not subsection.items.exists()


def test_citations_are_checked_with_prose(reference_inspection, lead, subsection):
    """The writing service asks prose's check: what the inspection cannot render is refused by
    name."""
    with pytest.raises(ValidationError) as refused:
        writing.add_item(
            subsection, list="body", kind="text", text="{9.9} and {2.2:count}", by=lead
        )
    assert refused.value.messages == [
        "{9.9}: there is no standard, key question, prompt or item '9.9' in the framework",
        "{2.2:count}: a standard is cited only as its rating ({2.2:rating})",
    ]
    writing.add_item(subsection, list="body", kind="text", text="{2.2:rating}, {2.2.1}", by=lead)


def test_a_subsection_is_removed_with_its_items(reference_inspection, lead, subsection):
    writing.add_item(subsection, list="strengths", kind="text", text="One", by=lead)
    writing.remove_subsection(subsection, by=lead)
    assert not ReportSubsection.objects.filter(pk=subsection.pk).exists()
    assert trail(reference_inspection)[-1] == (
        "2.3 Resettlement work: sub-section",
        "Heading: Resettlement work\nStrengths: One",
        "",
        "Lee Lead",
    )


def test_subsections_and_standards_must_agree(reference_inspection, lead):
    with pytest.raises(ValidationError):
        writing.add_subsection(reference_inspection, part="standard", by=lead)
    with pytest.raises(ValidationError):
        writing.add_subsection(
            reference_inspection,
            part="foreword",
            standard=standard(reference_inspection, "1.1"),
            by=lead,
        )
    other = Standard.objects.exclude(framework=reference_inspection.framework).first()
    with pytest.raises(ValidationError):
        writing.add_subsection(reference_inspection, part="standard", standard=other, by=lead)
    foreword = writing.add_subsection(reference_inspection, part="foreword", by=lead)
    again = writing.add_subsection(reference_inspection, part="foreword", by=lead)
    assert again.order == foreword.order + 1


def test_signing_facts_and_footnotes(reference_inspection, lead):
    writing.set_signing(
        reference_inspection, signatory="Justin Russell", signatory_title="Chief", by=lead
    )
    writing.set_signing(
        reference_inspection, signatory="Justin Russell", signatory_title="Chief", by=lead
    )  # unchanged: no entry
    signing = ReportSigning.objects.get(inspection=reference_inspection)
    assert (signing.signatory, signing.signatory_title) == ("Justin Russell", "Chief")
    writing.set_fact(
        reference_inspection, key="test_rate", label="Rate", value="28.7", source="MoJ", by=lead
    )
    writing.set_fact(
        reference_inspection, key="test_rate", label="Rate", value="28.8", source="MoJ", by=lead
    )
    assert ContextFact.objects.get(inspection=reference_inspection, key="test_rate").value == "28.8"
    writing.set_footnote(reference_inspection, key="prioritisation", text="Note", by=lead)
    with pytest.raises(ValidationError) as refused:
        writing.set_footnote(reference_inspection, key="bad key!", text="Note", by=lead)
    assert "letters, digits, hyphens and underscores" in refused.value.messages[0]
    writing.remove_fact(reference_inspection, key="test_rate", by=lead)
    writing.remove_footnote(reference_inspection, key="prioritisation", by=lead)
    assert not ContextFact.objects.filter(inspection=reference_inspection, key="test_rate").exists()
    assert not Footnote.objects.filter(
        inspection=reference_inspection, key="prioritisation"
    ).exists()
    assert [subject for subject, *_ in trail(reference_inspection)] == [
        "Foreword: signatory",
        "Fact test_rate",
        "Fact test_rate",
        "Footnote prioritisation",
        "Fact test_rate",
        "Footnote prioritisation",
    ]


def test_everything_is_refused_once_published(reference_inspection, lead, subsection):
    item = writing.add_item(subsection, list="strengths", kind="text", text="One", by=lead)
    move(reference_inspection, InspectionStatus.PUBLISHED, lead)
    subsection.refresh_from_db()
    before = trail(reference_inspection)
    attempts = [
        lambda: writing.add_subsection(reference_inspection, part="foreword", by=lead),
        lambda: writing.change_subsection(
            subsection, heading="New", version=subsection.version, by=lead
        ),
        lambda: writing.remove_subsection(subsection, by=lead),
        lambda: writing.add_item(subsection, list="body", kind="text", text="x", by=lead),
        lambda: writing.change_item(
            item, text="Two", kind="text", version=subsection.version, by=lead
        ),
        lambda: writing.move_item(item, up=False, by=lead),
        lambda: writing.remove_item(item, by=lead),
        lambda: writing.set_signing(
            reference_inspection, signatory="A", signatory_title="B", by=lead
        ),
        lambda: writing.set_fact(reference_inspection, key="k", label="L", value="1", by=lead),
        lambda: writing.set_footnote(reference_inspection, key="k", text="T", by=lead),
    ]
    for attempt in attempts:
        with pytest.raises(PublishedInspectionError):
            attempt()
    item.refresh_from_db()
    assert item.text == "One"
    assert trail(reference_inspection) == before


def test_evidence_is_cited_in_the_forms_its_tally_allows(reference_inspection, lead, subsection):
    """The reference's tallies: 14 of 17 (any form), 86 per cent alone (only the percentage)."""
    writing.add_item(
        subsection,
        list="body",
        kind="text",
        text=(
            "{evidence:staff_survey.learning_promoted:count}, {evidence:pop_survey.safe} and "
            "{evidence:pop_survey.respondents:relevant}"
        ),
        by=lead,
    )
    with pytest.raises(ValidationError) as refused:
        writing.add_item(
            subsection,
            list="body",
            kind="text",
            text="{evidence:pop_survey.safe:count} and {evidence:no_such.key}",
            by=lead,
        )
    assert len(refused.value.messages) == 2
    assert "pop_survey.safe" in refused.value.messages[0]
    assert "no_such.key" in refused.value.messages[1]


# The ISBN and the lead's wording of a rating sentence (issue 18)


@pytest.mark.parametrize(
    "isbn, problem",
    [
        ("978-1-915468-66-5", "The last digit (the check digit) should be 6 for the twelve"),
        ("978-1-915468-66", "An ISBN has 13 digits; this one has 12"),
        ("977-1-915468-66-7", "An ISBN starts 978 or 979, not 977"),
        ("ISBN 978-1-915468-66-6", "The ISBN may hold only digits and hyphens, not 'I'"),
        ("978--1-915468-66-6", "The ISBN cannot start or end with a hyphen, or have two"),
        ("9-7-8-1-9-15468-66-6", "An ISBN has at most five groups of digits"),
    ],
)
def test_a_wrong_isbn_is_refused_naming_what_is_wrong(reference_inspection, lead, isbn, problem):
    before = writing.isbn_of(reference_inspection.pk)
    with pytest.raises(ValidationError) as refused:
        writing.set_isbn(reference_inspection, isbn=isbn, by=lead)
    assert any(message.startswith(problem) for message in refused.value.messages)
    assert writing.isbn_of(reference_inspection.pk) == before


def test_the_isbn_is_set_as_printed_changed_and_audited(reference_inspection, lead):
    # The reference bundle carries the published one.
    assert writing.isbn_of(reference_inspection.pk) == "978-1-915468-66-6"
    writing.set_isbn(reference_inspection, isbn=" 978 1 915468 67 3 ", by=lead)
    assert writing.isbn_of(reference_inspection.pk) == "978-1-915468-67-3"
    writing.set_isbn(reference_inspection, isbn="978-1-915468-67-3", by=lead)  # no change
    writing.set_isbn(reference_inspection, isbn="", by=lead)
    assert writing.isbn_of(reference_inspection.pk) == ""
    assert trail(reference_inspection) == [
        ("ISBN", "978-1-915468-66-6", "978-1-915468-67-3", "Lee Lead"),
        ("ISBN", "978-1-915468-67-3", "", "Lee Lead"),
    ]


def test_a_rating_sentence_is_worded_cited_and_reverted(reference_inspection, lead):
    planning = standard(reference_inspection, "2.3")
    wording = "Planning is rated '{2.3:rating}': its lowest key question scored {2.3.3}."
    writing.set_rating_wording(reference_inspection, planning, text=wording, by=lead)
    assert RatingWording.objects.get(inspection=reference_inspection, standard=planning).text == (
        wording
    )
    with pytest.raises(ValidationError) as refused:
        writing.set_rating_wording(
            reference_inspection, planning, text="Scored {2.3.9} and {2.3.3:rating}.", by=lead
        )
    assert len(refused.value.messages) == 2
    assert "{2.3.9}" in refused.value.messages[0] and "{2.3.3:rating}" in refused.value.messages[1]
    writing.set_rating_wording(reference_inspection, planning, text="  ", by=lead)
    assert not RatingWording.objects.filter(standard=planning).exists()
    assert trail(reference_inspection) == [
        ("2.3: rating sentence", "", wording, "Lee Lead"),
        ("2.3: rating sentence", wording, "", "Lee Lead"),
    ]


@pytest.mark.parametrize("code", ["1.2", "2.6"])
def test_only_a_standard_rated_from_its_key_questions_has_a_rating_sentence(
    reference_inspection, lead, code
):
    """1.2 is rated by judgement, 2.6 is not rated: neither has a sentence to word."""
    with pytest.raises(ValidationError, match="has no rating sentence to word"):
        writing.set_rating_wording(
            reference_inspection, standard(reference_inspection, code), text="Words.", by=lead
        )


def test_a_standard_rated_from_cases_without_key_questions_has_no_rating_sentence(
    framework, admin_user
):
    """Nothing rates it, so no sentence says why it has its rating: a wording of one would be
    stored and never printed. (Framework files refuse such a standard; an edited copy may have
    one.) The pages, this service, the bundle and the report ask the framework's spec."""
    copy = copy_framework(framework)
    Question.objects.filter(framework=copy, standard__code="2.3").delete()
    assert not load_framework_spec(copy.pk).standard("2.3").has_rating_sentence
    assert load_framework_spec(copy.pk).standard("2.2").has_rating_sentence
    inspection = InspectionFactory(framework=copy, status=InspectionStatus.PLANNING)
    with pytest.raises(ValidationError, match="has no rating sentence to word"):
        writing.set_rating_wording(
            inspection, standard(inspection, "2.3"), text="Words.", by=admin_user
        )
    assert not RatingWording.objects.filter(inspection=inspection).exists()


def test_the_isbn_and_rating_sentences_are_locked_at_publication(reference_inspection, lead):
    move(reference_inspection, InspectionStatus.PUBLISHED, lead)
    assessment = standard(reference_inspection, "2.2")
    for attempt in (
        lambda: writing.set_isbn(reference_inspection, isbn="978-1-915468-67-3", by=lead),
        lambda: writing.set_rating_wording(
            reference_inspection, assessment, text="Rated {2.2:rating}.", by=lead
        ),
    ):
        with pytest.raises(PublishedInspectionError):
            attempt()
    # The ORM's guards say why; under them the database refuses any other way in.
    wording = RatingWording.objects.get(inspection=reference_inspection, standard=assessment)
    wording.text = "Rewritten."
    with pytest.raises(PublishedInspectionError):
        wording.save()
    imprint = ReportImprint.objects.get(inspection=reference_inspection)
    for rows in (
        RatingWording.objects.filter(pk=wording.pk),
        ReportImprint.objects.filter(pk=imprint.pk),
    ):
        with pytest.raises(IntegrityError, match="published"), transaction.atomic():
            rows.update(**({"text": "Rewritten."} if rows.model is RatingWording else {"isbn": ""}))
        with pytest.raises(IntegrityError, match="published"), transaction.atomic():
            rows._raw_delete(rows.db)
    assert writing.isbn_of(reference_inspection.pk) == "978-1-915468-66-6"
