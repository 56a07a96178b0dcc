"""A framework version in use past planning is frozen, in the ORM, in admin and in the database;
changes go into a copy at the next version, to which inspections still in planning can move."""

import dataclasses
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from bundles.importer import import_bundle
from cases.framework_move import move_to_framework
from cases.models import Answer, QAQuestionReview, QAReview
from cases.summary import summarise
from inspection.choices import AuditKind, InspectionStatus
from inspection.framework.frozen import is_frozen
from inspection.framework.spec import load_framework_spec
from inspection.framework.versioning import FrameworkMoveRefused, copy_framework
from inspection.models import (
    AuditEntry,
    Domain,
    Domain1Judgement,
    Framework,
    InspectionEvent,
    LimitingRule,
    OverallBand,
    Question,
    RatingBand,
    ReportSubsection,
    Standard,
)
from reports import report_writing as writing
from reports.report_model import build_report
from tests.factories import CaseFactory, InspectionFactory, answer_everything


def summary_json(inspection) -> str:
    out = StringIO()
    call_command("inspection_summary", inspection.pk, "--format", "json", stdout=out)
    return out.getvalue()


def refused_by_database(action):
    with pytest.raises(IntegrityError, match="frozen"), transaction.atomic():
        action()


def refused_by_orm(action):
    with pytest.raises(PermissionDenied, match="copy it to a new version"), transaction.atomic():
        action()


def question_form(question, **changes) -> dict:
    """What the admin change form posts for `question`, with `changes`."""
    data = {
        "framework": question.framework_id,
        "standard": question.standard_id or "",
        "parent": question.parent_id or "",
        "kind": question.kind,
        "code": question.code,
        "text": question.text,
        "applies_when": question.applies_when,
        "order": question.order,
        "finding_subject": question.finding_subject,
        "finding_met": question.finding_met,
        "finding_not_met": question.finding_not_met,
    }
    return {**data, **changes}


