"""Publishing gated on a whole, checked report: every reason it is refused, named, through the
service and through the publish page (under its check's heading, linking to where it is put
right); with none, a confirmation step. Moving to moderation warns about unfinished cases."""

import random
import re

import pytest
from django.urls import reverse

from cases.choices import CaseStatus
from cases.models import Answer, Case, QAOutcome
from cases.qa import QuestionVerdict, draw_dip_sample, key_questions_to_review, review_case
from inspection.choices import InspectionStatus
from inspection.lifecycle import TransitionRefused
from inspection.models import InspectionEvent, ReportSubsection
from reports import publishing, report_writing
from reports.models import PublishedReport
from reports.publishing import checklist, move
from tests.case_helpers import team_member
from tests.page_text import page_text
from tests.region_helpers import publish, published_pdu_inspection, region_inspection

pytestmark = pytest.mark.django_db

FOREWORD_EMPTY = "Nothing is written in the foreword"
NO_SIGNATORY = "The foreword has no signatory: give the name and title of who signs it"
LEADERSHIP_EMPTY = "1.1 Leadership: no strengths or areas for improvement written"


def publish_url(inspection) -> str:
    return reverse("reports:publish", args=[inspection.pk])


def empty_parts(inspection, lead) -> None:
    """The foreword, its signatory and 1.1's strengths and areas taken out, as the lead would."""
    for subsection in ReportSubsection.objects.filter(inspection=inspection, part="foreword"):
        report_writing.remove_subsection(subsection, by=lead)
    report_writing.set_signing(inspection, signatory="", signatory_title="", by=lead)
    first = (
        ReportSubsection.objects.filter(inspection=inspection, standard__code="1.1", heading="")
        .order_by("order", "pk")
        .first()
    )
    for item in first.items.filter(list__in=["strengths", "areas"]):
        report_writing.remove_item(item, by=lead)


def sampled_refs(inspection, lead) -> list[str]:
    sample = draw_dip_sample(inspection, 10, lead)
    return sorted(sample.cases.values_list("ref", flat=True))


def nothing_published(inspection) -> bool:
    inspection.refresh_from_db()
    return (
        inspection.status == InspectionStatus.MODERATION
        and not InspectionEvent.objects.filter(inspection=inspection).exists()
        and not PublishedReport.objects.filter(inspection=inspection).exists()
    )


def review(case, lead, outcome, comment=""):
    verdicts = [QuestionVerdict(q.id, q.code, True, "") for q in key_questions_to_review(case)]
    return review_case(case, lead, verdicts, comment, outcome)


# The service -------------------------------------------------------------------------------------


def test_publishing_is_refused_naming_each_empty_part_and_each_unreviewed_dip_sample_case(
    reference_inspection, lead
):
    empty_parts(reference_inspection, lead)
    refs = sampled_refs(reference_inspection, lead)
    assert len(refs) == 3
    with pytest.raises(TransitionRefused) as refused:
        move(reference_inspection, InspectionStatus.PUBLISHED, lead)
    assert refused.value.reasons == [
        *(f"Case {ref} is in the dip sample and has not been reviewed" for ref in refs),
        FOREWORD_EMPTY,
        NO_SIGNATORY,
        LEADERSHIP_EMPTY,
    ]
    assert nothing_published(reference_inspection)


REVIEWING_UNRATED = "2.5 Reviewing cannot be rated: no relevant case for 2.5.1, 2.5.2, 2.5.3"


def test_a_standard_rated_from_cases_that_cannot_be_rated_blocks_publishing(
    reference_inspection, lead
):
    # Every case judged not applicable on each of 2.5's key questions: the standard has no
    # rating, so neither has the report a score or an overall rating.
    Answer.objects.filter(
        case__inspection=reference_inspection, question__code__regex=r"^2\.5\.\d+$"
    ).update(value="na")
    (group,) = [g for g in checklist(reference_inspection) if g.heading == "Ratings and judgements"]
    assert group.blockers == (
        (
            REVIEWING_UNRATED,
            reverse("reports:report", args=[reference_inspection.pk]),
        ),
    )
    with pytest.raises(TransitionRefused) as refused:
        move(reference_inspection, InspectionStatus.PUBLISHED, lead)
    assert REVIEWING_UNRATED in refused.value.reasons
    assert nothing_published(reference_inspection)


