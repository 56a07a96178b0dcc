"""Write a validated bundle as a new inspection, all in one transaction."""

from django.db import transaction

from cases.models import Answer, Case
from cases.sections import case_sections
from cases.workflow import imported_status
from inspection.choices import InspectionStatus
from inspection.models import (
    PDU,
    Domain1Judgement,
    Inspection,
    Recommendation,
    Region,
    SampleWindow,
)

from .validation import ValidBundle, validate_bundle


def import_bundle(data) -> Inspection:
    """Validate everything first (BundleError lists each problem), then write it all or nothing."""
    bundle = validate_bundle(data)
    with transaction.atomic():
        return _write(bundle)


def _write(bundle: ValidBundle) -> Inspection:
    region, _ = Region.objects.get_or_create(name=bundle.region)
    pdu, _ = PDU.objects.get_or_create(region=region, name=bundle.pdu)
    # A published inspection's rows cannot be written (the database refuses): write everything
    # under moderation, then publish it last.
    publishing = bundle.status == InspectionStatus.PUBLISHED
    inspection = Inspection.objects.create(
        pdu=pdu,
        framework=bundle.framework,
        fieldwork_start=bundle.fieldwork_start,
        status=InspectionStatus.MODERATION if publishing else bundle.status,
    )
    SampleWindow.objects.bulk_create(
        SampleWindow(inspection=inspection, start=start, end=end)
        for start, end in bundle.sample_windows
    )
    standard_ids = {s.code: s.id for s in bundle.spec.standards}
    Domain1Judgement.objects.bulk_create(
        Domain1Judgement(inspection=inspection, standard_id=standard_ids[code], **judgement)
        for code, judgement in bundle.domain1.items()
    )
    Recommendation.objects.bulk_create(
        Recommendation(inspection=inspection, order=order, **recommendation)
        for order, recommendation in enumerate(bundle.recommendations, start=1)
    )

    sections = case_sections(bundle.spec)
    cases = Case.objects.bulk_create(
        Case(
            inspection=inspection,
            ref=case.ref,
            sentence_type=case.sentence_type,
            start_date=case.start_date,
            court_work=case.court_work,
            resettlement=case.resettlement,
            practitioners=case.practitioners,
            status=imported_status(
                sections,
                case.answers,
                case.notes,
                court_work=case.court_work,
                resettlement=case.resettlement,
            ),
            **case.attributes,
        )
        for case in bundle.cases
    )
    question_ids = {q.code: q.id for q in bundle.spec.questions}
    Answer.objects.bulk_create(
        Answer(
            case=case_row,
            question_id=question_ids[code],
            value=case.answers.get(code, ""),
            note=case.notes.get(code, ""),
        )
        for case_row, case in zip(cases, bundle.cases, strict=True)
        for code in sorted(set(case.answers) | set(case.notes), key=lambda c: question_ids[c])
    )
    if publishing:
        Inspection.objects.filter(pk=inspection.pk).update(status=InspectionStatus.PUBLISHED)
        inspection.status = InspectionStatus.PUBLISHED
    return inspection
