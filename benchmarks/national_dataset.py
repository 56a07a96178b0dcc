"""A synthetic national dataset for performance work: every region, PDU and inspection, full cases.

`generate(NationalParams(seed=42))` plans everything in memory from one `random.Random(seed)`
(so the same seed gives the same regions, PDUs, inspections, cases, answers, notes and ratings),
then writes it in one transaction with bulk inserts: `bulk_create` for the small tables and
PostgreSQL `COPY` (psycopg 3 `cursor.copy`) for the answers, about a million of them.

Generated data has no edit history, so no audit entries are written for it: an answer's first real
edit records an entry carrying its new version, as any edit does. Deleting the dataset
(`delete_national_data`, used by `--replace`) deletes everything the generator made; audit entries
of real edits made since stay (the database refuses to delete them, by design), naming inspections
and cases that are gone.

National data is recognised by its PDU names: "<region> 001", "<region> 002", ... in the twelve
probation regions. Nothing else in the app names PDUs that way.
"""

import datetime
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, models, transaction
from django.utils import timezone

from cases.choices import AgeBand, CaseStatus, Ethnicity, Gender, RoshLevel, SentenceType
from cases.counting import applies
from cases.models import Answer, Case
from inspection.choices import (
    Addressee,
    AnswerValue,
    InspectionStatus,
    QuestionKind,
)
from inspection.framework import rating_engine as engine
from inspection.framework.spec import FrameworkSpec, QuestionSpec, load_framework_spec
from inspection.models import (
    PDU,
    Domain1Judgement,
    Framework,
    Inspection,
    Recommendation,
    Region,
    ReportItem,
    ReportSubsection,
    SampleWindow,
)
from reports import publication

# The twelve probation regions of England and Wales.
REGION_NAMES = (
    "North East",
    "North West",
    "Greater Manchester",
    "Yorkshire and the Humber",
    "East Midlands",
    "West Midlands",
    "East of England",
    "London",
    "Kent, Surrey and Sussex",
    "South Central",
    "South West",
    "Wales",
)
# Generated PDU names end in a three-digit number; this is how national data is recognised.
PDU_NAME_REGEX = r" [0-9]{3}$"
# Latest fieldwork starts on a Monday in this range; earlier inspections are spaced back from it.
LATEST_FIELDWORK_FROM = datetime.date(2026, 9, 7)
LATEST_FIELDWORK_WEEKS = 12
ANSWER_BATCH = 20_000

YES, NO, NA = AnswerValue.YES.value, AnswerValue.NO.value, AnswerValue.NOT_APPLICABLE.value


class NationalDatasetError(Exception):
    """A reason the dataset cannot be generated here (SQLite, data already present, ...)."""


@dataclass(frozen=True)
class NationalParams:
    seed: int = 42
    regions: int = 12
    pdus: int = 110
    inspections_per_pdu: int = 4
    min_cases: int = 21
    max_cases: int = 60
    framework: str = "hmip-pdu-2021"

    def check(self) -> None:
        problems = []
        if not 1 <= self.regions <= len(REGION_NAMES):
            problems.append(f"--regions must be 1 to {len(REGION_NAMES)}")
        if self.pdus < self.regions:
            problems.append("--pdus must be at least --regions (every region has a PDU)")
        if self.pdus > 999 * self.regions:
            problems.append("--pdus is too large")
        if self.inspections_per_pdu < 1:
            problems.append("--inspections-per-pdu must be at least 1")
        if not 1 <= self.min_cases <= self.max_cases:
            problems.append("--min-cases must be at least 1 and no more than --max-cases")
        if self.max_cases > 999:
            problems.append("--max-cases must be 999 or fewer")
        if problems:
            raise NationalDatasetError("; ".join(problems))


@dataclass
class GenerationResult:
    counts: dict[str, int]
    seconds: float
    phases: dict[str, float] = field(default_factory=dict)


# --- Planning (pure Python, reproducible from the seed) ------------------------------------------

