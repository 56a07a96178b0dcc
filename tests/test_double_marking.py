"""Blind double marking: the reproducible draw, second marks kept apart from answers, both
markings frozen side by side once done, reconciliation through the versioned save, and the
agreement figures (cases/agreement.py, checked against irrCAC in tests/test_agreement.py)."""

import json
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import agreement
from cases.case_data import framework_sections
from cases.changes import DetailsRefused
from cases.choices import CaseStatus
from cases.double_marking import (
    CATEGORIES,
    DoubleMarkingRefused,
    change_second_marker,
    draw_reliability_sample,
    inspection_agreement,
    inspection_pairs,
    reconcile,
    save_second_marks,
)
from cases.models import Answer, Case, ReliabilitySample, SecondAnswer, SecondMarking
from cases.publishing import double_marking_blockers
from cases.qa import key_questions_to_review
from cases.sampling import largest_remainder
from cases.summary import summarise
from cases.workflow import change_case_details, mark_complete
from inspection.choices import AuditKind, InspectionStatus
from inspection.lifecycle import TransitionRefused
from inspection.models import AuditEntry
from reports.publishing import move
from tests.double_marking_helpers import team_of_three

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(reference_inspection, lead):
    """Three inspectors, the 21 cases assigned in turn (7 each)."""
    return team_of_three(reference_inspection)


def drawn(inspection):
    return sorted(
        (m.case.ref, m.first_marker.username, m.marker.username)
        for m in SecondMarking.objects.filter(case__inspection=inspection).select_related(
            "case", "first_marker", "marker"
        )
    )


# (case, first marker, second marker): seed 42, 20%, the team fixture's three inspectors.
SEED_42_DRAW = [
    ("BWD-01", "ines", "iris"),
    ("BWD-03", "iris", "ines"),
    ("BWD-04", "ines", "ivan"),
    ("BWD-05", "ivan", "iris"),
    ("BWD-09", "iris", "ines"),
]


def test_the_draw_is_spread_across_first_markers_and_repeats_from_its_seed(
    reference_inspection, lead, team
):
    sample = draw_reliability_sample(reference_inspection, 20, lead, seed=42)
    first = drawn(reference_inspection)
    assert len(first) == 5  # 20% of 21, rounded up
    per_first = Counter(first_marker for _, first_marker, _ in first)
    expected = largest_remainder({p.username: 7 for p in team}, 5)
    assert per_first == Counter({k: v for k, v in expected.items() if v})
    assert all(first_marker != second for _, first_marker, second in first)
    loads = Counter(second for _, _, second in first)
    assert max(loads.values()) - min(loads.values()) <= 1
    assert sample.seed == 42
    entry = AuditEntry.objects.get(kind=AuditKind.DOUBLE_MARKING, subject="Reliability sample")
    assert entry.reason == "Seed 42" and entry.new_value == "20% drawn: 5 of 21 cases"

    ReliabilitySample.objects.all().delete()
    draw_reliability_sample(reference_inspection, 20, lead, seed=42)
    assert drawn(reference_inspection) == first
    # Keyed by usernames, not row ids: this draw is the same on any database and machine.
    assert first == SEED_42_DRAW


def test_a_draw_is_refused_naming_why_and_writes_nothing(reference_inspection, lead, team):
    with pytest.raises(DoubleMarkingRefused, match="between 1 and 100"):
        draw_reliability_sample(reference_inspection, 0, lead)
    for person in team[1:]:
        reference_inspection.team.remove(person)
    Case.objects.filter(inspection=reference_inspection).update(assigned_inspector=team[0])
    with pytest.raises(DoubleMarkingRefused, match="at least 3 cases .* this inspection has 0"):
        draw_reliability_sample(reference_inspection, 20, lead)
    assert not ReliabilitySample.objects.exists()
    assert not AuditEntry.objects.filter(kind=AuditKind.DOUBLE_MARKING).exists()


def test_only_one_draw_per_inspection(reference_inspection, lead, team):
    draw_reliability_sample(reference_inspection, 20, lead, seed=1)
    with pytest.raises(DoubleMarkingRefused, match="already drawn"):
        draw_reliability_sample(reference_inspection, 50, lead, seed=2)
    assert SecondMarking.objects.count() == 5