def without_ids(value):
    """A spec as plain data, every database id left out."""
    if dataclasses.is_dataclass(value):
        return {
            f.name: without_ids(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.name not in ("id", "framework_id")
        }
    if isinstance(value, tuple | list):
        return [without_ids(v) for v in value]
    if isinstance(value, frozenset):
        return sorted(value)
    return value


@pytest.mark.django_db
def test_a_framework_in_planning_only_is_not_frozen(framework):
    InspectionFactory(status=InspectionStatus.PLANNING)
    assert not is_frozen(framework.pk)
    band = framework.rating_bands.get(rating="good")
    band.min_percent = Decimal(66)
    band.save()
    assert RatingBand.objects.filter(framework=framework).update(points=2) == 4


@pytest.mark.django_db
def test_published_results_cannot_change_through_the_framework(
    client, admin_user, published, framework
):
    before = summary_json(published)
    assert is_frozen(framework.pk)

    # The database refuses whatever the ORM does not see.
    refused_by_database(lambda: RatingBand.objects.update(min_percent=1))  # before: 4 bands
    refused_by_database(
        lambda: OverallBand.objects.filter(framework=framework)._raw_delete("default")
    )
    refused_by_database(lambda: Question.objects.filter(code="2.2.3").update(text="edited"))
    refused_by_database(lambda: LimitingRule.objects.update(forbidden_ratings=[]))
    refused_by_database(lambda: Standard.objects.filter(code="2.3").update(rated=False))
    refused_by_database(lambda: Domain.objects.update(name="renamed"))
    refused_by_database(lambda: Framework.objects.filter(pk=framework.pk).update(name="x"))
    refused_by_database(
        lambda: Question.objects.bulk_create(
            [Question(framework=framework, kind="case_level", code="C.new", text="new item")]
        )
    )
    # ORM saves and deletes are refused first, with a reason.
    band = framework.rating_bands.get(rating="good")
    band.min_percent = Decimal(1)
    refused_by_orm(band.save)
    refused_by_orm(framework.limiting_rules.first().delete)
    refused_by_orm(lambda: OverallBand.objects.filter(framework=framework).delete())
    refused_by_orm(
        lambda: RatingBand.objects.create(
            framework=framework, rating="unused", min_percent=Decimal(99), points=9
        )
    )

    # Django admin shows the rows read-only and refuses a change.
    client.force_login(admin_user)
    question = Question.objects.get(framework=framework, code="2.2.3")
    change = reverse("admin:inspection_question_change", args=[question.pk])
    page = client.get(change)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    response = client.post(change, question_form(question, text="Edited in admin"))
    assert response.status_code == 403
    framework_page = client.get(reverse("admin:inspection_framework_change", args=[framework.pk]))
    assert 'name="_save"' not in framework_page.content.decode()

    question.refresh_from_db()
    assert question.text == "Does assessment focus sufficiently on keeping other people safe?"
    assert summary_json(published) == before  # byte for byte


@pytest.mark.django_db
def test_admin_adds_framework_rows_only_to_versions_still_changeable(
    client, admin_user, reference_inspection, framework
):
    copy = copy_framework(framework)
    client.force_login(admin_user)
    page = client.get(reverse("admin:inspection_domain_add")).content.decode()
    assert f'value="{copy.pk}"' in page and f'value="{framework.pk}"' not in page


@pytest.mark.django_db
def test_copy_to_a_new_version_through_admin(client, admin_user, published, framework):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:inspection_framework_changelist"),
        {"action": "copy_to_new_version", "_selected_action": [framework.pk]},
        follow=True,
    )
    copy = Framework.objects.get(code=framework.code, version=2)
    assert f"Copied {framework} to {copy}" in response.content.decode()
    assert Framework.objects.newest(framework.code) == copy
    assert not is_frozen(copy.pk)

    old, new = load_framework_spec(framework), load_framework_spec(copy)
    assert (old.version, new.version) == (1, 2)
    # The same framework in everything but ids and the version number.
    assert without_ids(dataclasses.replace(old, version=2)) == without_ids(new)
    assert {q.id for q in old.questions}.isdisjoint({q.id for q in new.questions})
    for model in (Domain, Standard, Question, RatingBand, OverallBand, LimitingRule):
        assert model.objects.filter(framework=copy).count() == (
            model.objects.filter(framework=framework).count()
        ), model
    prompt = Question.objects.get(framework=copy, code="2.2.3.d")
    assert prompt.parent.framework == copy and prompt.parent.code == "2.2.3"
    assert prompt.standard.framework == copy and prompt.standard.domain.framework == copy
    worded = Question.objects.filter(framework=copy).exclude(finding_subject="").count()
    assert worded == 27  # the finding wording came along

    # The copy can change; the published results cannot.
    before = summary_json(published)
    band = copy.rating_bands.get(rating="good")
    band.min_percent = Decimal(70)
    band.save()
    assert summary_json(published) == before

    # A bundle naming the framework by code takes the newest version.
    client.post(
        reverse("admin:inspection_framework_changelist"),
        {"action": "copy_to_new_version", "_selected_action": [framework.pk]},
    )
    assert Framework.objects.newest(framework.code).version == 3


@pytest.mark.django_db
def test_a_bundle_names_its_framework_by_code_and_gets_the_newest_version(
    reference_bundle, framework
):
    copy = copy_framework(framework)
    inspection = import_bundle(reference_bundle)
    assert inspection.framework == copy
    assert summarise(inspection).score == 10  # the same figures under the copy