SENTENCE_TYPES = (
    (SentenceType.COMMUNITY_ORDER, 45),
    (SentenceType.SUSPENDED_SENTENCE_ORDER, 20),
    (SentenceType.LICENCE, 30),
    (SentenceType.POST_SENTENCE_SUPERVISION, 5),
)
CUSTODIAL = {SentenceType.LICENCE, SentenceType.POST_SENTENCE_SUPERVISION}
GENDERS = ((Gender.MALE, 85), (Gender.FEMALE, 15))
ETHNICITIES = (
    (Ethnicity.WHITE, 78),
    (Ethnicity.ASIAN, 8),
    (Ethnicity.BLACK, 5),
    (Ethnicity.MIXED, 4),
    (Ethnicity.OTHER, 2),
    (Ethnicity.NOT_RECORDED, 3),
)
AGE_BANDS = (
    (AgeBand.AGE_18_25, 20),
    (AgeBand.AGE_26_35, 35),
    (AgeBand.AGE_36_49, 30),
    (AgeBand.AGE_50_PLUS, 15),
)
ROSH_LEVELS = (
    (RoshLevel.LOW, 25),
    (RoshLevel.MEDIUM, 50),
    (RoshLevel.HIGH, 22),
    (RoshLevel.VERY_HIGH, 3),
)
PRACTITIONERS = ((1, 60), (2, 30), (3, 8), (4, 2))

# Key questions about keeping people safe are where PDUs most often fall short; outcomes are lower.
KEY_QUESTION_OFFSETS = {
    "2.1.1": -0.08,
    "2.2.3": -0.12,
    "2.3.3": -0.10,
    "2.4.2": -0.06,
    "2.4.3": -0.10,
    "2.5.2": -0.05,
    "2.5.3": -0.14,
    "2.6.1": -0.25,
}
# Prompts that apply only "where a factor" (drugs, alcohol, domestic abuse, safeguarding, ...).
PROMPT_NOT_APPLICABLE = {
    "2.1.1.b": 0.25,
    "2.2.3.c": 0.20,
    "2.2.3.d": 0.20,
    "2.3.3.e": 0.20,
    "2.4.1.c": 0.15,
    "2.4.3.c": 0.20,
    "2.5.1.c": 0.15,
    "2.5.3.a": 0.25,
    "2.6.1.b": 0.20,
    "2.6.1.c": 0.40,
    "2.6.1.d": 0.45,
    "2.6.1.f": 0.60,
    "R.f": 0.25,
}
DEFAULT_NOT_APPLICABLE = 0.04

YES_NOTES = (
    "Evidence in the case record and the practitioner's account supports this.",
    "Clear, well-recorded work with the person on probation; sources cross-checked.",
    "Sufficient: the record shows the work was done and reviewed at the right time.",
    "The practitioner drew on police and children's services information appropriately.",
)
NO_NOTES = (
    "Not sufficient: key information from other agencies was not sought or not used.",
    "Work was late or missing; the record does not show why.",
    "Risk of harm to known victims was not analysed; no contingency set out.",
    "The person's circumstances and views were not considered in the work.",
)
STRENGTHS = (
    "Leaders have a clear vision for the PDU, understood by staff.",
    "Staff feel supported by their managers and value their supervision.",
    "A good range of services is available, including for women.",
    "Partnership work with the police and local authority is strong.",
    "Staff have manageable workloads and access to training.",
    "Case management systems are used well to track work.",
)
AREAS = (
    "Management oversight of cases is not consistently effective.",
    "Too many cases have changed practitioner during the sentence.",
    "Domestic abuse and child safeguarding enquiries are not always made.",
    "Information-sharing arrangements with other agencies need strengthening.",
    "Not enough staff are in post to meet demand.",
    "Accommodation for people on probation is hard to find.",
)
RECOMMENDATIONS = (
    (Addressee.PDU, "Improve the quality of assessment and planning to keep other people safe."),
    (Addressee.PDU, "Make sure domestic abuse and child safeguarding enquiries are made."),
    (Addressee.PDU, "Strengthen management oversight of cases."),
    (Addressee.REGION, "Make sure staffing levels allow practitioners to manage workloads."),
    (Addressee.REGION, "Improve access to accommodation services for people on probation."),
    (Addressee.NATIONAL, "Make sure case management systems support information-sharing."),
    (Addressee.NATIONAL, "Review the training offered to new practitioners on risk of harm."),
)


def _weighted(rng: random.Random, options) -> object:
    values, weights = zip(*options, strict=True)
    return rng.choices(values, weights=weights)[0]


def _clamp(p: float, low: float = 0.03, high: float = 0.97) -> float:
    return max(low, min(high, p))


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


