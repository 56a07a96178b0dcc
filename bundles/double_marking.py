"""The bundle's `double_marking`: the inspection's reliability sample and the second markings both
markers had done, e.g.

    {"share_percent": 20, "seed": 7,
     "cases": {"BWD-03": {"second": {"2.1.1": "yes", ...}, "first": {"2.1.1": "no", ...},
                          "agreed": {"2.1.1": "yes", ...}}}}

`second` holds the second marker's answers to the case's key questions; `first` the first
marker's as they stood when both were done (the case's answers may have changed since, at
reconciliation); `agreed`, once reconciled, the answer agreed for each. Markings still under way
are left out: their blindness and their markers belong to the system the bundle came from. An
imported marking names no marker (nobody here did it) and counts in the agreement figures and
calibration as it did there; second marks never count in a rating, here as there.
"""

from dataclasses import dataclass

from django.utils import timezone

from cases.import_checks import shown
from cases.models import SHARE_MAX, SHARE_MIN, ReliabilitySample, SecondAnswer, SecondMarking
from inspection import audit
from inspection.choices import AnswerValue, AuditKind, QuestionKind
from inspection.framework.spec import FrameworkSpec

WHERE = "double_marking"
KEYS = {"share_percent", "seed", "cases"}
MARKING_KEYS = {"second", "first", "agreed"}
SEED_RANGE = (-(2**63), 2**63 - 1)  # the seed's column, a BigIntegerField


@dataclass(frozen=True)
class ValidMarking:
    second: dict[str, str]
    first: dict[str, str]
    agreed: dict[str, str]  # empty: not reconciled


@dataclass(frozen=True)
class ValidDoubleMarking:
    share_percent: int
    seed: int
    cases: dict[str, ValidMarking]  # by case reference


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def read_double_marking(
    data, spec: FrameworkSpec, refs: set[str], problems: list[str]
) -> ValidDoubleMarking | None:
    """The section checked (None without one), each problem named with its place."""
    if data is None:
        return None
    if not isinstance(data, dict):
        problems.append(f"{WHERE}: expected an object of share_percent, seed and cases")
        return None
    before = len(problems)
    unknown = sorted(set(data) - KEYS, key=str)
    problems += [f"{WHERE}: unknown field {shown(key)}" for key in unknown]
    problems += [f"{WHERE}: {key}: required" for key in sorted(KEYS - set(data))]
    share = data.get("share_percent")
    if "share_percent" in data and not (_whole(share) and SHARE_MIN <= share <= SHARE_MAX):
        problems.append(
            f"{WHERE}.share_percent: expected a whole number from {SHARE_MIN} to {SHARE_MAX}, "
            f"got {shown(share)}"
        )
    seed = data.get("seed")
    if "seed" in data and not (_whole(seed) and SEED_RANGE[0] <= seed <= SEED_RANGE[1]):
        problems.append(f"{WHERE}.seed: expected a whole number, got {shown(seed)}")
    cases = data.get("cases", {})
    if not isinstance(cases, dict):
        problems.append(f"{WHERE}.cases: expected an object keyed by case reference")
        return None
    key_questions = {q.code for q in spec.questions if q.kind == QuestionKind.KEY_QUESTION}
    markings = {
        ref: marking
        for ref, raw in cases.items()
        if (marking := _marking(ref, raw, refs, key_questions, problems)) is not None
    }
    if len(problems) > before:
        return None
    return ValidDoubleMarking(share_percent=share, seed=seed, cases=markings)