def _a_marking(inspection, lead) -> SecondMarking:
    draw_reliability_sample(inspection, 20, lead, seed=7)
    marking = SecondMarking.objects.select_related("case", "marker").order_by("case__ref")[0]
    marking.case.status = CaseStatus.IN_PROGRESS
    marking.case.save(update_fields=["status"])
    return marking


def _firsts(case) -> dict[str, str]:
    return {
        a.question.code: a.value
        for a in Answer.objects.filter(case=case).select_related("question")
    }


def _opposite(value: str) -> str:
    return {"yes": "no", "no": "yes", "na": "yes"}[value]


def test_second_marks_are_kept_apart_and_frozen_beside_the_first_once_both_are_done(
    reference_inspection, lead, team
):
    marking = _a_marking(reference_inspection, lead)
    case = marking.case
    codes = [q.code for q in key_questions_to_review(case)]
    firsts = _firsts(case)
    before = summarise(reference_inspection)
    answers_before = list(Answer.objects.order_by("pk").values_list("pk", "value", "version"))

    with pytest.raises(DoubleMarkingRefused) as refused:
        save_second_marks(marking, {codes[0]: "yes"}, marking.marker, submit=True)
    assert set(refused.value.problems) == set(codes[1:])  # each one left unanswered, named
    assert refused.value.problems[codes[1]] == f"Answer {codes[1]} before submitting"
    with pytest.raises(DoubleMarkingRefused, match="Only the case's second marker"):
        save_second_marks(marking, {}, lead)
    with pytest.raises(
        DoubleMarkingRefused, match=f"Choose yes, no or not applicable for {codes[0]}"
    ):
        save_second_marks(marking, {codes[0]: "maybe"}, marking.marker)
    assert not SecondAnswer.objects.exists()

    # A draft row for a question no longer among the case's key questions (its details
    # changed since): it goes at submission, as it would freeze a first answer beside a blank.
    stale = Answer.objects.filter(case=case).exclude(question__code__in=codes).first().question
    SecondAnswer.objects.create(marking=marking, question=stale, value="")
    # The second marker differs on the first key question, agrees on the rest.
    seconds = {code: firsts[code] for code in codes} | {codes[0]: _opposite(firsts[codes[0]])}
    save_second_marks(marking, seconds, marking.marker, submit=True)
    assert not SecondAnswer.objects.filter(question=stale).exists()
    marking.refresh_from_db()
    assert marking.submitted_at is not None and marking.unblinded_at is None  # case not complete
    assert inspection_pairs(reference_inspection) == {}

    _, sections = framework_sections(reference_inspection)
    problems, _ = mark_complete(case, sections, by=case.assigned_inspector)
    assert problems == []
    marking.refresh_from_db()
    assert marking.unblinded_at is not None
    pairs = inspection_pairs(reference_inspection)
    assert pairs == {code: [(firsts[code], seconds[code])] for code in codes}
    # Second marks never count: the answers and every figure are as they were.
    assert list(Answer.objects.order_by("pk").values_list("pk", "value", "version")) == (
        answers_before
    )
    assert summarise(reference_inspection) == before
    with pytest.raises(DoubleMarkingRefused, match="already submitted"):
        save_second_marks(marking, seconds, marking.marker, submit=True)


