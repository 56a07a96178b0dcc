"""Check a whole bundle before anything is written, naming the case and field of every problem."""

import datetime
from dataclasses import dataclass, field

from cases.choices import AgeBand, Ethnicity, Gender, RoshLevel, SentenceType
from cases.counting import CASE_ATTRIBUTES, applies, is_relevant
from cases.import_checks import (
    CASE_REF_MAX,
    PRACTITIONERS_RANGE,
    practitioners_problem,
    shown,
    text_problem,
)
from inspection import input_rules
from inspection.choices import Addressee, AnswerValue, InspectionStatus, Rating, Scope
from inspection.framework import rating_engine as engine
from inspection.framework.spec import FrameworkSpec, load_framework_spec
from inspection.models import PDU, Framework, Region

from . import FORMAT
from .double_marking import ValidDoubleMarking, read_double_marking
from .evidence import read_evidence
from .report import ValidReport, validate_report

TOP_KEYS = {
    "format",
    "framework",
    "inspection",
    "domain1",
    "recommendations",
    "report",
    "cases",
    "double_marking",
}
INSPECTION_KEYS = {"region", "pdu", "fieldwork_start", "sample_windows", "status"}
CASE_KEYS = {
    "ref",
    "sentence_type",
    "start_date",
    "court_work",
    "resettlement",
    "practitioners",
    "attributes",
    "answers",
    "notes",
}
ATTRIBUTE_CHOICES = {
    "gender": Gender.values,
    "ethnicity": Ethnicity.values,
    "age_band": AgeBand.values,
    "rosh": RoshLevel.values,
}
ATTRIBUTES = {*ATTRIBUTE_CHOICES, "disability"}
# An import starts an inspection; moderation and publication are the lifecycle's moves, with
# their checks and their record of who moved it.
IMPORTED_STATUSES = (InspectionStatus.PLANNING, InspectionStatus.FIELDWORK)


class BundleError(Exception):
    """The bundle was refused; `problems` lists every reason, each naming where it is."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class ValidCase:
    ref: str
    sentence_type: str
    start_date: datetime.date
    court_work: bool
    resettlement: bool
    practitioners: int
    attributes: dict
    answers: dict[str, str]
    notes: dict[str, str]

    @property
    def case_attributes(self) -> dict:
        """What the framework's conditions read (cases.counting.CASE_ATTRIBUTES)."""
        return {
            "sentence_type": self.sentence_type,
            "court_work": self.court_work,
            "resettlement": self.resettlement,
            **self.attributes,
        }


@dataclass
class ValidBundle:
    framework: Framework
    spec: FrameworkSpec
    region: str
    pdu: str
    fieldwork_start: datetime.date
    sample_windows: list[tuple[datetime.date, datetime.date]]
    status: str
    domain1: dict[str, dict]
    recommendations: list[dict]
    report: ValidReport
    cases: list[ValidCase] = field(default_factory=list)
    evidence: dict = field(default_factory=dict)  # {key: reports.evidence.Tally}
    double_marking: ValidDoubleMarking | None = None


def _date(value, where: str, problems: list[str]) -> datetime.date | None:
    if not isinstance(value, str):
        problems.append(f"{where}: expected a date as YYYY-MM-DD, got {shown(value)}")
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        problems.append(f"{where}: {shown(value)} is not a date as YYYY-MM-DD")
        return None


def _text(value, where: str, problems: list[str], max_length: int) -> str | None:
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where}: required text is missing or empty")
        return None
    problem = text_problem(value.strip(), max_length)
    if problem:
        problems.append(f"{where}: {problem}")
        return None
    return value.strip()


def _named(key: str) -> str:
    """A key as a problem names it: as it is when it could be a code (printable, at most a
    Question.code's 20 characters), else quoted and cut short."""
    return key if len(key) <= 20 and key.isprintable() else shown(key)


def _unknown_keys(data: dict, allowed: set[str], where: str, problems: list[str]) -> None:
    for key in sorted(set(data) - allowed):
        problems.append(f"{where}: unknown field {shown(key)}")


def _missing_keys(data: dict, required: set[str], where: str, problems: list[str]) -> bool:
    missing = sorted(required - set(data))
    for key in missing:
        problems.append(f"{where}: missing required field {key!r}")
    return bool(missing)


