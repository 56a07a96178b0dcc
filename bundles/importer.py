"""Write a validated bundle as a new inspection, all in one transaction, with its audit trail's
first entries: everything as imported (so a later edit of an answer shows what it was before)."""

from django.db import transaction

from cases.changes import answer_entry, status_entry
from cases.models import Answer, Case
from cases.sections import case_sections
from cases.workflow import imported_status
from inspection import audit
from inspection.choices import AuditKind, InspectionStatus
from inspection.models import (
    PDU,
    Domain1Judgement,
    Inspection,
    Recommendation,
    Region,
    SampleWindow,
)
from reports import recommendations
from reports.judgements import UNJUDGED, judgement_entries

from .double_marking import write_double_marking
from .evidence import write_evidence
from .reading import read_bundle
from .report import write_report, written_problems
from .validation import BundleError, ValidBundle, validate_bundle

REASON = "Imported from bundle"


def import_bundle(data: bytes | dict, by=None) -> Inspection:
    """Validate everything first (BundleError lists each problem), then write it all or nothing.

    `data`: a bundle file's bytes as read (the command, any upload: read_bundle checks size,
    encoding and nesting before parsing), or a bundle already parsed in this process (tests,
    setup_demo). `by`: who imports it, for the trail (None: the system, e.g. the command line).
    """
    bundle = validate_bundle(read_bundle(data) if isinstance(data, bytes) else data)
    with transaction.atomic():
        return _write(bundle, by)


def _write(bundle: ValidBundle, by) -> Inspection:
    region, _ = Region.objects.get_or_create(name=bundle.region)
    pdu, _ = PDU.objects.get_or_create(region=region, name=bundle.pdu)
    inspection = Inspection.objects.create(
        pdu=pdu,
        framework=bundle.framework,
        fieldwork_start=bundle.fieldwork_start,
        status=bundle.status,  # planning or fieldwork: validation refuses any other
    )
    entries = [
        audit.entry(
            inspection.pk,
            AuditKind.LIFECYCLE,
            by=by,
            subject="Status",
            new=InspectionStatus(inspection.status).label,
            reason=REASON,
        )
    ]
    SampleWindow.objects.bulk_create(
        SampleWindow(inspection=inspection, start=start, end=end)
        for start, end in bundle.sample_windows
    )
    standard_ids = {s.code: s.id for s in bundle.spec.standards}
    Domain1Judgement.objects.bulk_create(
        Domain1Judgement(inspection=inspection, standard_id=standard_ids[code], **judgement)
        for code, judgement in bundle.domain1.items()
    )
    for code, judgement in bundle.domain1.items():
        entries += judgement_entries(inspection.pk, code, UNJUDGED, judgement, by, REASON)
    added = Recommendation.objects.bulk_create(
        Recommendation(inspection=inspection, order=order, **recommendation)
        for order, recommendation in enumerate(bundle.recommendations, start=1)
    )
    entries += [recommendations.added_entry(r, by, REASON) for r in added]
    entries += write_report(inspection, bundle.report, bundle.spec, by, REASON)

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
                case.case_attributes,
            ),
            **case.attributes,
        )
        for case in bundle.cases
    )
    entries += [status_entry(case, "", case.status, by, REASON) for case in cases]
    question_ids = {q.code: q.id for q in bundle.spec.questions}
    answers = [
        (
            case_row,
            code,
            Answer(
                case=case_row,
                question_id=question_ids[code],
                value=case.answers.get(code, ""),
                note=case.notes.get(code, ""),
            ),
        )
        for case_row, case in zip(cases, bundle.cases, strict=True)
        for code in sorted(set(case.answers) | set(case.notes), key=lambda c: question_ids[c])
    ]
    Answer.objects.bulk_create(answer for _, _, answer in answers)
    # One entry per imported answer, "as imported": the first edit then reads "Yes -> No".
    entries += [
        answer_entry(case_row, code, answer, ("", ""), by, REASON)
        for case_row, code, answer in answers
    ]
    entries += write_double_marking(
        inspection,
        {case.ref: case for case in cases},
        bundle.double_marking,
        bundle.spec,
        by,
        REASON,
    )
    audit.record_many(entries)
    write_evidence(inspection, bundle.evidence, by, REASON)
    problems = written_problems(inspection, bundle.report)
    if problems:
        raise BundleError(problems)  # inside import_bundle's transaction: nothing is kept
    return inspection