def test_reconciling_goes_through_the_versioned_save_and_is_audited(
    client, reference_inspection, lead, team
):
    marking = _a_marking(reference_inspection, lead)
    case = marking.case
    codes = [q.code for q in key_questions_to_review(case)]
    firsts = _firsts(case)
    seconds = {code: firsts[code] for code in codes} | {codes[0]: _opposite(firsts[codes[0]])}
    with pytest.raises(DoubleMarkingRefused, match="Both markers must be done"):
        reconcile(marking, {}, lead)
    save_second_marks(marking, seconds, marking.marker, submit=True)
    _, sections = framework_sections(reference_inspection)
    mark_complete(case, sections, by=case.assigned_inspector)
    marking.refresh_from_db()

    with pytest.raises(DoubleMarkingRefused) as refused:
        reconcile(marking, {}, lead)
    assert refused.value.problems == {codes[0]: f"Choose the agreed answer for {codes[0]}"}

    answer = Answer.objects.get(case=case, question__code=codes[0])
    # Since both were done, the first marker corrected an answer the markers had agreed on.
    corrected = Answer.objects.get(case=case, question__code=codes[1])
    Answer.objects.filter(pk=corrected.pk).update(value=_opposite(corrected.value))
    client.force_login(lead)
    page = client.get(reverse("cases:reconcile", args=[case.pk])).content.decode()
    label = dict(CATEGORIES_LABELS)[_opposite(corrected.value)].lower()
    assert page.count("The case's answer is now") == 1 and f"is now {label}<" in page
    changed = reconcile(marking, {codes[0]: seconds[codes[0]]}, lead, note="Read again together")
    assert changed == 1
    assert Answer.objects.get(pk=corrected.pk).value == _opposite(corrected.value)  # not undone
    after = Answer.objects.get(pk=answer.pk)
    assert (after.value, after.version) == (seconds[codes[0]], answer.version + 1)
    trail = (
        AuditEntry.objects.filter(kind=AuditKind.ANSWER, case_id=case.pk, subject=codes[0])
        .order_by("-pk")
        .first()
    )
    assert trail.reason == "Reconciled after double marking: Read again together"
    assert trail.new_value == dict(CATEGORIES_LABELS)[seconds[codes[0]]]
    agreed = dict(
        SecondAnswer.objects.filter(marking=marking).values_list("question__code", "agreed_value")
    )
    assert agreed == {code: seconds[code] for code in codes}
    # The pairs agreement is measured on stay the independent ones.
    assert inspection_pairs(reference_inspection)[codes[0]] == [
        (firsts[codes[0]], seconds[codes[0]])
    ]
    with pytest.raises(DoubleMarkingRefused, match="already reconciled"):
        reconcile(marking, {codes[0]: "yes"}, lead)


CATEGORIES_LABELS = [("yes", "Yes"), ("no", "No"), ("na", "Not applicable")]


def test_the_agreement_page_shows_each_key_question_s_figures(
    client, reference_inspection, lead, team
):
    draw_reliability_sample(reference_inspection, 20, lead, seed=7)
    markings = list(SecondMarking.objects.select_related("case", "marker"))
    for marking in markings:  # the second marker says yes wherever the first said anything
        codes = [q.code for q in key_questions_to_review(marking.case)]
        save_second_marks(marking, dict.fromkeys(codes, "yes"), marking.marker, submit=True)
    expected = agreement.by_question(inspection_pairs(reference_inspection), CATEGORIES)
    assert expected == inspection_agreement(reference_inspection)
    client.force_login(lead)
    html = client.get(reverse("cases:double_marking", args=[reference_inspection.pk])).content
    html = html.decode()
    assert "Cases double marked" in html
    for row in expected:
        label = row.code or "All key questions"
        assert f'<th scope="row" class="govuk-table__header">{label}</th>' in html
        if row.ac1 and row.ac1.value is not None and row.ac1.low is not None:
            assert f"{row.ac1.value:.2f} ({row.ac1.low:.2f} to {row.ac1.high:.2f})" in html
    assert ("Weak" in html) == any(row.weak for row in expected)


def test_reliability_summary_as_json(reference_inspection, lead, team):
    draw_reliability_sample(reference_inspection, 20, lead, seed=7)
    for marking in SecondMarking.objects.select_related("case", "marker"):
        codes = [q.code for q in key_questions_to_review(marking.case)]
        save_second_marks(marking, dict.fromkeys(codes, "yes"), marking.marker, submit=True)
    out = StringIO()
    call_command("reliability_summary", reference_inspection.pk, "--format", "json", stdout=out)
    summary = json.loads(out.getvalue())
    assert summary["sample"]["seed"] == 7 and summary["sample"]["cases"] == 5
    assert summary["weak_below"] == 0.6
    assert all(m["both_done"] and not m["reconciled"] for m in summary["markings"])
    expected = inspection_agreement(reference_inspection)
    assert [row["key_question"] for row in summary["agreement"]] == [
        row.code or "all" for row in expected
    ]
    pooled = summary["agreement"][-1]
    assert pooled["pairs"] == expected[-1].pairs
    assert pooled["ac1"]["value"] == pytest.approx(expected[-1].ac1.value)
    assert pooled["kappa"]["low"] == pytest.approx(expected[-1].kappa.low)
    with pytest.raises(CommandError, match="no inspection with id 999"):
        call_command("reliability_summary", 999)