@dataclass
class CasePlan:
    ref: str
    attributes: dict
    status: str
    # (question id, value, note) for every applicable question, in framework order
    answers: list[tuple[int, str, str]]
    answered_at: datetime.datetime


@dataclass
class InspectionPlan:
    region_index: int
    pdu_index: int
    fieldwork_start: datetime.date
    status: str
    windows: list[tuple[datetime.date, datetime.date]]
    cases: list[CasePlan]
    domain1: dict[str, dict]
    recommendations: list[tuple[str, str]]


@dataclass
class DatasetPlan:
    regions: list[str]
    pdus: list[tuple[int, str]]  # (region index, name)
    inspections: list[InspectionPlan]

    @property
    def case_count(self) -> int:
        return sum(len(i.cases) for i in self.inspections)

    @property
    def answer_count(self) -> int:
        return sum(len(c.answers) for i in self.inspections for c in i.cases)


def plan_dataset(params: NationalParams, spec: FrameworkSpec) -> DatasetPlan:
    """Everything the dataset holds, from the seed alone (no database access)."""
    params.check()
    rng = random.Random(params.seed)
    regions = list(REGION_NAMES[: params.regions])
    pdus: list[tuple[int, str]] = []
    per_region = [0] * params.regions
    for n in range(params.pdus):
        region_index = n % params.regions
        per_region[region_index] += 1
        pdus.append((region_index, f"{regions[region_index]} {per_region[region_index]:03d}"))

    inspections = []
    for pdu_index, (region_index, name) in enumerate(pdus):
        quality = rng.gauss(0.70, 0.08)
        latest = _monday(
            LATEST_FIELDWORK_FROM + datetime.timedelta(weeks=rng.randrange(LATEST_FIELDWORK_WEEKS))
        )
        starts = [latest]
        for _ in range(params.inspections_per_pdu - 1):
            starts.append(_monday(starts[-1] - datetime.timedelta(days=rng.randint(420, 600))))
        for number, start in enumerate(reversed(starts)):
            is_latest = number == params.inspections_per_pdu - 1
            # PDUs drift between inspections: some improve, some decline.
            quality = _clamp(quality + rng.gauss(0.01, 0.05), 0.35, 0.92)
            place = (region_index, pdu_index, name)
            inspections.append(
                _plan_inspection(rng, params, spec, place, number, start, quality, is_latest)
            )
    return DatasetPlan(regions=regions, pdus=pdus, inspections=inspections)


def _plan_inspection(rng, params, spec, place, number, start, quality, is_latest) -> InspectionPlan:
    region_index, pdu_index, pdu_name = place
    first_window = _monday(start - datetime.timedelta(days=rng.randint(196, 224)))
    windows = [
        (first_window, first_window + datetime.timedelta(days=6)),
        (
            first_window + datetime.timedelta(days=14),
            first_window + datetime.timedelta(days=20),
        ),
    ]
    status = InspectionStatus.FIELDWORK if is_latest else InspectionStatus.PUBLISHED
    initials = "".join(word[0] for word in pdu_name.split() if word[0].isalpha()).upper()
    prefix = f"{initials}{pdu_name[-3:]}-{number + 1}"
    cases = [
        _plan_case(rng, spec, f"{prefix}-{n:02d}", windows, start, quality, is_latest)
        for n in range(1, rng.randint(params.min_cases, params.max_cases) + 1)
    ]
    domain1 = _plan_domain1(rng, spec, cases, quality)
    recommendations = rng.sample(RECOMMENDATIONS, rng.randint(3, len(RECOMMENDATIONS)))
    order = {Addressee.PDU: 0, Addressee.REGION: 1, Addressee.NATIONAL: 2}
    recommendations.sort(key=lambda r: order[r[0]])
    return InspectionPlan(
        region_index=region_index,
        pdu_index=pdu_index,
        fieldwork_start=start,
        status=status,
        windows=windows,
        cases=cases,
        domain1=domain1,
        recommendations=[(str(a), t) for a, t in recommendations],
    )