def test_quality_assurance_left_open_is_named_case_by_case(reference_inspection, lead):
    refs = sampled_refs(reference_inspection, lead)
    cases = {c.ref: c for c in Case.objects.filter(inspection=reference_inspection)}
    returned, fixed, changed = (cases[ref] for ref in refs)
    review(returned, lead, QAOutcome.RETURNED, "Look again at 2.2")
    review(fixed, lead, QAOutcome.RETURNED, "Look again at 2.3")
    Case.objects.filter(pk=fixed.pk).update(status=CaseStatus.COMPLETE)  # as the inspector would
    review(changed, lead, QAOutcome.SIGNED_OFF)
    # Edited after its sign-off: cases.workflow puts a signed-off case back to complete.
    Case.objects.filter(pk=changed.pk).update(status=CaseStatus.COMPLETE)
    outside = next(c for ref, c in sorted(cases.items()) if ref not in refs)
    review(outside, lead, QAOutcome.RETURNED, "Not in the sample, still QA's to finish")

    (group,) = [g for g in checklist(reference_inspection) if g.heading == "Quality assurance"]
    detail = reverse("cases:detail", args=[returned.pk])
    assert sorted(group.blockers) == sorted(
        [
            (
                f"Case {returned.ref} was returned to its inspector and is not yet complete again",
                detail,
            ),
            (
                f"Case {fixed.ref} was returned to its inspector and is complete again: review it",
                reverse("cases:review", args=[fixed.pk]),
            ),
            (
                f"Case {changed.ref} was changed after it was signed off: review it again",
                reverse("cases:review", args=[changed.pk]),
            ),
            (
                f"Case {outside.ref} was returned to its inspector and is not yet complete again",
                reverse("cases:detail", args=[outside.pk]),
            ),
        ]
    )
    for case in (fixed, changed):
        case.refresh_from_db()
        review(case, lead, QAOutcome.SIGNED_OFF)
    remaining = [r for g in checklist(reference_inspection) for r, _ in g.blockers]
    assert not any(f"Case {fixed.ref} " in r or f"Case {changed.ref} " in r for r in remaining)


def test_checks_sharing_a_heading_share_its_group_in_the_order_met(
    reference_inspection, lead, monkeypatch
):
    """The page groups the service's checks by heading, headings in the order first met, and
    publishing refuses with every reason in the checks' order."""
    monkeypatch.setattr(
        publishing,
        "CHECKS",
        (
            (lambda inspection: ["A number is not confirmed"], "Numbers", False),
            (lambda inspection, report: ["A citation has no figure"], "Citations", True),
            (lambda inspection: ["Another number"], "Numbers", False),
        ),
    )
    groups = {g.heading: g.blockers for g in checklist(reference_inspection)}
    assert list(groups) == ["Numbers", "Citations"]
    assert groups["Numbers"] == (("A number is not confirmed", ""), ("Another number", ""))
    with pytest.raises(TransitionRefused) as refused:
        move(reference_inspection, InspectionStatus.PUBLISHED, lead)
    assert refused.value.reasons == [
        "A number is not confirmed",
        "A citation has no figure",
        "Another number",
    ]


def test_the_checks_that_read_figures_share_one_report(reference_inspection, monkeypatch):
    """Citations and typed numbers are both checked against the report's figures: publishing's
    check builds the report once for both, and each gets the same one."""
    built, given = [], []
    real_build = publishing.build_report

    def counted_build(inspection):
        built.append(real_build(inspection))
        return built[-1]

    def remembering(check):
        def check_with(inspection, report):
            given.append(report)
            return check(inspection, report)

        return check_with

    monkeypatch.setattr(publishing, "build_report", counted_build)
    monkeypatch.setattr(
        publishing,
        "CHECKS",
        tuple(
            (remembering(check), heading, True) if reads else (check, heading, reads)
            for check, heading, reads in publishing.CHECKS
        ),
    )
    reasons = publishing.publish_blockers(reference_inspection)
    assert len(built) == 1
    assert len(given) == 2 and all(report is built[0] for report in given)
    # The counted run found what the plain one finds.
    monkeypatch.undo()
    assert reasons == publishing.publish_blockers(reference_inspection)


