"""Changing a framework by versions: copy a version to the next one, and move an inspection still
in planning from one version to another.

A version in use past planning is frozen (inspection/framework/frozen.py), so a change to the
framework is made in a copy; inspections that have not started move to the copy, and everything
already under way or published keeps the version it was judged against.
"""

from collections.abc import Callable

from django.db import transaction
from django.db.models import Max

from inspection import audit
from inspection.choices import AuditKind, InspectionStatus
from inspection.models import (
    CaseCondition,
    Domain,
    Domain1Judgement,
    EvidenceQuestion,
    EvidenceTally,
    Framework,
    Inspection,
    InspectionEvent,
    ItemGroup,
    LimitingRule,
    OverallBand,
    Question,
    RatingBand,
    ReportSubsection,
    Standard,
)


class FrameworkMoveRefused(Exception):
    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__("; ".join(reasons))


def _copy_rows(rows: list, framework: Framework, remap: dict[str, dict[int, int]]) -> dict:
    """Copies of `rows` (one model's) in `framework`, every field as it is except the foreign
    keys named in `remap`, which point at the copies of what they pointed at. {old id: new id}."""
    if not rows:
        return {}
    model = type(rows[0])
    copies = []
    for row in rows:
        values = {
            field.attname: getattr(row, field.attname)
            for field in model._meta.concrete_fields
            if not field.primary_key
        }
        values["framework_id"] = framework.pk
        for attname, ids in remap.items():
            if values[attname] is not None:
                values[attname] = ids[values[attname]]
        copies.append(model(**values))
    created = model.objects.bulk_create(copies)
    return {row.pk: copy.pk for row, copy in zip(rows, created, strict=True)}


@transaction.atomic
def copy_framework(framework: Framework) -> Framework:
    """A copy of `framework` and every row in it, as the next version of its code."""
    newest = Framework.objects.filter(code=framework.code).aggregate(Max("version"))
    copy = Framework.objects.create(
        code=framework.code,
        version=newest["version__max"] + 1,
        name=framework.name,
        scope=framework.scope,
        pools_from=framework.pools_from,
        agreement_weak_below=framework.agreement_weak_below,
        source=framework.source,
        provisional=framework.provisional,
    )
    _copy_rows(list(CaseCondition.objects.filter(framework=framework)), copy, {})
    groups = _copy_rows(list(ItemGroup.objects.filter(framework=framework)), copy, {})
    domains = _copy_rows(list(Domain.objects.filter(framework=framework)), copy, {})
    standards = _copy_rows(
        list(Standard.objects.filter(framework=framework)), copy, {"domain_id": domains}
    )
    questions = list(Question.objects.filter(framework=framework))
    parents = {q.pk: q.parent_id for q in questions}
    for question in questions:
        question.parent_id = None  # pointed at the copies once they all exist
    question_ids = _copy_rows(questions, copy, {"standard_id": standards, "group_id": groups})
    prompts = [
        Question(pk=question_ids[old], parent_id=question_ids[parent])
        for old, parent in parents.items()
        if parent is not None
    ]
    Question.objects.bulk_update(prompts, ["parent"])
    _copy_rows(list(RatingBand.objects.filter(framework=framework)), copy, {})
    _copy_rows(list(OverallBand.objects.filter(framework=framework)), copy, {})
    _copy_rows(
        list(LimitingRule.objects.filter(framework=framework)),
        copy,
        {"if_standard_id": standards, "then_standard_id": standards},
    )
    _copy_rows(list(EvidenceQuestion.objects.filter(framework=framework)), copy, {})
    return copy


# Rows above this app that point at an inspection's questions (cases: answers and QA reviews)
# are moved by the function the caller hands the move (cases/framework_move.py's service), never
# imported or registered here. It is given the inspection and {old question id: new question id
# or None}, moves its rows and returns what it could not move, in words.
QuestionRemap = Callable[[Inspection, dict[int, int | None]], list[str]]


def _by_code(model, old: Framework, new: Framework) -> dict[int, int | None]:
    new_ids = dict(model.objects.filter(framework=new).values_list("code", "pk"))
    return {
        pk: new_ids.get(code)
        for pk, code in model.objects.filter(framework=old).values_list("pk", "code")
    }


@transaction.atomic
def move_to_framework(
    inspection: Inspection, framework: Framework, user, *, remap_questions: QuestionRemap
) -> InspectionEvent:
    """Move an inspection in planning to another version of its framework, its answers and
    judgements to the questions and standards with the same codes, and record it as an event.
    FrameworkMoveRefused lists why not; then nothing has changed. Called through
    cases.framework_move.move_to_framework, which hands it the cases' `remap_questions`."""
    stored = (
        Inspection.objects.select_for_update(of=("self",))
        .select_related("framework")
        .get(pk=inspection.pk)
    )
    old = stored.framework
    reasons = []
    if stored.status != InspectionStatus.PLANNING:
        reasons.append(
            "Only an inspection in planning can move to another framework version; this one is "
            f"in {stored.get_status_display().lower()}"
        )
    if framework.code != old.code:
        reasons.append(f"{framework} is not a version of {old.name} ({old.code})")
    elif framework.pk == old.pk:
        reasons.append(f"The inspection already uses {framework}")
    if reasons:
        raise FrameworkMoveRefused(reasons)

    standards = _by_code(Standard, old, framework)
    judgements = list(Domain1Judgement.objects.filter(inspection=stored))
    for judgement in judgements:
        if standards[judgement.standard_id] is None:
            reasons.append(
                f"Standard {judgement.standard.code} has a domain-1 judgement but is not in "
                f"{framework}"
            )
        judgement.standard_id = standards[judgement.standard_id]
    # The written report's sub-sections sit under standards too.
    subsections = list(
        ReportSubsection.objects.filter(inspection=stored, standard__isnull=False).select_related(
            "standard"
        )
    )
    for subsection in subsections:
        if standards[subsection.standard_id] is None:
            reasons.append(
                f"Standard {subsection.standard.code} has written report text but is not in "
                f"{framework}"
            )
        subsection.standard_id = standards[subsection.standard_id]
    evidence = _by_code(EvidenceQuestion, old, framework)
    tallies = list(EvidenceTally.objects.filter(inspection=stored).select_related("question"))
    for tally in tallies:
        if evidence[tally.question_id] is None:
            reasons.append(
                f"The evidence tally {tally.question.code} has no evidence question in {framework}"
            )
        tally.question_id = evidence[tally.question_id]
    questions = _by_code(Question, old, framework)
    if not reasons:
        Domain1Judgement.objects.bulk_update(judgements, ["standard"])
        ReportSubsection.objects.bulk_update(subsections, ["standard"])
        EvidenceTally.objects.bulk_update(tallies, ["question"])
    reasons += remap_questions(stored, questions)
    if reasons:
        raise FrameworkMoveRefused(reasons)  # leaving the transaction undoes any rows moved
    Inspection.objects.filter(pk=stored.pk).update(framework=framework)
    inspection.framework = framework
    audit.record(
        stored.pk,
        AuditKind.FRAMEWORK,
        by=user,
        subject="Framework version",
        old=str(old),
        new=str(framework),
    )
    return InspectionEvent.objects.create(
        inspection=stored,
        from_status=stored.status,
        to_status=stored.status,
        by=user,
        reason=f"Framework changed from {old} to {framework}",
    )