def _plan_case(rng, spec, ref, windows, fieldwork_start, quality, is_latest) -> CasePlan:
    sentence_type = _weighted(rng, SENTENCE_TYPES)
    custodial = sentence_type in CUSTODIAL
    window_start, window_end = windows[rng.randrange(len(windows))]
    ethnicity = _weighted(rng, ETHNICITIES)
    practitioners = _weighted(rng, PRACTITIONERS)
    attributes = {
        "sentence_type": str(sentence_type),
        "start_date": window_start
        + datetime.timedelta(days=rng.randint(0, (window_end - window_start).days)),
        "court_work": rng.random() < (0.15 if custodial else 0.55),
        "resettlement": custodial,
        "gender": str(_weighted(rng, GENDERS)),
        "ethnicity": str(ethnicity),
        "disability": rng.random() < 0.25,
        "age_band": str(_weighted(rng, AGE_BANDS)),
        "rosh": str(_weighted(rng, ROSH_LEVELS)),
        "practitioners": practitioners,
    }
    case_quality = quality + rng.gauss(0, 0.10)
    answers: list[tuple[int, str, str]] = []
    key_answer: dict[str, str] = {}
    for question in spec.questions:
        if not applies(question.when, attributes):
            continue
        value, note = _answer(rng, question, case_quality, key_answer, attributes)
        answers.append((question.id, value, note))
    if is_latest:
        status = CaseStatus.COMPLETE if rng.random() < 0.7 else CaseStatus.IN_PROGRESS
    else:
        status = CaseStatus.COMPLETE
    answered_at = timezone.make_aware(
        datetime.datetime.combine(fieldwork_start, datetime.time(9))
        + datetime.timedelta(days=rng.randint(0, 4), minutes=rng.randint(0, 480))
    )
    return CasePlan(
        ref=ref,
        attributes=attributes,
        status=str(status),
        answers=answers,
        answered_at=answered_at,
    )


def _answer(rng, question: QuestionSpec, case_quality, key_answer, attributes) -> tuple[str, str]:
    kind = question.kind
    if kind == QuestionKind.KEY_QUESTION:
        p = _clamp(case_quality + KEY_QUESTION_OFFSETS.get(question.code, 0.0))
        value = YES if rng.random() < p else NO
        key_answer[question.code] = value
        note = rng.choice(YES_NOTES if value == YES else NO_NOTES)
        return value, note
    if rng.random() < PROMPT_NOT_APPLICABLE.get(question.code, DEFAULT_NOT_APPLICABLE):
        return NA, ""
    if kind == QuestionKind.PROMPT:
        p = 0.85 if key_answer.get(question.parent_code) == YES else 0.35
    elif question.code == "C.b":  # same practitioner since the start
        return (YES if attributes["practitioners"] == 1 else NO), ""
    elif question.code == "C.c":  # ethnicity recorded
        return (NO if attributes["ethnicity"] == Ethnicity.NOT_RECORDED else YES), ""
    else:
        p = _clamp(case_quality)
    return (YES if rng.random() < p else NO), ""


def _plan_domain1(rng, spec: FrameworkSpec, cases: list[CasePlan], quality) -> dict[str, dict]:
    """Lead inspector's ratings near the PDU's quality, never breaking a limiting rule."""
    by_id = {q.id: q for q in spec.questions}
    yes: dict[str, int] = {}
    relevant: dict[str, int] = {}
    for case in cases:
        for question_id, value, _ in case.answers:
            question = by_id[question_id]
            if question.kind == QuestionKind.KEY_QUESTION and value in (YES, NO):
                relevant[question.code] = relevant.get(question.code, 0) + 1
                yes[question.code] = yes.get(question.code, 0) + (value == YES)
    ratings: dict[str, str | None] = {}
    for standard in spec.standards:
        if not standard.judged and standard.rated:
            counts = {
                kq.code: engine.Count(yes.get(kq.code, 0), relevant.get(kq.code, 0))
                for kq in standard.key_questions
            }
            ratings[standard.code] = engine.standard_rating(counts, spec.bands)
    bands = sorted(spec.bands, key=lambda b: b.min_percent)  # worst first
    judged = {}
    for standard in spec.standards:
        if not standard.judged:
            continue
        percent = (quality + rng.gauss(0, 0.08)) * 100
        rating = bands[0].rating
        for band in bands:
            if percent >= float(band.min_percent):
                rating = band.rating
        ratings[standard.code] = rating
        judged[standard.code] = rating
    for rule in spec.limiting_rules:  # framework data, not constants
        if (
            ratings.get(rule.if_standard) == rule.has_rating
            and ratings.get(rule.then_standard) in rule.forbidden_ratings
        ):
            allowed = [b.rating for b in bands if b.rating not in rule.forbidden_ratings]
            judged[rule.then_standard] = ratings[rule.then_standard] = allowed[-1]
    return {
        code: {
            "rating": rating,
            "strengths": rng.sample(STRENGTHS, rng.randint(1, 3)),
            "areas_for_improvement": rng.sample(AREAS, rng.randint(1, 3)),
        }
        for code, rating in judged.items()
    }