def validate_bundle(data) -> ValidBundle:
    """Return the bundle's parsed contents, or raise BundleError listing every problem."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise BundleError(["bundle: expected a JSON object at the top level"])
    _unknown_keys(data, TOP_KEYS, "bundle", problems)
    if _missing_keys(data, {"format", "framework", "inspection", "cases"}, "bundle", problems):
        raise BundleError(problems)
    if data["format"] != FORMAT:
        problems.append(f"bundle: format must be {FORMAT!r}, got {shown(data['format'])}")
    code = data["framework"]
    # Checked before it is looked up: the database refuses a NUL in a query.
    framework = (
        Framework.objects.newest(code)
        if isinstance(code, str) and text_problem(code, _max_length(Framework, "code")) is None
        else None
    )
    if framework is None:
        problems.append(f"bundle: framework: unknown framework {shown(code)}")
        raise BundleError(problems)
    if framework.scope != Scope.PDU:
        problems.append(
            f"bundle: framework: {shown(code)} is a framework for inspecting "
            f"{Scope(framework.scope).label.lower()}; a bundle holds a PDU inspection"
        )
        raise BundleError(problems)
    spec = load_framework_spec(framework)

    inspection = data["inspection"]
    header = _validate_inspection(inspection, problems)
    domain1, legacy_lists = _validate_domain1(data.get("domain1", {}), spec, problems)
    recommendations = _validate_recommendations(data.get("recommendations", []), problems)
    report = validate_report(data.get("report"), spec, legacy_lists, problems)
    cases = _validate_cases(data["cases"], spec, header.get("sample_windows") or [], problems)
    evidence = read_evidence(data.get("report"), framework, problems)
    listed = data["cases"] if isinstance(data["cases"], list) else []
    refs = {c["ref"] for c in listed if isinstance(c, dict) and isinstance(c.get("ref"), str)}
    double_marking = read_double_marking(data.get("double_marking"), spec, refs, problems)
    if not problems:
        _check_limiting_rules(spec, domain1, cases, problems)
    if problems:
        raise BundleError(problems)
    return ValidBundle(
        framework=framework,
        spec=spec,
        domain1=domain1,
        recommendations=recommendations,
        report=report,
        cases=cases,
        evidence=evidence,
        double_marking=double_marking,
        **header,
    )


def _max_length(model, field: str) -> int:
    return model._meta.get_field(field).max_length


def _validate_inspection(inspection, problems: list[str]) -> dict:
    where = "inspection"
    if not isinstance(inspection, dict):
        problems.append(f"{where}: expected an object")
        return {}
    _unknown_keys(inspection, INSPECTION_KEYS, where, problems)
    _missing_keys(
        inspection, {"region", "pdu", "fieldwork_start", "sample_windows"}, where, problems
    )
    header = {
        "region": _text(
            inspection.get("region"), f"{where}.region", problems, _max_length(Region, "name")
        ),
        "pdu": _text(inspection.get("pdu"), f"{where}.pdu", problems, _max_length(PDU, "name")),
        "fieldwork_start": _date(
            inspection.get("fieldwork_start"), f"{where}.fieldwork_start", problems
        ),
        "status": inspection.get("status", InspectionStatus.FIELDWORK),
        "sample_windows": [],
    }
    status = header["status"]
    if status in (InspectionStatus.MODERATION, InspectionStatus.PUBLISHED):
        problems.append(
            f"{where}.status: {status!r} cannot be set by a bundle: an imported inspection starts "
            f"in planning or fieldwork, and moves to moderation and publication only through "
            f"the lifecycle (its checks run and who moved it is recorded)"
        )
    elif status not in IMPORTED_STATUSES:
        problems.append(
            f"{where}.status: {shown(status)} is not one of {', '.join(IMPORTED_STATUSES)} "
            f"(or leave it out: fieldwork)"
        )
    windows = inspection.get("sample_windows")
    if not isinstance(windows, list) or not windows:
        problems.append(f"{where}.sample_windows: expected a list of [start, end] date pairs")
        return header
    for index, window in enumerate(windows):
        at = f"{where}.sample_windows[{index}]"
        if not isinstance(window, list) or len(window) != 2:
            problems.append(f"{at}: expected [start, end]")
            continue
        start, end = _date(window[0], at, problems), _date(window[1], at, problems)
        if start and end:
            if start > end:
                problems.append(f"{at}: starts after it ends")
            else:
                header["sample_windows"].append((start, end))
    return header


def _validate_domain1(domain1, spec: FrameworkSpec, problems: list[str]) -> tuple[dict, dict]:
    """({code: {rating, judgement}}, {code: {"strengths": [...], "areas": [...]}}): the lists
    are how bundles gave domain-1 strengths before the written report held them (report.py puts
    them in the standard's first sub-section)."""
    if not isinstance(domain1, dict):
        problems.append("domain1: expected an object keyed by standard code")
        return {}, {}
    judged = {s.code for s in spec.standards if s.judged}
    valid, lists = {}, {}
    for code, judgement in domain1.items():
        where = f"domain1.{code}"
        if code not in judged:
            problems.append(
                f"domain1.{_named(code)}: unknown code "
                f"(the standards rated by judgement are {', '.join(sorted(judged)) or 'none'})"
            )
            continue
        if not isinstance(judgement, dict):
            problems.append(f"{where}: expected an object")
            continue
        _unknown_keys(
            judgement,
            {"rating", "strengths", "areas_for_improvement", "judgement"},
            where,
            problems,
        )
        rating = judgement.get("rating")
        if rating is not None and rating not in Rating.values:
            problems.append(
                f"{where}.rating: {shown(rating)} is not one of {', '.join(Rating.values)}"
            )
        elif rating and not spec.standard(code).rated:
            problems.append(f"{where}.rating: {code} is not rated; give its judgement in words")
        lists[code] = {
            name: _validate_items(judgement.get(key, []), f"{where}.{key}", problems)
            for key, name in (("strengths", "strengths"), ("areas_for_improvement", "areas"))
        }
        words = judgement.get("judgement")
        if words is not None:
            words = _text(words, f"{where}.judgement", problems, input_rules.JUDGEMENT_MAX)
            if words and spec.standard(code).rated:
                problems.append(f"{where}.judgement: {code} is rated; it takes a rating instead")
        valid[code] = {"rating": rating or "", "judgement": words or ""}
    return valid, lists


def _validate_items(items, where: str, problems: list[str]) -> list[str]:
    """A domain-1 list of strengths or areas for improvement."""
    if not isinstance(items, list):
        problems.append(f"{where}: expected a list of non-empty texts")
        return []
    if len(items) > input_rules.DOMAIN1_ITEMS_MAX:
        problems.append(
            f"{where}: {len(items):,} items; the limit is {input_rules.DOMAIN1_ITEMS_MAX}"
        )
        return []
    texts = [
        _text(item, f"{where}[{index}]", problems, input_rules.DOMAIN1_ITEM_MAX)
        for index, item in enumerate(items)
    ]
    return [text for text in texts if text is not None]


def _validate_recommendations(recommendations, problems: list[str]) -> list[dict]:
    if not isinstance(recommendations, list):
        problems.append("recommendations: expected a list")
        return []
    valid = []
    for index, recommendation in enumerate(recommendations):
        where = f"recommendations[{index}]"
        if not isinstance(recommendation, dict):
            problems.append(f"{where}: expected an object")
            continue
        _unknown_keys(recommendation, {"addressee", "text"}, where, problems)
        addressee = recommendation.get("addressee")
        if addressee not in Addressee.values:
            problems.append(
                f"{where}.addressee: {shown(addressee)} is not one of {', '.join(Addressee.values)}"
            )
        text = _text(
            recommendation.get("text"), f"{where}.text", problems, input_rules.RECOMMENDATION_MAX
        )
        valid.append({"addressee": addressee, "text": text})
    return valid


def _validate_cases(cases, spec: FrameworkSpec, windows, problems: list[str]) -> list[ValidCase]:
    if not isinstance(cases, list):
        problems.append("cases: expected a list")
        return []
    questions = {q.code: q for q in spec.questions}
    seen: set[str] = set()
    valid = []
    for index, case in enumerate(cases):
        if not isinstance(case, dict):
            problems.append(f"cases[{index}]: expected an object")
            continue
        ref = case.get("ref")
        label = f"case {ref.strip()}" if _nameable(ref) else f"cases[{index}]"
        before = len(problems)
        _unknown_keys(case, CASE_KEYS, label, problems)
        _missing_keys(case, CASE_KEYS - {"practitioners", "notes"}, label, problems)
        ref = _text(ref, f"{label}: ref", problems, CASE_REF_MAX)
        if ref:
            if ref in seen:
                problems.append(f"{label}: ref: duplicate case reference {ref!r}")
            seen.add(ref)
        sentence_type = case.get("sentence_type")
        if "sentence_type" in case and sentence_type not in SentenceType.values:
            problems.append(
                f"{label}: sentence_type: {shown(sentence_type)} is not one of "
                f"{', '.join(SentenceType.values)}"
            )
        start_date = None
        if "start_date" in case:
            start_date = _date(case["start_date"], f"{label}: start_date", problems)
            if start_date and windows and not any(s <= start_date <= e for s, e in windows):
                problems.append(f"{label}: start_date: {start_date} is outside every sample window")
        flags = {}
        for flag in ("court_work", "resettlement"):
            if flag in case and not isinstance(case[flag], bool):
                problems.append(f"{label}: {flag}: expected true or false, got {shown(case[flag])}")
            flags[flag] = case.get(flag) is True
        practitioners = case.get("practitioners", 1)
        if not isinstance(practitioners, int) or isinstance(practitioners, bool):
            problems.append(
                f"{label}: practitioners: expected {PRACTITIONERS_RANGE}, "
                f"got {shown(practitioners)}"
            )
        elif problem := practitioners_problem(practitioners):
            problems.append(f"{label}: practitioners: {problem}")
        attributes = _validate_attributes(case.get("attributes"), label, problems)
        # Attributes a broken case lacks are None: no condition holds on them.
        case_attributes = dict.fromkeys(CASE_ATTRIBUTES) | {
            "sentence_type": sentence_type,
            **flags,
            **(attributes if isinstance(attributes, dict) else {}),
        }
        answers = _validate_answers(
            case.get("answers"), questions, case_attributes, label, problems
        )
        notes = _validate_notes(case.get("notes", {}), questions, label, problems)
        if len(problems) == before:
            valid.append(
                ValidCase(
                    ref=ref,
                    sentence_type=sentence_type,
                    start_date=start_date,
                    practitioners=practitioners,
                    attributes=attributes,
                    answers=answers,
                    notes=notes,
                    **flags,
                )
            )
    return valid


def _nameable(ref) -> bool:
    """Whether a case can be named by its reference in problems (else by its place in the list)."""
    return (
        isinstance(ref, str)
        and bool(ref.strip())
        and ref.isprintable()
        and len(ref.strip()) <= CASE_REF_MAX
    )


def _validate_attributes(attributes, label: str, problems: list[str]) -> dict:
    # Every case has them: the breakdowns count each case by each one.
    if not isinstance(attributes, dict):
        problems.append(
            f"{label}: attributes: expected an object of {', '.join(sorted(ATTRIBUTES))}, "
            f"got {shown(attributes)}"
        )
        return {}
    _unknown_keys(attributes, ATTRIBUTES, f"{label}: attributes", problems)
    _missing_keys(attributes, ATTRIBUTES, f"{label}: attributes", problems)
    for name, choices in ATTRIBUTE_CHOICES.items():
        if name in attributes and attributes[name] not in choices:
            problems.append(
                f"{label}: attributes.{name}: {shown(attributes[name])} is not one of "
                f"{', '.join(choices)}"
            )
    if "disability" in attributes and not isinstance(attributes["disability"], bool):
        problems.append(f"{label}: attributes.disability: expected true or false")
    return attributes


def _validate_answers(answers, questions, case, label: str, problems: list[str]) -> dict:
    if not isinstance(answers, dict):
        problems.append(f"{label}: answers: expected an object of code: yes / no / na")
        return {}
    for code, value in answers.items():
        where = f"{label}: answers.{_named(code)}"
        question = questions.get(code)
        if question is None:
            problems.append(f"{where}: unknown question code {shown(code)}")
        elif value not in AnswerValue.values:
            problems.append(f"{where}: {shown(value)} is not one of yes, no, na")
        elif value != AnswerValue.NOT_APPLICABLE and not applies(question.when, case):
            problems.append(
                f"{where}: answered {value!r} but the question applies only to cases meeting "
                f"the condition '{question.applies_when}', and this case does not"
            )
    return answers


def _validate_notes(notes, questions, label: str, problems: list[str]) -> dict:
    if not isinstance(notes, dict):
        problems.append(f"{label}: notes: expected an object of code: text")
        return {}
    for code, text in notes.items():
        where = f"{label}: notes.{_named(code)}"
        if code not in questions:
            problems.append(f"{where}: unknown question code {shown(code)}")
        elif not isinstance(text, str):
            problems.append(f"{where}: expected text")
        elif problem := text_problem(text, input_rules.EVIDENCE_NOTE_MAX):
            problems.append(f"{where}: {problem}")
    return notes


def _check_limiting_rules(spec, domain1, cases: list[ValidCase], problems: list[str]) -> None:
    """Rate the case standards from the bundle's own answers, then apply the framework's rules."""
    # Counted as the reports count them (cases.counting): yes or no, where the question applies.
    when = {q.code: q.when for q in spec.questions}
    counts: dict[str, list[int]] = {}
    for case in cases:
        attributes = case.case_attributes
        for code, value in case.answers.items():
            if code in when and is_relevant(value, when[code], attributes):
                tally = counts.setdefault(code, [0, 0])
                tally[0] += value == AnswerValue.YES
                tally[1] += 1
    ratings = {code: judgement["rating"] or None for code, judgement in domain1.items()}
    for standard in spec.standards:
        if standard.rated and not standard.judged:
            kq_counts = {
                kq.code: engine.Count(*counts.get(kq.code, (0, 0))) for kq in standard.key_questions
            }
            ratings[standard.code] = engine.standard_rating(kq_counts, spec.bands)
    for breach in engine.limiting_rule_breaches(ratings, spec.limiting_rules):
        problems.append(f"domain1.{breach.rule.then_standard}.rating: {breach.message}")