def test_a_region_inspection_with_nothing_pooled_says_why(db, django_user_model):
    lead = django_user_model.objects.create_user("lead", password="pw-lead-123")
    rng = random.Random(3)
    late = published_pdu_inspection(rng, "Far North", "Late", lead, publish_it=False)
    inspection = region_inspection(rng, late.pdu.region)
    inspection.lead_inspector = lead
    inspection.save()
    move(inspection, InspectionStatus.MODERATION, lead)
    with pytest.raises(TransitionRefused) as refused:
        move(inspection, InspectionStatus.PUBLISHED, lead)
    assert refused.value.reasons == [
        "No published PDU inspection of Far North region in the 2024-25 programme to pool",
        "Not pooled: Late PDU, fieldwork from 1 May 2024: not published",
    ]
    publish(late, lead)
    assert checklist(inspection) == []


def test_a_region_with_no_pdu_inspection_in_the_programme(db, django_user_model):
    lead = django_user_model.objects.create_user("lead", password="pw-lead-123")
    rng = random.Random(4)
    elsewhere = published_pdu_inspection(rng, "Far South", "Old", lead, programme="2022-23")
    inspection = region_inspection(rng, elsewhere.pdu.region)
    assert [(g.heading, g.blockers) for g in checklist(inspection)] == [
        (
            "Pooled standards",
            (
                (
                    "No published PDU inspection of Far South region in the 2024-25 programme "
                    "to pool: none of its PDUs has an inspection in that programme",
                    "",
                ),
            ),
        )
    ]


# The page ----------------------------------------------------------------------------------------


def test_the_page_lists_every_blocker_under_its_heading_with_a_link(
    client, reference_inspection, lead
):
    empty_parts(reference_inspection, lead)
    refs = sampled_refs(reference_inspection, lead)
    # A case outside the dip sample (drawn with a seed of the inspection's own): a sampled case
    # not complete would link to its case page rather than its review.
    unfinished = next(
        ref
        for ref in Case.objects.filter(inspection=reference_inspection)
        .order_by("ref")
        .values_list("ref", flat=True)
        if ref not in refs
    )
    Case.objects.filter(inspection=reference_inspection, ref=unfinished).update(
        status=CaseStatus.IN_PROGRESS
    )
    client.force_login(lead)
    status_page = client.get(reverse("inspection:status", args=[reference_inspection.pk]))
    assert f'href="{publish_url(reference_inspection)}"' in status_page.content.decode()

    response = client.get(publish_url(reference_inspection))
    assert response.status_code == 200
    html = response.content.decode()
    text = page_text(html)
    assert "It cannot be published yet" in text
    # Headings in the order the apps registered them.
    headings = re.findall(r'<h2 class="govuk-heading-m">([^<]*)</h2>', html)
    assert headings == ["Cases", "Quality assurance", "The written report"]
    pk = reference_inspection.pk
    for reason, url in [
        (f"1 case is not complete: {unfinished}", reverse("cases:list", args=[pk])),
        (FOREWORD_EMPTY, reverse("reports:write_part", args=[pk, "foreword"])),
        (NO_SIGNATORY, reverse("reports:write_signing", args=[pk])),
        (LEADERSHIP_EMPTY, reverse("reports:write_standard", args=[pk, "1.1"])),
        *(
            (
                f"Case {ref} is in the dip sample and has not been reviewed",
                reverse(
                    "cases:review",
                    args=[Case.objects.get(inspection=reference_inspection, ref=ref).pk],
                ),
            )
            for ref in refs
        ),
    ]:
        assert f'<a class="govuk-link" href="{url}">{reason}</a>' in html, reason
    assert 'name="confirm"' not in html  # nothing to confirm while anything is listed


def test_publishing_through_the_page_is_refused_naming_each_reason_and_changes_nothing(
    client, reference_inspection, lead
):
    """The page was read with nothing listed; blockers appeared before the lead confirmed."""
    client.force_login(lead)
    assert 'name="confirm"' in client.get(publish_url(reference_inspection)).content.decode()
    empty_parts(reference_inspection, lead)
    refs = sampled_refs(reference_inspection, lead)
    response = client.post(publish_url(reference_inspection), {"confirm": "on"})
    assert response.status_code == 400
    text = page_text(response.content.decode())
    assert "The inspection was not published" in text
    for reason in (
        FOREWORD_EMPTY,
        NO_SIGNATORY,
        LEADERSHIP_EMPTY,
        *(f"Case {ref} is in the dip sample and has not been reviewed" for ref in refs),
    ):
        assert reason in text
    assert nothing_published(reference_inspection)


