"""Publishing stores the results model; published pages, exports and dashboards read it back.

`store` runs inside the lifecycle's publishing transaction (registered in reports/apps.py), so
an inspection is never published without its record. `report_for` is what every rendering asks
for: the stored record once published, the live results before. `differences` recomputes a
published inspection and compares, for `manage.py verify_published`.
"""

import dataclasses
import threading
from collections import OrderedDict
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.signals import post_migrate, pre_delete, pre_save

from cases.summary import InspectionSummary, summarise_counts
from inspection.choices import InspectionStatus
from inspection.framework.rating_engine import Count
from inspection.framework.spec import load_framework_spec
from inspection.models import Inspection

from . import plain_data
from .models import PublishedReport
from .record_upgrade import upgraded
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


class _Kept:
    """What this process made of published records, by record id: a record never changes (the
    database refuses), so what was read from it holds for good. Bounded, oldest out first."""

    def __init__(self, size: int):
        self.size, self.items, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key):
        with self.lock:
            value = self.items.get(key)
            if value is not None:
                self.items.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        with self.lock:
            self.items[key] = value
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


_reports = _Kept(64)  # a whole report each
_summaries = _Kept(20000)  # a dashboard row each: the national dashboard's are a few hundred


def latest_record(inspection_id: int) -> PublishedReport | None:
    return PublishedReport.objects.filter(inspection_id=inspection_id).newest_first().first()


def published_report(inspection: Inspection) -> tuple[Report, str] | None:
    """A published inspection's stored report and a key naming that record (its id and
    checksum, for caches), or None before publication.

    One query for the record's id and checksum; the record itself is read once per process."""
    if inspection.status != InspectionStatus.PUBLISHED:
        return None
    latest = (
        PublishedReport.objects.filter(inspection_id=inspection.pk)
        .newest_first()
        .values_list("pk", "checksum")
        .first()
    )
    if latest is None:
        return None
    record_id, checksum = latest
    report = _reports.get(record_id)
    if report is None:
        results = PublishedReport.objects.values_list("results", flat=True).get(pk=record_id)
        report = stored_report(inspection, results)
        _reports.put(record_id, report)
    return report, f"{record_id}-{checksum}"


def stored_report(inspection: Inspection, results: dict) -> Report:
    """A stored record as a Report, read in today's shape (reports/record_upgrade.py)."""
    return plain_data.load(Report, upgraded(results, load_framework_spec(inspection.framework_id)))


def report_for(inspection: Inspection) -> Report:
    """The report every page and export renders: the published record, or the live results."""
    published = published_report(inspection)
    return published[0] if published else build_report(inspection)


def summaries_from_records(inspections: Iterable[Inspection]) -> dict[int, InspectionSummary]:
    """Dashboard summaries of published inspections from their stored counts, no GROUP BY over
    answers: the records' ids (from with_record_ids, or one query), then one query for the counts
    of records this process has not read yet. Inspections without a record are left out (the
    caller counts them live)."""
    inspections = {i.pk: i for i in inspections if i.status == InspectionStatus.PUBLISHED}
    if all(hasattr(i, "published_record_id") for i in inspections.values()):
        latest = {
            pk: i.published_record_id
            for pk, i in inspections.items()
            if i.published_record_id is not None
        }
    else:
        latest = {}
        for inspection_id, record_id in (
            PublishedReport.objects.filter(inspection_id__in=list(inspections))
            .newest_first()
            .values_list("inspection_id", "pk")
        ):
            latest.setdefault(inspection_id, record_id)
    kept = {record_id: _summaries.get(record_id) for record_id in latest.values()}
    unread = [record_id for record_id, summary in kept.items() if summary is None]
    if unread:
        for record_id, inspection_id, headline in PublishedReport.objects.filter(
            pk__in=unread
        ).values_list("pk", "inspection_id", "headline"):
            inspection = inspections[inspection_id]
            kept[record_id] = summarise_counts(
                inspection,
                load_framework_spec(inspection.framework),
                {code: Count(*pair) for code, pair in headline["counts"].items()},
                headline["judged_ratings"],
            )
            _summaries.put(record_id, kept[record_id])
    # The figures are the record's; the inspection (names, links) is this request's.
    return {
        inspection_id: dataclasses.replace(kept[record_id], inspection=inspections[inspection_id])
        for inspection_id, record_id in latest.items()
    }


def with_record_ids(inspections: QuerySet) -> QuerySet:
    """Each inspection with its latest published record's id (None: none), read in the same
    query, so summaries_from_records needs none of its own for them."""
    latest = (
        PublishedReport.objects.filter(inspection=OuterRef("pk")).newest_first().values("pk")[:1]
    )
    return inspections.annotate(published_record_id=Subquery(latest))


def forget_read_records(**kwargs) -> None:
    # A flushed or migrated database (tests) may hand out record ids again: start afresh.
    _reports.clear()
    _summaries.clear()


def store_missing() -> list[Inspection]:
    """Store a record for every published inspection that has none (published before records
    were kept); the database lets only a first record in. Each in its own transaction."""
    stored = []
    published = Inspection.objects.with_place().filter(status=InspectionStatus.PUBLISHED)
    for inspection in published.filter(published_reports=None).order_by("pk"):
        with transaction.atomic():
            store(inspection)
        stored.append(inspection)
    return stored


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
    live = build_report(inspection, names=names, pooled_as_of=record.published_at)
    live_data = plain_data.dump(live)
    # Read as the pages read it: in today's shape, fields it predates at their defaults.
    stored_data = plain_data.dump(stored_report(inspection, record.results))
    if "text" not in record.results:
        _without_written_report(stored_data)
        _without_written_report(live_data)
    problems += [f"{path}: stored {a!r}, now {b!r}" for path, a, b in _diff(stored_data, live_data)]
    if record.headline != headline_of(live):
        problems.append("the stored headline figures differ from the results")
    return problems


def _without_written_report(data: dict) -> None:
    """A record stored before the written report (issue 11) has no text or evidence, and its
    rating sentences are in the wording of its day: what it is checked for is its figures."""
    data.pop("text", None)
    data.pop("evidence", None)
    for section in data.get("case_supervision", []):
        section.pop("rating_sentence", None)


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
    post_migrate.connect(forget_read_records, dispatch_uid="published-forget-read-records")
    pre_save.connect(_refuse_change, sender=PublishedReport, dispatch_uid="published-report-save")
    pre_delete.connect(
        _refuse_delete, sender=PublishedReport, dispatch_uid="published-report-delete"
    )
