"""Hostile input, page by page: what an attacker would type into every field that takes text or a
number, over HTTP with the test client, on PostgreSQL.

Each field is sent every HOSTILE value. A value the field refuses must answer below 500, show a
message naming the field, and write nothing (no answer, audit entry, event, recommendation,
judgement, QA review, dip sample or case); a value the field allows ("²" is good text) must
answer below 500. `attempt` does this for one field; the EXPECT_* helpers say what each kind of
field refuses and with which words (inspection/input_rules.py makes them).

Adding a page: a section below, one test per form, one `attempt` per field.
"""

import html
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from cases.models import (
    Answer,
    Case,
    DipSample,
    QAQuery,
    QAQueryMessage,
    QAQuestionReview,
    QAReview,
    ReliabilitySample,
    SecondAnswer,
    SecondMarking,
)
from cases.qa import QARefused, QuestionVerdict, review_case
from cases.saving import Submitted, save_answers
from cases.sections import field_id
from inspection.choices import InspectionStatus
from inspection.lifecycle import TransitionRefused
from inspection.models import (
    AuditEntry,
    Domain1Judgement,
    InspectionEvent,
    Question,
    Recommendation,
    ReportItem,
    ReportSubsection,
)
from reports import recommendations, report_writing
from reports.domain1 import Domain1Refused, save_judgements
from reports.publishing import move
from tests.case_helpers import agree_to_all, answer, case_in_progress, form_fields

HOSTILE = {
    "nul": "before\x00after",
    "control": "before\x07after",  # BEL
    "superscript": "²",  # "²".isdigit() is True, int("²") fails
    "huge text": "x" * 10**6,
    "huge number": "9" * 30,
    "empty": "",
}
ACCEPTED = None  # the field allows this value
WRITTEN = (
    Answer,
    AuditEntry,
    Case,
    DipSample,
    Domain1Judgement,
    InspectionEvent,
    QAQuestionReview,
    QAReview,
    Recommendation,
    ReportItem,
    ReportSubsection,
    ReliabilitySample,
    SecondMarking,
    SecondAnswer,
    QAQuery,
    QAQueryMessage,
)


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in WRITTEN}


def shown(response) -> str:
    """What the person (or the autosave's script) is told."""
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return html.unescape(response.content.decode())


def attempt(client, method: str, url: str, build, expected: dict, *, follow: bool = False):
    """Send each HOSTILE value as `build(value)`: never a 500; where expected[kind] is a message,
    it is shown and nothing is written. Each try is rolled back, so all start alike."""
    assert set(expected) == set(HOSTILE)
    for kind, value in HOSTILE.items():
        with transaction.atomic():
            before = row_counts()
            response = getattr(client, method)(url, build(value), follow=follow)
            assert response.status_code < 500, kind
            message = expected[kind]
            if message is not ACCEPTED:
                told = shown(response)
                assert message in told, f"{kind}: {message!r} not in the answer ({told[:300]!r})"
                assert row_counts() == before, f"{kind} wrote rows"
            transaction.set_rollback(True)


def expect_text(what: str, limit: str, *, empty=ACCEPTED) -> dict:
    """A free-text field: control characters and text over its limit are refused by name."""
    return {
        "nul": f"{what} contains a control character (U+0000) at position 7: remove it",
        "control": f"{what} contains a control character (U+0007) at position 7: remove it",
        "superscript": ACCEPTED,
        "huge text": f"{what} must be {limit} characters or fewer (it has 1,000,000)",
        "huge number": ACCEPTED,
        "empty": empty,
    }


def expect_number(what: str, maximum: str, *, empty=ACCEPTED) -> dict:
    not_digits = f"{what} must be a whole number, in the digits 0 to 9"
    return {
        "nul": not_digits,
        "control": not_digits,
        "superscript": not_digits,
        "huge text": not_digits,
        "huge number": f"{what} must be {maximum} or less",
        "empty": empty,
    }


def expect_choice(message: str, *, empty=ACCEPTED) -> dict:
    return dict.fromkeys(HOSTILE, message) | {"empty": empty}


@pytest.fixture
def lead_client(client, lead):
    client.force_login(lead)
    return client


# The section page: a full save and the JSON autosave ------------------------------------------

DAMAGED = "The page's record of 2.2.1 is damaged: reload the page"