def test_publishing_waits_for_double_marking_to_be_done_and_reconciled(
    reference_inspection, lead, team
):
    draw_reliability_sample(reference_inspection, 20, lead, seed=7)
    markings = list(SecondMarking.objects.select_related("case", "marker").order_by("case__ref"))
    refs = [m.case.ref for m in markings]
    reasons = double_marking_blockers(reference_inspection)
    assert reasons == [f"Case {ref}'s second marking is not submitted" for ref in refs]
    for marking in markings:
        case = marking.case
        firsts = _firsts(case)
        codes = [q.code for q in key_questions_to_review(case)]
        seconds = {c: firsts[c] for c in codes}
        if marking is markings[0]:
            seconds[codes[0]] = _opposite(firsts[codes[0]])
        save_second_marks(marking, seconds, marking.marker, submit=True)
    assert double_marking_blockers(reference_inspection) == [
        f"Case {refs[0]}'s markers differ on 1 key question: reconcile them"
    ]
    with pytest.raises(TransitionRefused, match=f"Case {refs[0]}'s markers differ"):
        move(reference_inspection, InspectionStatus.PUBLISHED, lead)
    marking = SecondMarking.objects.get(pk=markings[0].pk)
    code = key_questions_to_review(marking.case)[0].code
    reconcile(marking, {code: _firsts(marking.case)[code]}, lead)
    assert double_marking_blockers(reference_inspection) == []


def test_home_lists_the_second_markings_still_to_do(client, reference_inspection, lead, team):
    draw_reliability_sample(reference_inspection, 20, lead, seed=7)
    marking = SecondMarking.objects.select_related("case", "marker").order_by("case__ref")[0]
    mine = SecondMarking.objects.filter(marker=marking.marker).order_by("case__ref")
    client.force_login(marking.marker)
    html = client.get(reverse("home")).content.decode()
    assert "Cases you mark second" in html
    for each in mine:
        assert f"Second marking of case {each.case.ref}</a>" in html
    codes = [q.code for q in key_questions_to_review(marking.case)]
    save_second_marks(marking, dict.fromkeys(codes, "yes"), marking.marker, submit=True)
    html = client.get(reverse("home")).content.decode()
    assert f"Second marking of case {marking.case.ref}</a>" not in html
    assert "Calibration across inspections" not in html  # an inspector leads nothing
    client.force_login(lead)
    assert "Calibration across inspections" in client.get(reverse("home")).content.decode()


def test_a_second_marking_not_submitted_can_be_given_to_someone_else(
    client, reference_inspection, lead, team
):
    marking = _a_marking(reference_inspection, lead)
    case, old = marking.case, marking.marker
    codes = [q.code for q in key_questions_to_review(case)]
    save_second_marks(marking, {codes[0]: "yes"}, old)  # a draft, saved for later
    first = case.assigned_inspector
    other = next(p for p in team if p not in (old, first))
    with pytest.raises(DoubleMarkingRefused, match="is case .*'s first marker"):
        change_second_marker(marking, first, lead)
    with pytest.raises(DoubleMarkingRefused, match="Choose an inspector on the team"):
        change_second_marker(marking, lead, lead)

    client.force_login(lead)
    url = reverse("cases:second_marker", args=[case.pk])
    page = client.get(url).content.decode()
    assert f'value="{other.pk}"' in page and f'value="{first.pk}"' not in page
    refused = client.post(url, {"marker": first.pk})
    assert refused.status_code == 400 and "Choose an inspector from the list" in (
        refused.content.decode()
    )
    assert client.post(url, {"marker": other.pk}).status_code == 302

    marking.refresh_from_db()
    assert marking.marker == other and not marking.answers.exists()  # the draft was old's
    entry = AuditEntry.objects.filter(kind=AuditKind.DOUBLE_MARKING).order_by("-pk").first()
    assert (entry.subject, entry.old_value, entry.new_value) == (
        f"Second marker of {case.ref}",
        old.get_full_name(),
        other.get_full_name(),
    )
    with pytest.raises(DoubleMarkingRefused, match="Only the case's second marker"):
        save_second_marks(marking, {}, old)
    save_second_marks(marking, dict.fromkeys(codes, "yes"), other, submit=True)
    with pytest.raises(DoubleMarkingRefused, match="is submitted: it stays"):
        change_second_marker(marking, old, lead)


