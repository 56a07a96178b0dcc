"""Publishing stores the results model; published pages, exports and dashboards read it back.

`store` runs inside the lifecycle's publishing transaction (registered in reports/apps.py), so
an inspection is never published without its record. `report_for` is what every rendering asks
for: the stored record once published, the live results before. `differences` recomputes a
published inspection and compares, for `manage.py verify_published`.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models.signals import pre_delete, pre_save

from cases.summary import InspectionSummary, summarise_counts
from inspection.choices import InspectionStatus
from inspection.framework.rating_engine import Count
from inspection.framework.spec import load_framework_spec
from inspection.models import Inspection

from . import plain_data
from .models import PublishedReport
from .report_model import Report, build_report


def headline_of(report: Report) -> dict:
    """What a dashboard needs of a published report: every count and the judged ratings."""
    counts = {
        kq.code: [kq.count.yes, kq.count.relevant]
        for standard in report.standards
        for kq in standard.key_questions
    }
    counts.update({item.code: [item.count.yes, item.count.relevant] for item in report.items})
    judged = {s.code: s.rating for s in report.standards if s.standard.judged}
    return {"counts": counts, "judged_ratings": judged}


def store(inspection: Inspection) -> PublishedReport:
    """Keep the results as they are at this moment of publication."""
    report = build_report(inspection)
    data = plain_data.dump(report)
    return PublishedReport.objects.create(
        inspection=inspection,
        results=data,
        checksum=plain_data.checksum(data),
        headline=headline_of(report),
    )


def latest_record(inspection_id: int) -> PublishedReport | None:
    return (
        PublishedReport.objects.filter(inspection_id=inspection_id)
        .order_by("-published_at", "-pk")
        .first()
    )


def report_for(inspection: Inspection) -> Report:
    """The report every page and export renders: the published record, or the live results."""
    if inspection.status == InspectionStatus.PUBLISHED:
        record = latest_record(inspection.pk)
        if record is not None:
            return plain_data.load(Report, record.results)
    return build_report(inspection)


def summaries_from_records(inspections: Iterable[Inspection]) -> dict[int, InspectionSummary]:
    """Dashboard summaries of published inspections from their stored counts: one query, no
    GROUP BY over answers. Inspections without a record are left out (the caller counts them)."""
    inspections = {i.pk: i for i in inspections if i.status == InspectionStatus.PUBLISHED}
    latest: dict[int, dict] = {}
    for inspection_id, headline in (
        PublishedReport.objects.filter(inspection_id__in=list(inspections))
        .order_by("inspection_id", "published_at", "pk")
        .values_list("inspection_id", "headline")
    ):
        latest[inspection_id] = headline  # ordered oldest first: the last one wins
    summaries = {}
    for inspection_id, headline in latest.items():
        inspection = inspections[inspection_id]
        summaries[inspection_id] = summarise_counts(
            inspection,
            load_framework_spec(inspection.framework),
            {code: Count(*pair) for code, pair in headline["counts"].items()},
            headline["judged_ratings"],
        )
    return summaries


def differences(inspection: Inspection) -> list[str]:
    """Every way the stored record of a published inspection differs from recomputing it now
    (empty when it holds). Checks the checksum, the headline and every value in the results."""
    record = latest_record(inspection.pk)
    if record is None:
        return ["no stored results"]
    problems = []
    if plain_data.checksum(record.results) != record.checksum:
        problems.append("the stored results do not match their checksum")
    stored_facts = record.results.get("facts") or {}
    names = (stored_facts.get("pdu", ""), stored_facts.get("region", ""))
    live = build_report(inspection, names=names)
    live_data = plain_data.dump(live)
    problems += [
        f"{path}: stored {a!r}, now {b!r}" for path, a, b in _diff(record.results, live_data)
    ]
    if record.headline != headline_of(live):
        problems.append("the stored headline figures differ from the results")
    return problems


def _diff(stored, live, path="results"):
    if isinstance(stored, dict) and isinstance(live, dict):
        for key in sorted(set(stored) | set(live)):
            yield from _diff(stored.get(key), live.get(key), f"{path}.{key}")
    elif isinstance(stored, list) and isinstance(live, list) and len(stored) == len(live):
        for index, (a, b) in enumerate(zip(stored, live, strict=True)):
            yield from _diff(a, b, f"{path}[{index}]")
    elif stored != live:
        yield path, stored, live


def _refuse_change(sender, instance, **kwargs):
    if instance.pk and sender.objects.filter(pk=instance.pk).exists():
        raise ValidationError("A published report is a public record and cannot be changed.")


def _refuse_delete(sender, instance, **kwargs):
    raise ValidationError("A published report is a public record and cannot be deleted.")


def connect() -> None:
    pre_save.connect(_refuse_change, sender=PublishedReport, dispatch_uid="published-report-save")
    pre_delete.connect(
        _refuse_delete, sender=PublishedReport, dispatch_uid="published-report-delete"
    )