def section_fields(case):
    """Builders of a save of 2.2.1 with one part replaced by the hostile value."""

    def with_part(part):
        return lambda value: {
            **form_fields(case, "2.2.1", "no", "Seen"),
            field_id("2.2.1", part): value,
        }

    return {
        "note": (with_part("note"), expect_text("The evidence note for 2.2.1", "5,000")),
        "value": (
            with_part("value"),
            expect_choice("Choose yes, no or not applicable for 2.2.1"),
        ),
        "version": (with_part("version"), expect_choice(DAMAGED, empty=DAMAGED)),
        "loaded": (with_part("loaded"), expect_choice(DAMAGED)),
        "loadednote": (with_part("loadednote"), expect_choice(DAMAGED)),
    }


@pytest.mark.django_db
def test_section_save(lead_client, reference_inspection):
    case = case_in_progress(reference_inspection)
    url = reverse("cases:section", args=[case.pk, "2.2"])
    for build, expected in section_fields(case).values():
        attempt(lead_client, "post", url, build, expected)


@pytest.mark.django_db
def test_section_save_reason_for_changing_a_complete_case(lead_client, reference_inspection):
    case = Case.objects.filter(inspection=reference_inspection, status="complete").first()
    attempt(
        lead_client,
        "post",
        reverse("cases:section", args=[case.pk, "2.2"]),
        lambda value: {**form_fields(case, "2.2.1", "no", "Changed"), "reason": value},
        expect_text(
            "The reason for change",
            "2,000",
            empty="Give a reason for changing a case that is already complete",
        ),
    )


@pytest.mark.django_db
def test_section_save_keeps_what_was_typed_when_refused(lead_client, reference_inspection):
    case = case_in_progress(reference_inspection)
    typed = "Seen at\r\nhome\x07"
    response = lead_client.post(
        reverse("cases:section", args=[case.pk, "2.2"]),
        form_fields(case, "2.2.1", "no", typed),
    )
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert (
        "The evidence note for 2.2.1 contains a control character (U+0007) at position 13" in page
    )
    assert "Seen at\nhome\x07</textarea>" in page  # shown again to correct, line endings as typed


@pytest.mark.django_db
def test_autosave(lead_client, reference_inspection):
    case = case_in_progress(reference_inspection)
    url = reverse("cases:autosave", args=[case.pk, "2.2"])
    for build, expected in section_fields(case).values():
        attempt(lead_client, "post", url, build, expected)


@pytest.mark.django_db
def test_autosave_errors_name_the_field_in_json(lead_client, reference_inspection):
    case = case_in_progress(reference_inspection)
    before = row_counts()
    response = lead_client.post(
        reverse("cases:autosave", args=[case.pk, "2.2"]),
        {
            **form_fields(case, "2.2.1", "no", "a\x00b"),
            **form_fields(case, "2.2.2", "yes"),
            field_id("2.2.2", "version"): "²",
        },
    )
    assert response.status_code == 400
    assert response.json() == {
        "error": "invalid",
        "errors": {
            "q2-2-1-note": "The evidence note for 2.2.1 contains a control character (U+0000) "
            "at position 2: remove it",
            "q2-2-2-value": "The page's record of 2.2.2 is damaged: reload the page",
        },
    }
    assert row_counts() == before


# The status page: lifecycle moves and their reasons -----------------------------------------


@pytest.mark.django_db
def test_reason_for_reopening(lead_client, published):
    attempt(
        lead_client,
        "post",
        reverse("inspection:reopen", args=[published.pk]),
        lambda value: {"reason": value},
        expect_text(
            "The reason",
            "2,000",
            empty="Give a reason for re-opening a published inspection",
        ),
    )


@pytest.mark.django_db
def test_status_page_move_asked_for(lead_client, reference_inspection):
    to_status = expect_text(
        "The status to move to",
        "20",
        empty="The page did not say where to move: reload the page",
    )
    refused_by_the_service = "An inspection in moderation cannot move to"
    to_status |= {
        "superscript": refused_by_the_service,
        "huge number": "The status to move to must be 20 characters or fewer (it has 30)",
    }
    attempt(
        lead_client,
        "post",
        reverse("inspection:status", args=[reference_inspection.pk]),
        lambda value: {"to_status": value},
        to_status,
    )


# Quality assurance: the dip sample and a case's review --------------------------------------


@pytest.mark.django_db
def test_qa_dip_sample_share(lead_client, reference_inspection):
    what = "The share of complete cases to dip-sample"
    attempt(
        lead_client,
        "post",
        reverse("cases:qa", args=[reference_inspection.pk]),
        lambda value: {"share_percent": value},
        expect_number(what, "100", empty="Enter the share of complete cases to dip-sample"),
    )


