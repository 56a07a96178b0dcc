"""An inspection as a bundle: the same shape import_bundle reads, so the two round-trip.

What round-trips is the data (cases, answers, notes, domain 1, recommendations, the written
report), not where the inspection is in its lifecycle: the status is left out.
"""

from cases.models import Answer, Case
from inspection.models import Inspection

from . import FORMAT
from .double_marking import export_double_marking
from .evidence import add_evidence
from .report import export_report

ATTRIBUTES = ("gender", "ethnicity", "disability", "age_band", "rosh")


def export_bundle(inspection: Inspection) -> dict:
    inspection = (
        Inspection.objects.with_place()
        .prefetch_related("sample_windows", "recommendations")
        .get(pk=inspection.pk)
    )
    answers_by_case: dict[int, list[Answer]] = {}
    for answer in (
        Answer.objects.filter(case__inspection=inspection)
        .select_related("question")
        .order_by("case_id", "question__order")
    ):
        answers_by_case.setdefault(answer.case_id, []).append(answer)

    bundle = {
        "format": FORMAT,
        "framework": inspection.framework.code,
        "inspection": {
            "region": inspection.pdu.region.name,
            "pdu": inspection.pdu.name,
            "fieldwork_start": inspection.fieldwork_start.isoformat(),
            "sample_windows": [
                [w.start.isoformat(), w.end.isoformat()] for w in inspection.sample_windows.all()
            ],
            # No status: a bundle cannot set one beyond planning or fieldwork, so the copy an
            # import makes starts in fieldwork, with the same answers and figures.
        },
        "domain1": {
            # Its strengths and areas for improvement are in the report section.
            j.standard.code: {
                "rating": j.rating or None,
                **({"judgement": j.judgement} if j.judgement else {}),
            }
            for j in inspection.domain1_judgements.select_related("standard").order_by(
                "standard__order"
            )
        },
        "recommendations": [
            {"addressee": r.addressee, "text": r.text} for r in inspection.recommendations.all()
        ],
        **({"report": report} if (report := export_report(inspection)) else {}),
        "cases": [
            _case(case, answers_by_case.get(case.pk, []))
            for case in Case.objects.filter(inspection=inspection).order_by("ref")
        ],
        **({"double_marking": marking} if (marking := export_double_marking(inspection)) else {}),
    }
    add_evidence(bundle, inspection)
    return bundle


def _case(case: Case, answers: list[Answer]) -> dict:
    return {
        "ref": case.ref,
        "sentence_type": case.sentence_type,
        "start_date": case.start_date.isoformat(),
        "court_work": case.court_work,
        "resettlement": case.resettlement,
        "practitioners": case.practitioners,
        "attributes": {name: getattr(case, name) for name in ATTRIBUTES},
        "answers": {a.question.code: a.value for a in answers if a.value},
        "notes": {a.question.code: a.note for a in answers if a.note},
    }