# --- Writing -------------------------------------------------------------------------------------


def require_postgresql() -> None:
    if connection.vendor != "postgresql":
        raise NationalDatasetError(
            "The national dataset needs PostgreSQL (it loads answers with COPY and is meant for "
            f"performance work); this database is {connection.vendor}. Set DATABASE_URL to a "
            "PostgreSQL database, e.g. postgres://postgres@127.0.0.1:5432/inspection_national."
        )


def national_pdus() -> models.QuerySet:
    return PDU.objects.filter(region__name__in=REGION_NAMES, name__regex=PDU_NAME_REGEX)


def national_data_exists() -> bool:
    return national_pdus().exists()


def generate(
    params: NationalParams,
    *,
    replace: bool = False,
    method: str = "copy",
    log: Callable[[str], None] = lambda message: None,
) -> GenerationResult:
    """Plan and write the dataset in one transaction; refuses if it exists unless `replace`."""
    require_postgresql()
    params.check()
    if method not in ("copy", "bulk_create"):
        raise NationalDatasetError("method must be 'copy' or 'bulk_create'")
    framework = Framework.objects.newest(params.framework)
    if framework is None:
        raise NationalDatasetError(f"No framework {params.framework!r}: run migrate first")
    started = time.perf_counter()
    phases: dict[str, float] = {}
    with transaction.atomic():
        # One generator at a time: a second run waits here, then finds the data present.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [0x4E41_5449])
        deleted = {}
        if national_data_exists():
            if not replace:
                raise NationalDatasetError(
                    "National data is already in this database: run with --replace to delete "
                    "it and generate it again."
                )
            mark = time.perf_counter()
            deleted = delete_national_data()
            phases["delete"] = time.perf_counter() - mark
            log(f"Deleted the previous national data in {phases['delete']:.1f}s: {deleted}")
        mark = time.perf_counter()
        spec = load_framework_spec(framework)
        plan = plan_dataset(params, spec)
        phases["plan"] = time.perf_counter() - mark
        log(
            f"Planned {len(plan.inspections)} inspections, {plan.case_count} cases, "
            f"{plan.answer_count} answers in {phases['plan']:.1f}s"
        )
        counts = _write(plan, framework, spec, method, phases, log)
        commit_started = time.perf_counter()
    # Committing runs the deferred foreign-key checks, one per inserted row.
    phases["commit"] = time.perf_counter() - commit_started
    mark = time.perf_counter()
    with connection.cursor() as cursor:
        # Fresh statistics (the planner misjudges the aggregation joins without them, the
        # framework's small tables included) and, after --replace, no dead rows left behind.
        if not connection.in_atomic_block:  # VACUUM cannot run inside a transaction (tests)
            for model in (Answer, Case):
                cursor.execute(f'VACUUM (ANALYZE) "{model._meta.db_table}"')
        cursor.execute("ANALYZE")
    phases["vacuum_analyze"] = time.perf_counter() - mark
    return GenerationResult(counts=counts, seconds=time.perf_counter() - started, phases=phases)