@pytest.mark.django_db
def test_qa_dip_sample_share_out_of_range(lead_client, reference_inspection):
    url = reverse("cases:qa", args=[reference_inspection.pk])
    for share, message in (("0", "1 or more"), ("101", "100 or less"), ("-5", "1 or more")):
        before = row_counts()
        response = lead_client.post(url, {"share_percent": share})
        assert response.status_code == 400
        assert f"The share of complete cases to dip-sample must be {message}" in shown(response)
        assert row_counts() == before


@pytest.mark.django_db
def test_double_marking_share_and_seed(lead_client, reference_inspection):
    url = reverse("cases:double_marking", args=[reference_inspection.pk])
    attempt(
        lead_client,
        "post",
        url,
        lambda value: {"share_percent": value},
        expect_number(
            "The share of cases to double mark",
            "100",
            empty="Enter the share of cases to double mark",
        ),
    )
    not_digits = "The seed must be a whole number, in the digits 0 to 9"
    attempt(
        lead_client,
        "post",
        url,
        lambda value: {"share_percent": "20", "seed": value},
        expect_choice(not_digits) | {"huge number": "The seed must be 9,223,372,036,854,775,807"},
    )


@pytest.mark.django_db
def test_qa_query_text(lead_client, reference_inspection):
    case = Case.objects.get(inspection=reference_inspection, ref="BWD-02")
    question = Question.objects.get(framework=reference_inspection.framework, code="2.2.1")
    attempt(
        lead_client,
        "post",
        reverse("cases:queries", args=[case.pk]),
        lambda value: {"raise-question": question.pk, "raise-text": value},
        expect_text("The query", "2,000", empty="Enter the query"),
    )


@pytest.mark.django_db
def test_qa_review(lead_client, reference_inspection):
    case = Case.objects.get(inspection=reference_inspection, ref="BWD-04")
    url = reverse("cases:review", args=[case.pk])
    agreed = agree_to_all(case)
    fields = {
        "comment": (
            lambda value: {**agreed, "comment": value, "outcome": "returned"},
            expect_text(
                "The comment for the inspector",
                "2,000",
                empty="Say what the inspector should change before returning the case",
            ),
        ),
        "comment on a key question": (
            lambda value: {
                **agreed,
                "agree-2.2.3": "no",
                "comment-2.2.3": value,
                "outcome": "returned",
            },
            expect_text(
                "The comment on 2.2.3",
                "2,000",
                empty="Say why you disagree with the answer to 2.2.3",
            ),
        ),
        "agree": (
            lambda value: {
                **agreed,
                "agree-2.2.3": value,
                "comment-2.2.3": "Why",
                "outcome": "returned",
            },
            # Left unanswered, it is not read as agreement: it must be chosen.
            expect_choice(
                "Choose agree or disagree for 2.2.3", empty="Choose agree or disagree for 2.2.3"
            ),
        ),
        "outcome": (
            lambda value: {**agreed, "outcome": value},
            expect_choice(
                "Choose whether to return the case or sign it off",
                empty="Choose whether to return the case or sign it off",
            ),
        ),
    }
    for build, expected in fields.values():
        attempt(lead_client, "post", url, build, expected)


# The case list's filters and the lead's assignment ------------------------------------------


@pytest.mark.django_db
def test_case_list_filters(lead_client, reference_inspection):
    url = reverse("cases:list", args=[reference_inspection.pk])
    attempt(
        lead_client,
        "get",
        url,
        lambda value: {"status": value},
        expect_choice("Choose a status from the list"),
    )
    attempt(
        lead_client,
        "get",
        url,
        lambda value: {"inspector": value},
        expect_choice("Choose an inspector from the list"),
    )


@pytest.mark.django_db
def test_case_list_bad_filter_is_reported_and_the_good_one_still_applies(
    lead_client, reference_inspection
):
    response = lead_client.get(
        reverse("cases:list", args=[reference_inspection.pk]),
        {"status": "complete", "inspector": "²"},
    )
    assert response.status_code == 400
    page = shown(response)
    assert "The filters could not be applied" in page
    complete = Case.objects.filter(inspection=reference_inspection, status="complete").count()
    assert f"{complete} cases matching the filters" in page


@pytest.mark.django_db
def test_case_assignment(lead_client, reference_inspection):
    case = case_in_progress(reference_inspection)
    attempt(
        lead_client,
        "post",
        reverse("cases:assign", args=[case.pk]),
        lambda value: {"inspector": value},
        expect_choice("Choose an inspector who is on this inspection's team"),
        follow=True,
    )


# Domain 1 and recommendations ----------------------------------------------------------------


