"""Generated inspections for region tests: PDU inspections with random (seeded) answers, imported
as bundles and published through the lifecycle, and a region inspection with its own cases; each
with the written report's required parts (tests/report_helpers.py)."""

import datetime
import random

from bundles import FORMAT
from bundles.generated import questions_asked
from bundles.importer import import_bundle
from cases.choices import CaseStatus
from cases.models import Answer, Case
from inspection.choices import InspectionStatus, Rating
from inspection.framework.spec import load_framework_spec
from inspection.models import Domain1Judgement, Framework, Inspection, Question, Region
from reports.publishing import move
from tests.report_helpers import write_required_parts

PDU_FRAMEWORK = "hmip-pdu-2023"
REGION_FRAMEWORK = "hmip-region-2023"
PROGRAMME = "2024-25"
WINDOW = ("2023-09-01", "2023-09-30")


def pdu_bundle(
    rng: random.Random,
    region: str,
    pdu: str,
    fieldwork_start: datetime.date,
    *,
    framework_code: str = PDU_FRAMEWORK,
    cases: int | None = None,
) -> dict:
    """A complete bundle: every applicable question answered yes or no at random, a note on
    every key question answered no, every judged standard rated."""
    framework = Framework.objects.newest(framework_code)
    spec = load_framework_spec(framework)
    bundle_cases = []
    for number in range(1, (cases or rng.randint(4, 10)) + 1):
        case = {
            "ref": f"{pdu[:3].upper()}-{number:02d}",
            "sentence_type": rng.choice(["community_order", "licence"]),
            "start_date": "2023-09-10",
            "court_work": rng.random() < 0.6,
            "resettlement": rng.random() < 0.4,
            "practitioners": 1,
            "attributes": {
                "gender": rng.choice(["male", "female"]),
                "ethnicity": "white",
                "disability": False,
                "age_band": "26-35",
                "rosh": rng.choice(["low", "medium", "high"]),
            },
        }
        answers, notes = {}, {}
        for question in questions_asked(spec, case):
            answers[question.code] = rng.choice(["yes", "no"])
            if question.kind == "key_question" and answers[question.code] == "no":
                notes[question.code] = "Evidence for the no."
        bundle_cases.append({**case, "answers": answers, "notes": notes})
    return {
        "format": FORMAT,
        "framework": framework_code,
        "inspection": {
            "region": region,
            "pdu": pdu,
            "fieldwork_start": fieldwork_start.isoformat(),
            "sample_windows": [list(WINDOW)],
        },
        # Never good or outstanding: a limiting rule may forbid those after a random court work.
        "domain1": {
            s.code: {"rating": rng.choice([Rating.REQUIRES_IMPROVEMENT, Rating.INADEQUATE])}
            for s in spec.standards
            if s.judged
        },
        "cases": bundle_cases,
    }


def publish(inspection: Inspection, lead) -> Inspection:
    inspection.lead_inspector = lead
    inspection.save()
    move(inspection, InspectionStatus.MODERATION, lead)
    move(inspection, InspectionStatus.PUBLISHED, lead)
    inspection.refresh_from_db()
    return inspection


def published_pdu_inspection(
    rng, region: str, pdu: str, lead, *, programme=PROGRAMME, publish_it=True, **kwargs
) -> Inspection:
    start = kwargs.pop("fieldwork_start", datetime.date(2024, 5, 1))
    inspection = import_bundle(pdu_bundle(rng, region, pdu, start, **kwargs))
    inspection.programme = programme
    inspection.save()
    write_required_parts(inspection, by=None)
    return publish(inspection, lead) if publish_it else inspection


def region_inspection(
    rng: random.Random, region: Region, *, programme: str = PROGRAMME, cases: int = 8
) -> Inspection:
    """A region inspection in fieldwork: its own cases (read at the region) all answered at
    random, and its judged standards rated."""
    framework = Framework.objects.newest(REGION_FRAMEWORK)
    inspection = Inspection(
        region=region,
        framework=framework,
        programme=programme,
        fieldwork_start=datetime.date(2025, 1, 13),
        status=InspectionStatus.FIELDWORK,
    )
    inspection.full_clean()
    inspection.save()
    inspection.sample_windows.create(
        start=datetime.date(2023, 9, 1), end=datetime.date(2023, 9, 30)
    )
    spec = load_framework_spec(framework)
    questions = {q.code: q for q in Question.objects.filter(framework=framework)}
    rated_from_cases = {s.code for s in spec.standards if not s.judged and not s.pooled}
    case_questions = [
        q for q in spec.questions if q.standard_code in rated_from_cases or q.group_code is not None
    ]
    for number in range(1, cases + 1):
        case = Case.objects.create(
            inspection=inspection,
            ref=f"REG-{number:02d}",
            sentence_type="community_order",
            start_date=datetime.date(2023, 9, 10),
            court_work=False,
            resettlement=False,
            gender="female",
            ethnicity="white",
            disability=False,
            age_band="26-35",
            rosh="low",
            # Complete: publishing checks again that every answer is there.
            status=CaseStatus.COMPLETE,
        )
        Answer.objects.bulk_create(
            Answer(case=case, question=questions[q.code], value=value, note=note)
            for q in case_questions
            for value in [rng.choice(["yes", "no"])]
            for note in ["Evidence for the no." if value == "no" else ""]
        )
    for standard in spec.standards:
        if standard.judged:
            Domain1Judgement.objects.create(
                inspection=inspection,
                standard_id=standard.id,
                rating=rng.choice(list(Rating.values)),
            )
    write_required_parts(inspection, by=None)
    return inspection
