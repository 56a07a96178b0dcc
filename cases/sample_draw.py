"""Drawing an inspection's sample from a caseload extract, replacing a drawn case from its
stratum's reserve, and how representative the sample is. The arithmetic is cases/sampling.py;
this module checks, stores, audits and makes the cases, in one transaction."""

import datetime
import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst

from inspection import audit
from inspection import input_rules as rules
from inspection.choices import AuditKind
from inspection.models import Inspection
from inspection.published import lock_for_edit

from . import sampling
from .caseload import Extract, ExtractRow
from .changes import record_added
from .choices import CaseStatus
from .models import Case, DrawnCase, SampleDraw

ATTRIBUTES = (
    "sentence_type",
    "gender",
    "ethnicity",
    "disability",
    "age_band",
    "rosh",
    "court_work",
    "resettlement",
)


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def eligible(inspection: Inspection, extract: Extract, exclude=frozenset()) -> list[ExtractRow]:
    """The rows whose sentence or licence started in one of the inspection's sample windows
    (every row, if it has none), but those whose reference is in `exclude`."""
    windows = list(inspection.sample_windows.values_list("start", "end"))
    return [
        r
        for r in extract.rows
        if r.ref not in exclude and (not windows or any(s <= r.start_date <= e for s, e in windows))
    ]


def _counts(rows) -> dict[str, dict[str, int]]:
    return {
        attribute: {str(k): v for k, v in Counter(getattr(r, attribute) for r in rows).items()}
        for attribute in ATTRIBUTES
    }


def _stored(row: ExtractRow) -> dict:
    values = asdict(row)
    values["start_date"] = row.start_date.isoformat()
    return values


def _case_values(attributes: dict) -> dict:
    values = dict(attributes)
    values["start_date"] = datetime.date.fromisoformat(values["start_date"])
    return values


def _inspectors(inspection: Inspection) -> list:
    """The team but its lead, by username: cases go to them in turn (the lead if alone)."""
    team = [u for u in inspection.team.order_by("username") if u.pk != inspection.lead_inspector_id]
    return team or ([inspection.lead_inspector] if inspection.lead_inspector else [None])


def draw_sample(
    inspection: Inspection,
    extract: Extract,
    *,
    size: int,
    seed: int,
    data_sha256: str,
    by,
    exclude: Iterable[str] = (),
) -> SampleDraw:
    """Draw `size` cases (sampling.draw), store how, and make them the inspection's cases with
    inspectors assigned evenly. Refused (ValidationError, nothing written) if the inspection
    already has cases or a draw, or the extract has too few eligible rows."""
    with transaction.atomic():
        locked = lock_for_edit(inspection.pk)
        if locked.cases.exists() or SampleDraw.objects.filter(inspection=locked).exists():
            raise ValidationError(
                "This inspection already has cases: a sample is drawn into an inspection with "
                "none (replace single cases from the reserve instead)."
            )
        exclude = sorted(set(exclude))
        unknown = sorted(set(exclude) - {r.ref for r in extract.rows})
        if unknown:
            raise ValidationError(
                f"Not in the extract, so they cannot be left out: {', '.join(unknown[:20])}"
                + (f" and {len(unknown) - 20} more" if len(unknown) > 20 else "")
            )
        rows = eligible(locked, extract, frozenset(exclude))
        if size < 1:
            raise ValidationError("The sample size must be at least 1")
        if size > len(rows):
            raise ValidationError(
                f"The sample size ({size}) is more than the {len(rows):,} cases in the extract "
                "that started in the sample windows and are not left out"
            )
        by_ref = {r.ref: r for r in rows}
        strata: dict[str, list[str]] = {}
        for row in rows:
            strata.setdefault(sampling.stratum_of(row.sentence_type), []).append(row.ref)
        drawn = sampling.draw(strata, size, seed)
        draw = SampleDraw.objects.create(
            inspection=locked,
            seed=seed,
            size=size,
            algorithm=sampling.ALGORITHM,
            extract_rows=len(extract.rows),
            eligible_rows=len(rows),
            extract_sha256=data_sha256,
            extract_counts=_counts(rows),
            allocation={d.stratum: {"size": d.size, "quota": len(d.sample)} for d in drawn},
            excluded=exclude,
            by=by,
        )
        inspectors = _inspectors(locked)
        sampled = sorted(ref for d in drawn for ref in d.sample)
        assigned = {ref: inspectors[i % len(inspectors)] for i, ref in enumerate(sampled)}
        cases = Case.objects.bulk_create(
            Case(
                inspection=locked,
                assigned_inspector=assigned[ref],
                **_case_values(_stored(by_ref[ref])),
            )
            for ref in sampled
        )
        case_of = {c.ref: c for c in cases}
        DrawnCase.objects.bulk_create(
            DrawnCase(
                draw=draw,
                stratum=d.stratum,
                rank=rank,
                ref=ref,
                attributes=_stored(by_ref[ref]),
                in_sample=rank <= len(d.sample),
                case=case_of.get(ref),
            )
            for d in drawn
            for rank, ref in enumerate(d.sample + d.reserve, start=1)
        )
        record_added(
            cases, by, f"Drawn from a caseload extract (seed {seed}, {sampling.ALGORITHM})"
        )
    return draw