@pytest.mark.django_db
def test_domain1(lead_client, reference_inspection):
    url = reverse("reports:domain1_edit", args=[reference_inspection.pk, "1.2"])
    fields = {
        "rating": (
            lambda value: {"rating": value},
            expect_choice("Choose a rating from the list", empty="Choose a rating"),
        ),
    }
    for build, expected in fields.values():
        attempt(lead_client, "post", url, build, expected)


@pytest.mark.django_db
def test_report_items(lead_client, reference_inspection):
    """A standard's strengths (report items, once the domain-1 page's lists), added and changed."""
    first = ReportSubsection.objects.get(
        inspection=reference_inspection, standard__code="1.2", heading=""
    )
    item = first.items.filter(list="strengths").first()
    add = reverse("reports:write_item_add", args=[reference_inspection.pk, first.pk, "strengths"])
    change = reverse("reports:write_item", args=[reference_inspection.pk, item.pk])
    text = expect_text("The strength", "5,000", empty="Enter the strength")
    wrong = "Choose the inspectors' words or a quotation"
    kind = expect_choice(wrong, empty=wrong)
    for url, extra in ((add, {}), (change, {"version": str(first.version)})):
        attempt(lead_client, "post", url, lambda v, e=extra: {"kind": "text", "text": v, **e}, text)
        attempt(lead_client, "post", url, lambda v, e=extra: {"kind": v, "text": "Ok", **e}, kind)
    damaged = "The page's record of this text is damaged: reload the page"
    attempt(
        lead_client,
        "post",
        change,
        lambda v: {"kind": "text", "text": "Clear", "version": v},
        dict.fromkeys(HOSTILE, damaged),
    )


def recommendation_fields():
    return {
        "text": (
            lambda value: {"addressee": "pdu", "text": value, "order": "1"},
            expect_text("The recommendation", "2,000", empty="Enter the recommendation"),
        ),
        "order": (
            lambda value: {"addressee": "pdu", "text": "Share learning", "order": value},
            expect_number("The order", "32,767", empty="Enter the order, a whole number"),
        ),
        "addressee": (
            lambda value: {"addressee": value, "text": "Share learning", "order": "1"},
            expect_choice(
                "Choose who the recommendation is addressed to from the list",
                empty="Choose who the recommendation is addressed to",
            ),
        ),
    }


@pytest.mark.django_db
def test_recommendation_added(lead_client, reference_inspection):
    url = reverse("reports:recommendations", args=[reference_inspection.pk])
    for build, expected in recommendation_fields().values():
        attempt(lead_client, "post", url, build, expected)


@pytest.mark.django_db
def test_recommendation_changed(lead_client, reference_inspection):
    recommendation = reference_inspection.recommendations.first()
    url = reverse("reports:recommendation_edit", args=[reference_inspection.pk, recommendation.pk])
    for build, expected in recommendation_fields().values():
        attempt(lead_client, "post", url, build, expected)


@pytest.mark.django_db
def test_a_one_megabyte_recommendation_is_refused_naming_the_limit(
    lead_client, reference_inspection
):
    before = row_counts()
    response = lead_client.post(
        reverse("reports:recommendations", args=[reference_inspection.pk]),
        {"addressee": "pdu", "text": "Share learning. " * 65536, "order": "1"},
    )
    assert response.status_code == 400
    assert (
        "The recommendation must be 2,000 characters or fewer (it has 1,048,575)"
        in shown(response)  # 65,536 x 16 characters, the last space trimmed
    )
    assert row_counts() == before


# The audit trail's filters (page and CSV) ---------------------------------------------------


@pytest.mark.django_db
def test_audit_trail_filters(lead_client, reference_inspection):
    expected = {
        "case": expect_choice("Choose a case from the list"),
        "person": expect_choice("Choose a person from the list"),
        "kind": expect_choice("Choose a kind of change from the list"),
        "page": expect_number("The page number", "9,223,372,036,854,775,807"),
    }
    for name in ("audit", "audit_csv"):
        url = reverse(f"inspection:{name}", args=[reference_inspection.pk])
        for field, messages in expected.items():
            attempt(lead_client, "get", url, lambda value, field=field: {field: value}, messages)


# The case-sample upload's form (the CSV's contents are tests/test_sample_import.py's) --------

SAMPLE = (
    b"ref,sentence_type,start_date,court_work,resettlement,gender,ethnicity,disability,"
    b"age_band,rosh\nNEW-01,licence,2022-09-13,no,yes,female,mixed,yes,18-25,high\n"
)