def _marking(ref, raw, refs: set[str], key_questions: set[str], problems) -> ValidMarking | None:
    where = f"{WHERE}.cases.{shown(ref) if ref not in refs else ref}"
    if ref not in refs:
        problems.append(f"{where}: not a case in the bundle")
        return None
    if not isinstance(raw, dict):
        problems.append(f"{where}: expected an object of second, first and agreed")
        return None
    before = len(problems)
    unknown = sorted(set(raw) - MARKING_KEYS, key=str)
    problems += [f"{where}: unknown field {shown(key)}" for key in unknown]
    problems += [f"{where}: {key}: required" for key in ("second", "first") if key not in raw]
    answers = {
        key: _answers(raw[key], f"{where}.{key}", key_questions, problems)
        for key in MARKING_KEYS
        if key in raw
    }
    second = answers.get("second", {})
    if "second" in raw and not second and len(problems) == before:
        problems.append(f"{where}.second: no key question is answered")
    for key, message in (("first", "answers a key question"), ("agreed", "agrees a key question")):
        extra = sorted(set(answers.get(key, {})) - set(second))
        problems += [f"{where}.{key}.{code}: {message} the second marker did not" for code in extra]
    if "agreed" in answers and (missing := sorted(set(second) - set(answers["agreed"]))):
        problems.append(f"{where}.agreed: no agreed answer for {', '.join(missing)}")
    if len(problems) > before:
        return None
    return ValidMarking(second=second, first=answers["first"], agreed=answers.get("agreed", {}))


def _answers(raw, where: str, key_questions: set[str], problems: list[str]) -> dict[str, str]:
    if not isinstance(raw, dict):
        problems.append(f"{where}: expected an object of key question code: yes / no / na")
        return {}
    answers = {}
    for code, value in raw.items():
        if code not in key_questions:
            problems.append(f"{where}: {shown(code)} is not a key question of the framework")
        elif value not in AnswerValue.values:
            problems.append(f"{where}.{code}: {shown(value)} is not one of yes, no, na")
        else:
            answers[code] = value
    return answers


def write_double_marking(
    inspection, cases_by_ref: dict, valid: ValidDoubleMarking | None, spec, by, reason: str
) -> list:
    """Write the sample and its markings, done (and reconciled where agreed); returns the audit
    entries, for the importer to record with the rest."""
    if valid is None:
        return []
    now = timezone.now()
    sample = ReliabilitySample.objects.create(
        inspection=inspection, share_percent=valid.share_percent, seed=valid.seed, drawn_by=None
    )
    markings = SecondMarking.objects.bulk_create(
        SecondMarking(
            sample=sample,
            case=cases_by_ref[ref],
            submitted_at=now,
            unblinded_at=now,
            reconciled_at=now if marking.agreed else None,
        )
        for ref, marking in sorted(valid.cases.items())
    )
    question_ids = {q.code: q.id for q in spec.questions}
    SecondAnswer.objects.bulk_create(
        SecondAnswer(
            marking=row,
            question_id=question_ids[code],
            value=value,
            first_value=marking.first.get(code, ""),
            agreed_value=marking.agreed.get(code, ""),
        )
        for row, (_, marking) in zip(markings, sorted(valid.cases.items()), strict=True)
        for code, value in marking.second.items()
    )
    return [
        audit.entry(
            inspection.pk,
            AuditKind.DOUBLE_MARKING,
            by=by,
            subject="Reliability sample",
            new=(
                f"{valid.share_percent}%, seed {valid.seed}: {len(markings)} double-marked "
                f"cases, {sum(bool(m.agreed) for m in valid.cases.values())} reconciled"
            ),
            reason=reason,
        )
    ]


def export_double_marking(inspection) -> dict | None:
    """The section as read_double_marking reads it; None without a reliability sample."""
    sample = ReliabilitySample.objects.filter(inspection=inspection).first()
    if sample is None:
        return None
    by_case: dict[str, dict] = {}
    for answer in (
        SecondAnswer.objects.filter(marking__sample=sample, marking__unblinded_at__isnull=False)
        .select_related("marking__case", "question")
        .order_by("marking__case__ref", "question__order")
    ):
        marking = by_case.setdefault(answer.marking.case.ref, {"second": {}, "first": {}})
        for key, value in (
            ("second", answer.value),
            ("first", answer.first_value),
            ("agreed", answer.agreed_value),
        ):
            if value:
                marking.setdefault(key, {})[answer.question.code] = value
    return {"share_percent": sample.share_percent, "seed": sample.seed, "cases": by_case}