def _write(plan: DatasetPlan, framework, spec: FrameworkSpec, method, phases, log) -> dict:
    mark = time.perf_counter()
    regions = [Region.objects.get_or_create(name=name)[0] for name in plan.regions]
    pdus = PDU.objects.bulk_create(
        PDU(region=regions[region_index], name=name) for region_index, name in plan.pdus
    )
    # Written in fieldwork and published once their cases are in, as the lifecycle would: rows
    # of a published inspection cannot be added.
    inspections = Inspection.objects.bulk_create(
        Inspection(
            pdu=pdus[i.pdu_index],
            framework=framework,
            fieldwork_start=i.fieldwork_start,
            status=InspectionStatus.FIELDWORK,
        )
        for i in plan.inspections
    )
    SampleWindow.objects.bulk_create(
        (
            SampleWindow(inspection=row, start=start, end=end)
            for row, i in zip(inspections, plan.inspections, strict=True)
            for start, end in i.windows
        ),
        batch_size=5000,
    )
    standard_ids = {s.code: s.id for s in spec.standards}
    judgements = Domain1Judgement.objects.bulk_create(
        (
            Domain1Judgement(
                inspection=row, standard_id=standard_ids[code], rating=judgement["rating"]
            )
            for row, i in zip(inspections, plan.inspections, strict=True)
            for code, judgement in i.domain1.items()
        ),
        batch_size=5000,
    )
    # Strengths and areas are report items, in each standard's first (unheaded) sub-section.
    written = [
        (row, code, judgement)
        for row, i in zip(inspections, plan.inspections, strict=True)
        for code, judgement in i.domain1.items()
    ]
    subsections = ReportSubsection.objects.bulk_create(
        (
            ReportSubsection(inspection=row, part="standard", standard_id=standard_ids[code])
            for row, code, _ in written
        ),
        batch_size=5000,
    )
    ReportItem.objects.bulk_create(
        (
            ReportItem(subsection=subsection, list=name, text=text, order=n)
            for subsection, (_, _, judgement) in zip(subsections, written, strict=True)
            for name, key in (("strengths", "strengths"), ("areas", "areas_for_improvement"))
            for n, text in enumerate(judgement[key], start=1)
        ),
        batch_size=5000,
    )
    recommendations = Recommendation.objects.bulk_create(
        (
            Recommendation(inspection=row, addressee=addressee, text=text, order=order)
            for row, i in zip(inspections, plan.inspections, strict=True)
            for order, (addressee, text) in enumerate(i.recommendations, start=1)
        ),
        batch_size=5000,
    )
    cases = Case.objects.bulk_create(
        (
            Case(inspection=row, ref=case.ref, status=case.status, **case.attributes)
            for row, i in zip(inspections, plan.inspections, strict=True)
            for case in i.cases
        ),
        batch_size=5000,
    )
    phases["inspections_and_cases"] = time.perf_counter() - mark
    log(f"Wrote inspections and {len(cases)} cases in {phases['inspections_and_cases']:.1f}s")

    mark = time.perf_counter()
    case_plans = [case for i in plan.inspections for case in i.cases]
    rows = (
        (case_row.pk, question_id, value, note, case.answered_at)
        for case_row, case in zip(cases, case_plans, strict=True)
        for question_id, value, note in case.answers
    )
    answers = _copy_answers(rows) if method == "copy" else _bulk_create_answers(rows)
    phases[f"answers_{method}"] = time.perf_counter() - mark
    log(f"Wrote {answers} answers with {method} in {phases[f'answers_{method}']:.1f}s")

    mark = time.perf_counter()
    with connection.cursor() as cursor:
        # Storing a report runs its GROUP BYs: without statistics on a million fresh rows the
        # planner scans them all for each (1.5 s a report instead of milliseconds).
        for model in (Answer, Case):
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')
    published = [
        row
        for row, i in zip(inspections, plan.inspections, strict=True)
        if i.status == InspectionStatus.PUBLISHED
    ]
    # Published as before lifecycle events were kept (these have none), then each record stored
    # as `verify_published --store-missing` would: the database takes a record tied to no event
    # only for an inspection that is published by then (reports migration 0003).
    Inspection.objects.filter(pk__in=[row.pk for row in published]).update(
        status=InspectionStatus.PUBLISHED
    )
    for row in published:
        row.status = InspectionStatus.PUBLISHED
        row.framework = framework
        publication.store(row)
    phases["published_records"] = time.perf_counter() - mark
    log(f"Stored {len(published)} published reports in {phases['published_records']:.1f}s")
    return {
        "regions": len(regions),
        "pdus": len(pdus),
        "inspections": len(inspections),
        "published": sum(1 for i in plan.inspections if i.status == InspectionStatus.PUBLISHED),
        "fieldwork": sum(1 for i in plan.inspections if i.status == InspectionStatus.FIELDWORK),
        "sample_windows": sum(len(i.windows) for i in plan.inspections),
        "domain1_judgements": len(judgements),
        "recommendations": len(recommendations),
        "cases": len(cases),
        "answers": answers,
    }


ANSWER_COPY_COLUMNS = ("case_id", "question_id", "value", "note", "version", "updated_at")


