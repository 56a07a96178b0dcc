"""The national dataset generator, on tiny parameters: reproducible, complete, rateable."""

import io

import pytest
from django.db import connection

from benchmarks import generate_national_dataset as generate_script
from benchmarks.national_dataset import (
    NationalDatasetError,
    NationalParams,
    generate,
    national_data_exists,
    plan_dataset,
)
from cases.models import Answer, Case
from cases.saving import Submitted, save_answers
from cases.summary import summarise
from inspection.choices import AnswerValue, AuditKind, InspectionStatus, QuestionKind
from inspection.framework.spec import load_framework_spec
from inspection.models import AuditEntry, Inspection
from reports import publication
from reports.models import PublishedReport
from tests.factories import InspectionFactory

pytestmark = pytest.mark.django_db

TINY = NationalParams(seed=7, regions=2, pdus=3, inspections_per_pdu=2, min_cases=3, max_cases=5)


def snapshot() -> dict:
    """What a generation produced, independent of database ids."""
    answers = Answer.objects.filter(case__inspection__pdu__name__regex=r" [0-9]{3}$").order_by(
        "case__inspection__pdu__name",
        "case__inspection__fieldwork_start",
        "case__ref",
        "question__order",
    )
    return {
        "counts": {
            "inspections": Inspection.objects.count(),
            "cases": Case.objects.count(),
            "answers": answers.count(),
        },
        "cases": list(
            Case.objects.order_by("ref").values_list(
                "ref", "sentence_type", "start_date", "court_work", "resettlement", "status"
            )
        ),
        "first_answers": list(
            answers.values_list("case__ref", "question__code", "value", "note")[:200]
        ),
        "statuses": sorted(
            Inspection.objects.values_list("pdu__name", "fieldwork_start", "status")
        ),
    }


def test_same_seed_same_data_and_replace_is_required(framework):
    result = generate(TINY)
    first = snapshot()
    assert result.counts["inspections"] == 6
    assert 3 * 6 <= result.counts["cases"] <= 5 * 6
    assert result.counts["answers"] == first["counts"]["answers"]

    with pytest.raises(NationalDatasetError, match="--replace"):
        generate(TINY)

    generate(TINY, replace=True)
    assert snapshot() == first

    generate(NationalParams(**{**TINY.__dict__, "seed": 8}), replace=True)
    assert snapshot()["first_answers"] != first["first_answers"]


def test_plan_is_pure_and_follows_the_parameters(framework):
    spec = load_framework_spec(framework)
    a, b = plan_dataset(TINY, spec), plan_dataset(TINY, spec)
    assert a == b
    assert len(a.regions) == 2 and len(a.pdus) == 3 and len(a.inspections) == 6
    for plan in a.inspections:
        assert 3 <= len(plan.cases) <= 5
        for case in plan.cases:
            assert any(start <= case.attributes["start_date"] <= end for start, end in plan.windows)
            assert case.attributes["resettlement"] == (
                case.attributes["sentence_type"] in ("licence", "post_sentence_supervision")
            )


def test_every_applicable_question_answered_and_inspections_rate(framework):
    generate(TINY)
    questions = load_framework_spec(framework).questions
    key_questions = {q.id for q in questions if q.kind == QuestionKind.KEY_QUESTION}
    for case in Case.objects.prefetch_related("answers"):
        answers = {a.question_id: a for a in case.answers.all()}
        applicable = {q.id for q in questions if case.applies(q.when)}
        assert set(answers) == applicable, case.ref
        for question_id in applicable & key_questions:
            answer = answers[question_id]
            assert answer.value in ("yes", "no")
            assert answer.note  # a No needs evidence; every key question has a note

    inspections = Inspection.objects.order_by("pdu_id", "fieldwork_start")
    by_pdu = {}
    for inspection in inspections:
        by_pdu.setdefault(inspection.pdu_id, []).append(inspection)
    for history in by_pdu.values():
        assert [i.status for i in history] == [
            InspectionStatus.PUBLISHED,
            InspectionStatus.FIELDWORK,
        ]

    for inspection in inspections:
        summary = summarise(inspection.pk)
        assert summary.breaches == ()  # domain-1 ratings keep the limiting rules
        assert all(s.rating for s in summary.standards if s.standard.judged)
        relevant = sum(kq.count.relevant for s in summary.standards for kq in s.key_questions)
        assert relevant > 0

    # Published as the lifecycle publishes: each with its stored record, which verifies.
    published = [i for i in inspections if i.status == InspectionStatus.PUBLISHED]
    assert {r.inspection_id for r in PublishedReport.objects.all()} == {i.pk for i in published}
    for inspection in published:
        assert publication.differences(inspection) == []


def test_replace_deletes_what_it_made_and_leaves_other_data_and_the_trail(framework, admin_user):
    other = InspectionFactory()
    generate(TINY)
    case = (
        Case.objects.filter(
            inspection__status=InspectionStatus.FIELDWORK, status="in_progress"
        ).first()
        or Case.objects.filter(inspection__status=InspectionStatus.FIELDWORK).first()
    )
    answer = Answer.objects.select_related("question").filter(case=case).first()
    new = "no" if answer.value == "yes" else "yes"
    result = save_answers(
        case,
        [Submitted(answer.question_id, answer.question.code, new, None, 1, answer.value, None)],
        admin_user,
        reason="test edit",
    )
    assert result.saved
    # The first real edit of a generated answer is recorded, with its new version; generated
    # answers have no entries of their own.
    edits = AuditEntry.objects.filter(kind=AuditKind.ANSWER)
    recorded = [(answer.question.code, 2, AnswerValue(new).label, "test edit")]
    assert list(edits.values_list("subject", "version", "new_value", "reason")) == recorded

    generate(TINY, replace=True)
    assert not Answer.objects.filter(pk=answer.pk).exists()
    # The trail outlives what it describes: --replace deletes the generated data, not the record
    # of what people did to it (the database would refuse that anyway).
    assert list(edits.values_list("subject", "version", "new_value", "reason")) == recorded
    assert Inspection.objects.filter(pk=other.pk).exists()
    assert national_data_exists()


def test_script_prints_counts_and_refuses_sqlite(framework, monkeypatch):
    out = io.StringIO()
    generate_script.main(
        [
            "--seed=3",
            "--regions=1",
            "--pdus=1",
            "--inspections-per-pdu=1",
            "--min-cases=1",
            "--max-cases=2",
        ],
        out=out,
    )
    assert "answers" in out.getvalue() and "Done in" in out.getvalue()

    with pytest.raises(SystemExit, match="--replace"):
        generate_script.main(["--seed=3", "--regions=1", "--pdus=1"], out=io.StringIO())

    monkeypatch.setattr(connection, "vendor", "sqlite")
    with pytest.raises(SystemExit, match="needs PostgreSQL"):
        generate_script.main(["--replace"], out=io.StringIO())