def replace(case: Case, *, reason: str, by) -> Case:
    """Replace a drawn case not yet started with the first unused reserve of its stratum,
    recording why. Returns the new case (same inspector)."""
    reason = rules.clean_text(reason, what="the reason", max_length=rules.REASON_MAX)
    if not reason.strip():
        raise ValidationError("Say why the case is replaced")
    with transaction.atomic():
        lock_for_edit(case.inspection_id)
        stored = Case.objects.select_for_update().get(pk=case.pk)
        row = DrawnCase.objects.select_for_update().filter(case=stored).first()
        if row is None:
            raise ValidationError(f"Case {stored.ref} was not drawn from a caseload extract")
        if stored.status != CaseStatus.NOT_STARTED or stored.answers.exclude(value="").exists():
            raise ValidationError(
                f"Case {stored.ref} has been started: only a case not yet started is replaced"
            )
        reserve = (
            DrawnCase.objects.select_for_update()
            .filter(draw=row.draw, stratum=row.stratum, in_sample=False, case=None)
            .exclude(replaced_reason__gt="")
            .order_by("rank")
            .first()
        )
        if reserve is None:
            raise ValidationError(f"The {row.stratum} stratum has no reserve case left")
        inspector = stored.assigned_inspector
        row.replaced_reason, row.replaced_at, row.case = reason, timezone.now(), None
        row.save(update_fields=["replaced_reason", "replaced_at", "case"])
        stored.delete()
        new = Case.objects.create(
            inspection_id=case.inspection_id,
            assigned_inspector=inspector,
            **_case_values(reserve.attributes),
        )
        reserve.case = new
        reserve.save(update_fields=["case"])
        audit.record(
            case.inspection_id,
            AuditKind.CASE_DETAILS,
            by=by,
            case=stored,
            subject="Case",
            old="In the sample",
            new=f"Replaced by {new.ref} (reserve {reserve.rank} of the {row.stratum} stratum)",
            reason=reason,
        )
        record_added([new], by, f"From the {row.stratum} reserve, replacing {stored.ref}")
    return new


def _labels(attribute: str) -> dict[str, str]:
    field = Case._meta.get_field(attribute)
    if field.choices:
        return {str(value): str(label) for value, label in field.choices}
    return {"True": "Yes", "False": "No"}


def representativeness(draw: SampleDraw) -> list[sampling.AttributeFit]:
    """Each attribute's spread in the current sample against the extract's."""
    current = [r.attributes for r in draw.drawn.exclude(case=None)]
    return [
        sampling.fit(
            attribute,
            Counter(draw.extract_counts[attribute]),
            Counter(str(a[attribute]) for a in current),
            name=capfirst(Case._meta.get_field(attribute).verbose_name),
            labels=_labels(attribute),
        )
        for attribute in ATTRIBUTES
    ]