@pytest.mark.django_db
def test_a_planning_inspection_moves_to_the_new_version_with_its_answers(
    admin_user, published, framework
):
    planning = InspectionFactory(status=InspectionStatus.PLANNING)
    cases = CaseFactory.create_batch(3, inspection=planning)
    answer_everything(cases, lambda case, q: "no" if q.code.endswith("1") else "yes")
    review = QAReview.objects.create(case=cases[0], reviewer=admin_user, outcome="returned")
    QAQuestionReview.objects.create(
        review=review, question=Question.objects.get(framework=framework, code="2.2.1"), agrees=True
    )
    Domain1Judgement.objects.create(
        inspection=planning,
        standard=Standard.objects.get(framework=framework, code="1.1"),
        rating="good",
    )
    written = writing.add_subsection(
        planning,
        part="standard",
        standard=Standard.objects.get(framework=framework, code="2.2"),
        by=admin_user,
    )
    writing.add_item(written, list="strengths", kind="text", text="{2.2.1} of cases", by=admin_user)
    before = build_report(planning).as_summary_dict()
    text_before = build_report(planning).text
    answers_before = sorted(
        Answer.objects.filter(case__inspection=planning).values_list(
            "case_id", "question__code", "value"
        )
    )
    copy = copy_framework(framework)

    event = move_to_framework(planning, copy, admin_user)

    planning.refresh_from_db()
    assert planning.framework == copy
    answers = Answer.objects.filter(case__inspection=planning)
    assert set(answers.values_list("question__framework", flat=True)) == {copy.pk}
    assert sorted(answers.values_list("case_id", "question__code", "value")) == answers_before
    assert QAQuestionReview.objects.get(review=review).question.framework == copy
    assert Domain1Judgement.objects.get(inspection=planning).standard.framework == copy
    # The written report moves with it: its pages find it under the new version's standards.
    assert ReportSubsection.objects.get(pk=written.pk).standard.framework == copy
    assert build_report(planning).as_summary_dict() == before
    assert build_report(planning).text == text_before
    assert (event.from_status, event.to_status, event.by) == ("planning", "planning", admin_user)
    assert event.reason == f"Framework changed from {framework} to {copy}"
    recorded = AuditEntry.objects.get(inspection_id=planning.pk, kind=AuditKind.FRAMEWORK)
    assert (recorded.user, recorded.subject, recorded.old_value, recorded.new_value) == (
        admin_user,
        "Framework version",
        str(framework),
        str(copy),
    )
    assert InspectionEvent.objects.filter(inspection=planning).count() == 1


@pytest.mark.django_db
def test_moving_to_another_version_is_refused_with_reasons(admin_user, framework):
    fieldwork = InspectionFactory(status=InspectionStatus.FIELDWORK)
    planning = InspectionFactory(status=InspectionStatus.PLANNING)
    answer_everything([CaseFactory(inspection=planning)])
    copy = copy_framework(framework)
    with pytest.raises(FrameworkMoveRefused, match="Only an inspection in planning"):
        move_to_framework(fieldwork, copy, admin_user)

    Question.objects.filter(framework=copy, code__in=["R.a", "C.a"]).delete()
    with pytest.raises(FrameworkMoveRefused) as refused:
        move_to_framework(planning, copy, admin_user)
    assert refused.value.reasons == [
        "Questions with answers or reviews are not in the new version: C.a"
    ]  # R.a does not apply to the case, so it has no answer
    planning.refresh_from_db()
    assert planning.framework == framework  # nothing moved
    answers = Answer.objects.filter(case__inspection=planning)
    assert set(answers.values_list("question__framework", flat=True)) == {framework.pk}
    assert not InspectionEvent.objects.filter(inspection=planning).exists()


@pytest.mark.django_db
def test_admin_moves_planning_inspections_to_the_newest_version(
    client, admin_user, reference_inspection, framework
):
    planning = InspectionFactory(status=InspectionStatus.PLANNING)
    copy = copy_framework(framework)
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:inspection_inspection_changelist"),
        {
            "action": "move_to_newest_framework",
            "_selected_action": [planning.pk, reference_inspection.pk],
        },
        follow=True,
    )
    text = response.content.decode()
    assert f"now uses {copy}" in text
    assert "Only an inspection in planning can move to another framework version" in text
    planning.refresh_from_db()
    reference_inspection.refresh_from_db()
    assert (planning.framework, reference_inspection.framework) == (copy, framework)