def test_a_case_is_not_given_to_its_own_blind_second_marker(
    client, reference_inspection, lead, team
):
    marking = _a_marking(reference_inspection, lead)
    case, second = marking.case, marking.marker
    with pytest.raises(DetailsRefused, match="marks case .* second"):
        change_case_details(case, {"assigned_inspector": second}, by=lead)
    client.force_login(lead)
    client.post(reverse("cases:assign", args=[case.pk]), {"inspector": second.pk})
    case.refresh_from_db()
    assert case.assigned_inspector != second
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert f"{second.get_full_name()} marks case {case.ref} second" in page

    # Given to someone else, they are the first marker the second marking is set against.
    other = next(p for p in team if p not in (second, case.assigned_inspector))
    change_case_details(case, {"assigned_inspector": other}, by=lead)
    marking.refresh_from_db()
    assert marking.first_marker == other


def test_the_page_shows_the_draw_before_making_it(client, reference_inspection, lead, team):
    url = reverse("cases:double_marking", args=[reference_inspection.pk])
    client.force_login(lead)
    preview = client.post(url, {"share_percent": "20", "seed": "7"})
    assert preview.status_code == 200 and not SecondMarking.objects.exists()
    plan = preview.context["plan"]
    assert len(plan.markings) == 5 and plan.seed == 7
    html = preview.content.decode()
    assert "The cases this draw gives" in html and plan.digest in html
    # The team changes between the preview and the confirmation: refused, nothing drawn.
    moved = plan.markings[0].marker
    reference_inspection.team.remove(moved)
    stale = client.post(url, {"share_percent": "20", "seed": "7", "previewed": plan.digest})
    assert stale.status_code == 400 and "changed since you saw the draw" in stale.content.decode()
    assert not SecondMarking.objects.exists()
    reference_inspection.team.add(moved)
    drawn = client.post(url, {"share_percent": "20", "seed": "7", "previewed": plan.digest})
    assert drawn.status_code == 302
    assert sorted((m.case.pk, m.marker.pk) for m in plan.markings) == sorted(
        SecondMarking.objects.values_list("case_id", "marker_id")
    )


def test_the_lead_s_pages_read_a_fixed_number_of_queries(client, reference_inspection, lead, team):
    """However many cases are double marked, the double marking and calibration pages make the
    same number of queries."""
    client.force_login(lead)
    url = reverse("cases:double_marking", args=[reference_inspection.pk])
    counts = []
    for share in (20, 60):
        ReliabilitySample.objects.filter(inspection=reference_inspection).delete()
        draw_reliability_sample(reference_inspection, share, lead, seed=7)
        for marking in SecondMarking.objects.select_related("case", "marker"):
            codes = [q.code for q in key_questions_to_review(marking.case)]
            save_second_marks(marking, dict.fromkeys(codes, "yes"), marking.marker, submit=True)
        with CaptureQueriesContext(connection) as page:
            assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as calibration:
            assert client.get(reverse("cases:calibration")).status_code == 200
        counts.append((SecondMarking.objects.count(), len(page), len(calibration)))
    (few, page_few, cal_few), (many, page_many, cal_many) = counts
    assert (few, many) == (5, 13)
    assert page_many == page_few and cal_many == cal_few, counts