def _copy_answers(rows) -> int:
    table = Answer._meta.db_table
    columns = ", ".join(f'"{Answer._meta.get_field(c).column}"' for c in ANSWER_COPY_COLUMNS)
    written = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg 3 cursor under Django's wrapper
        with raw.copy(f'COPY "{table}" ({columns}) FROM STDIN') as copy:
            for case_id, question_id, value, note, answered_at in rows:
                copy.write_row((case_id, question_id, value, note, 1, answered_at))
                written += 1
    return written


def _bulk_create_answers(rows) -> int:
    written = 0
    batch: list[Answer] = []
    for case_id, question_id, value, note, answered_at in rows:
        batch.append(
            Answer(
                case_id=case_id,
                question_id=question_id,
                value=value,
                note=note,
                version=1,
                updated_at=answered_at,
            )
        )
        if len(batch) >= ANSWER_BATCH:
            Answer.objects.bulk_create(batch, batch_size=ANSWER_BATCH)
            written += len(batch)
            batch = []
    if batch:
        Answer.objects.bulk_create(batch, batch_size=ANSWER_BATCH)
        written += len(batch)
    return written


# --- Deleting (for --replace) --------------------------------------------------------------------


def delete_national_data() -> dict[str, int]:
    """Delete every national PDU with everything under it, in raw SQL.

    Raw SQL because the ORM would load a million answers to send delete signals. Published
    inspections, their records and lifecycle events refuse deletion by design, in the ORM and in
    the database (inspection/db_locks.py): this is for synthetic data only, so it turns the
    database's triggers off for its own transaction, which only a superuser may do.
    """
    require_postgresql()
    pdu_ids = list(national_pdus().values_list("pk", flat=True))
    region_ids = list(
        Region.objects.filter(name__in=REGION_NAMES, pdus__pk__in=pdu_ids)
        .values_list("pk", flat=True)
        .distinct()
    )
    deleted: dict[str, int] = {}
    if not pdu_ids:
        return deleted
    with transaction.atomic(), connection.cursor() as cursor:
        # The database refuses to delete published records (triggers); synthetic data is the
        # one exception, so its generator turns triggers off for this transaction (superuser).
        cursor.execute("SET LOCAL session_replication_role = replica")
        _delete_where(cursor, Inspection, '"pdu_id" = ANY(%s)', [pdu_ids], deleted)
        _delete_where(cursor, PDU, '"id" = ANY(%s)', [pdu_ids], deleted)
        # Regions the generator created and that are now empty (the demo may share one).
        _delete_where(
            cursor,
            Region,
            f'"id" = ANY(%s) AND NOT EXISTS (SELECT 1 FROM "{PDU._meta.db_table}" p '
            f'WHERE p."region_id" = "{Region._meta.db_table}"."id")',
            [region_ids],
            deleted,
        )
    return {label: n for label, n in deleted.items() if n}


def _delete_where(cursor, model, condition: str, params: list, deleted: dict, depth=0) -> None:
    """Delete rows of `model` matching `condition`, and first whatever cascades from them.

    Follows the models' own relations: CASCADE deletes children, SET_NULL clears the link, and
    DO_NOTHING (the audit trail's link to its inspection) leaves the rows where they are.
    """
    if depth > 6:
        raise NationalDatasetError(f"Relations too deep below {model.__name__}")
    table = model._meta.db_table
    pk = model._meta.pk.column
    selected = f'SELECT "{pk}" FROM "{table}" WHERE {condition}'
    for relation in model._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete):
            continue
        if not (relation.one_to_many or relation.one_to_one):
            continue
        child = relation.related_model
        column = relation.field.column
        child_condition = f'"{column}" IN ({selected})'
        on_delete = relation.on_delete
        # PROTECT guards the records of real inspections (published reports, lifecycle events);
        # this deletes synthetic data only, so those go too.
        if on_delete in (models.CASCADE, models.PROTECT):
            _delete_where(cursor, child, child_condition, params, deleted, depth + 1)
        elif on_delete is models.SET_NULL:
            cursor.execute(
                f'UPDATE "{child._meta.db_table}" SET "{column}" = NULL WHERE {child_condition}',
                params,
            )
    cursor.execute(f'DELETE FROM "{table}" WHERE {condition}', params)
    label = model._meta.label
    deleted[label] = deleted.get(label, 0) + cursor.rowcount