def test_with_nothing_to_put_right_the_page_says_what_publishing_does_and_asks_to_confirm(
    client, reference_inspection, lead
):
    client.force_login(lead)
    response = client.get(publish_url(reference_inspection))
    assert response.status_code == 200
    text = page_text(response.content.decode())
    for said in (
        "stores the record of the results and the written report as they are now, for good",
        "makes the inspection read-only everywhere",
        "lets managers whose scope covers Blackburn with Darwen PDU read the report and its PDF",
        "Score 10/27",
        "Overall rating Requires improvement",
        "Cases 21",
        "Recommendations 9",
        "Progress on previous recommendations Not shown (previous recommendations)",
        "Foreword Signatory of the foreword ISBN Background 1.1 Leadership 1.2 Staff 1.3 Services "
        "1.4 Information and facilities Acknowledgements Annexe",
        "I have read the report and want to publish it",
    ):
        assert said in text, said

    unconfirmed = client.post(publish_url(reference_inspection), {})
    assert unconfirmed.status_code == 400
    assert "Confirm that you have read the report and want to publish it" in page_text(
        unconfirmed.content.decode()
    )
    assert nothing_published(reference_inspection)

    confirmed = client.post(publish_url(reference_inspection), {"confirm": "on"}, follow=True)
    assert "The inspection is now published" in page_text(confirmed.content.decode())
    reference_inspection.refresh_from_db()
    assert reference_inspection.status == InspectionStatus.PUBLISHED
    assert InspectionEvent.objects.get(inspection=reference_inspection).by == lead
    assert PublishedReport.objects.filter(inspection=reference_inspection).count() == 1
    # Published, the page has nothing to do: back to the status page.
    again = client.get(publish_url(reference_inspection))
    assert again.status_code == 302


def test_only_the_lead_reaches_the_publish_page(client, reference_inspection, lead):
    inspector = team_member(reference_inspection, "ines")
    client.force_login(inspector)
    assert client.get(publish_url(reference_inspection)).status_code == 404
    assert client.post(publish_url(reference_inspection), {"confirm": "on"}).status_code == 404
    assert nothing_published(reference_inspection)


# Moving to moderation ----------------------------------------------------------------------------


def test_moving_to_moderation_lists_unfinished_cases_before_the_lead_confirms(
    client, reference_inspection, lead
):
    move(reference_inspection, InspectionStatus.FIELDWORK, lead)
    Case.objects.filter(inspection=reference_inspection, ref="BWD-03").update(
        status=CaseStatus.IN_PROGRESS
    )
    Case.objects.filter(inspection=reference_inspection, ref="BWD-11").update(
        status=CaseStatus.RETURNED
    )
    client.force_login(lead)
    url = reverse("cases:moderate", args=[reference_inspection.pk])
    status_page = client.get(reverse("inspection:status", args=[reference_inspection.pk]))
    assert f'href="{url}"' in status_page.content.decode()
    text = page_text(client.get(url).content.decode())
    assert "2 cases are not complete." in text
    assert "BWD-03 In progress" in text and "BWD-11 Returned" in text
    assert "publishing is refused while any case is not complete" in text
    reference_inspection.refresh_from_db()
    assert reference_inspection.status == InspectionStatus.FIELDWORK

    moved = client.post(url, follow=True)
    assert "The inspection has moved to moderation" in page_text(moved.content.decode())
    reference_inspection.refresh_from_db()
    assert reference_inspection.status == InspectionStatus.MODERATION


# The QA form -------------------------------------------------------------------------------------


def test_the_qa_form_starts_with_nothing_chosen_and_names_each_question_left_unanswered(
    client, reference_inspection, lead
):
    case = Case.objects.get(inspection=reference_inspection, ref="BWD-04")
    codes = [q.code for q in key_questions_to_review(case)]
    client.force_login(lead)
    url = reverse("cases:review", args=[case.pk])
    html = client.get(url).content.decode()
    assert 'type="radio"' in html and " checked" not in html
    chosen = {f"agree-{code}": "yes" for code in codes[1:]}
    response = client.post(url, {**chosen, "outcome": "signed_off"})
    assert response.status_code == 400
    text = page_text(response.content.decode())
    assert f"Choose agree or disagree for {codes[0]}" in text
    assert not any(f"Choose agree or disagree for {code}" in text for code in codes[1:])
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETE and not case.qa_reviews.exists()