@pytest.mark.django_db
def test_sample_upload_form(lead_client, reference_inspection):
    url = reverse("cases:import", args=[reference_inspection.pk])
    attempts = {
        "over a megabyte": (
            SimpleUploadedFile("sample.csv", SAMPLE + b"#" * 1_000_000),
            "The file must be 1,000 KB or smaller (it is 1,001 KB)",
        ),
        "no file": ("", "Choose a CSV file of sampled cases"),
    }
    for kind, (upload, message) in attempts.items():
        before = row_counts()
        response = lead_client.post(url, {"file": upload})
        assert response.status_code == 400, kind
        assert message in shown(response), kind
        assert row_counts() == before, kind


# Below the pages: services and the database refuse the same -------------------------------


@pytest.mark.django_db
def test_services_refuse_bad_text_from_any_caller(reference_inspection, lead):
    """Admin, commands and imports call the services without the pages' forms."""
    case = Case.objects.get(inspection=reference_inspection, ref="BWD-04")
    before = row_counts()
    with pytest.raises(ValidationError, match=r"U\+0000"):
        recommendations.add(reference_inspection, addressee="pdu", text="a\x00b", order=1, by=lead)
    with pytest.raises(TransitionRefused, match="The reason must be 2,000 characters"):
        move(reference_inspection, InspectionStatus.FIELDWORK, lead, "x" * 2001)
    question = Question.objects.get(framework=reference_inspection.framework, code="2.2.3")
    with pytest.raises(QARefused) as refused:
        review_case(
            case, lead, [QuestionVerdict(question.pk, "2.2.3", False, "a\x07b")], "", "returned"
        )
    assert refused.value.problems == {
        "comment-2.2.3": "The comment on 2.2.3 contains a control character (U+0007) at "
        "position 2: remove it"
    }
    judgement = {"rating": "", "judgement": "x" * 5001}
    with pytest.raises(Domain1Refused, match="The judgement must be 5,000 characters or fewer"):
        save_judgements(reference_inspection, {"1.2": judgement}, lead)
    first = ReportSubsection.objects.filter(inspection=reference_inspection).first()
    with pytest.raises(ValidationError, match="The strength must be 5,000 characters or fewer"):
        report_writing.add_item(first, list="strengths", kind="text", text="x" * 5001, by=lead)
    with pytest.raises(ValidationError, match="The quote contains a control character"):
        report_writing.add_item(first, list="strengths", kind="quote", text="a\x00b", by=lead)
    stored = answer(case_in_progress(reference_inspection), "2.2.1")
    note = Submitted(stored.question_id, "2.2.1", "no", "a\x00b", stored.version, "", None)
    with pytest.raises(ValidationError, match="evidence note for 2.2.1 contains"):
        save_answers(stored.case, [note], lead)
    assert row_counts() == before


@pytest.mark.django_db
def test_models_validate_what_admin_saves(reference_inspection):
    recommendation = reference_inspection.recommendations.first()
    recommendation.text = "a\x0bb"
    with pytest.raises(ValidationError) as refused:
        recommendation.full_clean()
    assert refused.value.message_dict["text"] == [
        "Contains a control character (U+000B) at position 2: remove it"
    ]
    item = ReportItem.objects.filter(subsection__inspection=reference_inspection).first()
    item.text = "x" * 5001
    with pytest.raises(ValidationError, match="Must be 5000 characters or fewer"):
        item.full_clean()


@pytest.mark.django_db
def test_the_database_refuses_text_over_its_limit(reference_inspection, lead):
    """The CHECK constraints hold whatever path writes (QuerySet.update skips validators)."""
    case = case_in_progress(reference_inspection)
    writes = {
        "answer_note_length": lambda: Answer.objects.filter(case=case).update(note="x" * 5001),
        "recommendation_text_length": lambda: reference_inspection.recommendations.update(
            text="x" * 2001
        ),
        "event_reason_length": lambda: InspectionEvent.objects.create(
            inspection=reference_inspection,
            from_status=reference_inspection.status,  # the database refuses one out of order
            to_status="fieldwork",
            reason="x" * 2001,
        ),
        "dip_sample_share_percent": lambda: DipSample.objects.create(
            inspection=reference_inspection, share_percent=101, seed="s"
        ),
        "qa_review_comment_length": lambda: QAReview.objects.create(
            case=case, outcome="returned", comment="x" * 2001
        ),
    }
    for constraint, write in writes.items():
        with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
            write()
    # At the limit is allowed.
    assert Answer.objects.filter(case=case).update(note="x" * 5000) > 0
