"""Publishing stores the results model; published pages, exports and dashboards read it back.

`store` runs inside the lifecycle's publishing transaction (registered in reports/apps.py), so
an inspection is never published without its record. `report_for` is what every rendering asks
for: the stored record once published, the live results before. `examine` checks a published
inspection against its records, for `manage.py verify_published`.

A record (reports.models.PublishedReport) holds:
- the results model as plain data, and the headline figures the dashboards read;
- its publication event (one record per event; the database ties them, reports migration 0002),
  or none for an inspection published before its lifecycle events were kept (a legacy record;
  the database takes one tied to none for such an inspection only, reports migration 0003);
- the digests of every case (cases/case_digests.py: its details, and its answers' values and
  evidence notes): digests, not copies, so no note text or attribute is kept in the record;
- the checksum of the inspection's record before it ("" for the first): a chain;
- its own checksum, over all of these (`seal`).
Storing one also writes an audit entry ("Published record", its checksum), so the trail knows
every record that was ever stored.
Once publishing commits, the record's PDF is rendered from it and stored (PublishedPdf,
reports/published_pdf.py): the download serves it, and verify checks its checksum.

The records that stand for a publication are those tied to one and the legacy ones
(PublishedReport.objects.standing(), reports/models.py): every reader chooses the newest of
these, a new record is chained onto it, and verify walks them as the chain. A record tied to no
event that is no legacy record (stored while the inspection was being inspected, or once its
events were kept: only a forged row can be) stands for nothing: nothing reads it or chains onto
it, and verify names it.

`examine` recomputes the newest record's results and case digests from the live rows and names
each difference ("case BWD-03: answers differ from the published record"), checks every record's
checksum, walks the chain, names any record the audit trail knows of that is missing and any
record it does not know of (one not stored by publishing), and any record that stands for no
publication. Records stored before case digests and the chain, or before the acknowledgements
came first in reading order, are compared on what they can be, and a note says what was not.
"""

import dataclasses
import threading
from collections import OrderedDict
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.signals import post_migrate, pre_delete, pre_save
from django.utils import timezone

from cases import case_digests
from cases.summary import InspectionSummary, summarise_counts
from inspection import audit
from inspection.choices import AuditKind, InspectionStatus
from inspection.framework.rating_engine import Count
from inspection.framework.spec import load_framework_spec
from inspection.models import AuditEntry, Inspection, InspectionEvent

from . import plain_data, published_pdf
from .models import PublishedPdf, PublishedReport
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


# The audit entry of a stored record (its new value: the record's checksum).
RECORD_SUBJECT = "Published record"


def seal(results: dict, digests: dict | None, previous_checksum: str) -> str:
    """A record's checksum: of everything it states. A record stored before case digests were
    kept (digests None) has the checksum of its results alone."""
    if digests is None:
        return plain_data.checksum(results)
    return plain_data.checksum(
        {"results": results, "case_digests": digests, "previous_checksum": previous_checksum}
    )


def publication_event(inspection_id: int) -> InspectionEvent | None:
    """The inspection's newest event if it is a publication: the one a new record is tied to."""
    newest = InspectionEvent.objects.filter(inspection_id=inspection_id).order_by("-pk").first()
    return newest if newest is not None and newest.to_status == InspectionStatus.PUBLISHED else None


def store(inspection: Inspection) -> PublishedReport:
    """Keep the results as they are at this moment of publication, tied to its event (none for
    an inspection published without one), after the inspection's previous record in the chain:
    its newest standing record (tied to an earlier publication, or legacy), never a record that
    stands for no publication, whatever it or its date say."""
    report = build_report(inspection)
    data = plain_data.dump(report)
    digests = case_digests.case_digests(inspection.pk)
    previous = latest_record(inspection.pk)
    previous_checksum = previous.checksum if previous else ""
    event = publication_event(inspection.pk)
    record = PublishedReport.objects.create(
        inspection=inspection,
        event=event,
        results=data,
        case_digests=digests,
        previous_checksum=previous_checksum,
        checksum=seal(data, digests, previous_checksum),
        headline=headline_of(report),
    )
    audit.record(
        inspection.pk,
        AuditKind.LIFECYCLE,
        by=event.by if event else None,
        subject=RECORD_SUBJECT,
        new=record.checksum,
    )
    # The PDF once publishing has committed (seconds of rendering, with no lock held).
    if settings.PUBLISHED_PDF_AT_PUBLICATION:
        record_id = record.pk
        transaction.on_commit(
            lambda: published_pdf.render_quietly(lambda: pdf_of_record(record_id))
        )
    return record


def pdf_of_record(record_id: int) -> bytes:
    """A record's PDF, rendered from the record read back and stored the first time it is asked
    for (reports/published_pdf.py)."""
    pdf = published_pdf.stored(record_id)
    if pdf is not None:
        return pdf
    record = PublishedReport.objects.select_related("inspection").get(pk=record_id)
    report = stored_report(record.inspection, record.results)
    return published_pdf.keep(record.inspection, record, report)


def published_pdf_bytes(inspection: Inspection) -> bytes | None:
    """A published inspection's PDF: its standing record's, stored (None before publication)."""
    if inspection.status != InspectionStatus.PUBLISHED:
        return None
    records = PublishedReport.objects.filter(inspection_id=inspection.pk).standing()
    record_id = records.values_list("pk", flat=True).first()
    return pdf_of_record(record_id) if record_id is not None else None


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
    """The inspection's newest standing record: the one of its newest publication."""
    return PublishedReport.objects.filter(inspection_id=inspection_id).standing().first()


def published_report(inspection: Inspection) -> tuple[Report, str] | None:
    """A published inspection's stored report and a key naming that record (its id and
    checksum, for caches), or None before publication.

    One query for the record's id and checksum; the record itself is read once per process."""
    if inspection.status != InspectionStatus.PUBLISHED:
        return None
    latest = (
        PublishedReport.objects.filter(inspection_id=inspection.pk)
        .standing()
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
            .standing()
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
    latest = PublishedReport.objects.filter(inspection=OuterRef("pk")).standing().values("pk")[:1]
    return inspections.annotate(published_record_id=Subquery(latest))


def forget_read_records(**kwargs) -> None:
    # A flushed or migrated database (tests) may hand out record ids again: start afresh.
    _reports.clear()
    _summaries.clear()


def store_missing() -> tuple[list[Inspection], list[tuple[Inspection, str]]]:
    """Store a record for every published inspection that has none because it was published
    before records were kept; each in its own transaction. Returns those stored, and those
    refused with why: an inspection that ever had a record (the audit trail says so) never gets a
    new one, which would launder whatever changed since; nor one with lifecycle events whose
    newest is not its publication (the database ties a record to that event only, and takes one
    tied to none only for an inspection with no event)."""
    stored, refused = [], []
    published = Inspection.objects.with_place().filter(status=InspectionStatus.PUBLISHED)
    for inspection in published.filter(published_reports=None).order_by("pk"):
        had = _audited_records(inspection.pk)
        if had:
            first = min(had.values())
            refused.append(
                (
                    inspection,
                    f"it had a published record (stored {_when(first)}), which is "
                    "missing: not stored again; restore the record from a backup",
                )
            )
        elif inspection.events.exists() and publication_event(inspection.pk) is None:
            refused.append(
                (inspection, "its newest lifecycle event is not its publication: not stored")
            )
        else:
            with transaction.atomic():
                store(inspection)
            stored.append(inspection)
    return stored, refused


def _audited_records(inspection_id: int) -> dict:
    """{checksum: when stored} of every record the audit trail says was stored."""
    return dict(
        AuditEntry.objects.filter(
            inspection_id=inspection_id, kind=AuditKind.LIFECYCLE, subject=RECORD_SUBJECT
        ).values_list("new_value", "at")
    )


@dataclasses.dataclass
class Examination:
    problems: list[str]  # each a way the record fails: verify_published fails
    notes: list[str]  # what could not be checked (legacy records): said, not failed


def differences(inspection: Inspection) -> list[str]:
    """Every way the records of a published inspection fail (empty when they hold)."""
    return examine(inspection).problems


def examine(inspection: Inspection) -> Examination:
    """Check a published inspection's records: each record's checksum and audit entry, that each
    stands for a publication, the chain, the records the audit trail knows of, that its newest
    event is a publication, and the newest standing record against the live rows (every value in
    the results, the headline, each case's digests)."""
    records = PublishedReport.objects.filter(inspection_id=inspection.pk)
    standing = set(records.standing().values_list("pk", flat=True))
    found, chain = _examine_chain(inspection, list(records.in_publication_order()), standing)
    newest = InspectionEvent.objects.filter(inspection_id=inspection.pk).order_by("-pk").first()
    if newest is not None and newest.to_status != InspectionStatus.PUBLISHED:
        # Published with no publication since its last move: the status was put back by hand.
        found.problems.append(
            f"the inspection reads published, but its newest lifecycle event is not a "
            f"publication ({newest.get_from_status_display()} to "
            f"{newest.get_to_status_display()}, {_when(newest.at)})"
        )
    if chain:
        _examine_content(inspection, chain[-1], found)
    for record in records.filter(pdf__isnull=False).only("pk", "published_at"):
        found.problems.extend(
            f"{record_name(record)}: {problem}" for problem in published_pdf.problems(record)
        )
    return found


def record_name(record: PublishedReport) -> str:
    return f"record {record.pk} ({_when(record.published_at)})"


def _when(at) -> str:
    return f"{timezone.localtime(at):%d/%m/%Y %H:%M}"


def _examine_chain(
    inspection: Inspection, records: list[PublishedReport], standing: set[int]
) -> tuple[Examination, list[PublishedReport]]:
    """Every record (oldest first) on its own, and the standing ones as a chain: what was found,
    and the chain."""
    found, chain = Examination([], []), []
    if not standing:
        found.problems.append("no stored results")
    audited = _audited_records(inspection.pk)
    checksums = {record.checksum for record in records}
    for checksum, at in sorted(audited.items(), key=lambda kv: kv[1]):
        if checksum not in checksums:
            found.problems.append(
                f"the record stored {_when(at)} (checksum {checksum[:12]}) is missing"
            )
    before = None
    for record in records:
        name = record_name(record)
        if seal(record.results, record.case_digests, record.previous_checksum) != record.checksum:
            found.problems.append(f"{name}: the stored results do not match their checksum")
        if record.checksum not in audited:
            found.problems.append(
                f'{name} has no "{RECORD_SUBJECT}" entry in the audit trail: it was not stored '
                "by publishing"
            )
        if record.pk not in standing:
            found.problems.append(
                f"{name} is tied to no publication event and stands for none: the inspection's "
                "lifecycle events show no publication it could record (only an inspection "
                "published before its events were kept has a record tied to none)"
            )
            continue  # out of the chain: nothing reads it or was chained onto it
        chain.append(record)
        if record.event_id is None:
            found.notes.append(
                f"{name} is tied to no publication event (a legacy record: the inspection was "
                "published before its lifecycle events were kept)"
            )
        if record.case_digests is None:
            found.notes.append(f"{name} was stored before the checksum chain")
        elif record.previous_checksum != (before.checksum if before else ""):
            follows = (
                f"follows {record_name(before)}" if before else "is the inspection's first record"
            )
            says = (
                f"says it follows a record with checksum {record.previous_checksum[:12]}"
                if record.previous_checksum
                else "says it is the first record"
            )
            found.problems.append(
                f"{name}: the checksum chain is broken: it {follows} but {says} "
                "(a record is missing or was changed)"
            )
        before = record
    return found, chain


def _examine_content(inspection: Inspection, record: PublishedReport, found: Examination) -> None:
    """The newest record against the live rows: its results and headline, its cases."""
    stored_facts = record.results.get("facts") or {}
    names = (stored_facts.get("pdu", ""), stored_facts.get("region", ""))
    live = build_report(inspection, names=names, pooled_as_of=record.published_at)
    live_data = plain_data.dump(live)
    # Read as the pages read it: in today's shape, fields it predates at their defaults.
    stored_data = plain_data.dump(stored_report(inspection, record.results))
    if "text" not in record.results:
        _without_written_report(stored_data)
        _without_written_report(live_data)
        found.notes.append(
            f"{record_name(record)} was stored before the written report: its figures are "
            "compared, its text, evidence and rating sentences are not"
        )
    elif "isbn" not in record.results["text"]:
        # Stored before the front matter (the ISBN, worded rating sentences, acknowledgements
        # first): its footnotes are numbered in the reading order of its day.
        stored_data["text"] = _footnotes_as_said(stored_data["text"])
        live_data["text"] = _footnotes_as_said(live_data["text"])
        found.notes.append(
            f"{record_name(record)} was stored before the acknowledgements came first in "
            "reading order: its footnotes are compared by what they say and where they are "
            "cited, not by their numbers"
        )
    found.problems += [
        f"{path}: stored {a!r}, now {b!r}" for path, a, b in _diff(stored_data, live_data)
    ]
    if record.headline != headline_of(live):
        found.problems.append("the stored headline figures differ from the results")
    if record.case_digests is None:
        found.notes.append(
            f"{record_name(record)} was stored before case digests were kept: its figures are "
            "checked, its cases are not"
        )
    else:
        found.problems += case_digests.differences(
            record.case_digests, case_digests.case_digests(inspection.pk)
        )


def _without_written_report(data: dict) -> None:
    """A record stored before the written report (issue 11) has no text or evidence, and its
    rating sentences are in the wording of its day: what it is checked for is its figures."""
    data.pop("text", None)
    data.pop("evidence", None)
    for section in data.get("case_supervision", []):
        section.pop("rating_sentence", None)


def _footnotes_as_said(text: dict) -> dict:
    """The written report (as data) with each footnote number, a mark's or a rating note's, put
    as what that footnote says, and the footnotes in the order of what they say: the same for
    two numberings of the same footnotes, cited in the same places. Whether a mark is its
    footnote's first citation depends on the order too: left out."""
    says = {
        note["number"]: "".join(run["text"] for run in note["runs"]) for note in text["footnotes"]
    }

    def said(value):
        if isinstance(value, list):
            return [said(item) for item in value]
        if not isinstance(value, dict):
            return value
        value = {key: said(item) for key, item in value.items()}
        if "footnote" in value:  # a run
            value["footnote"] = says.get(value["footnote"], value["footnote"])
            value.pop("first", None)
        if "rating_note" in value:  # a standard's text
            value["rating_note"] = says.get(value["rating_note"], value["rating_note"])
        return value

    text = said(text)
    text["footnotes"] = sorted(
        ({"says": says[note["number"]], "runs": note["runs"]} for note in text["footnotes"]),
        key=lambda note: (note["says"], plain_data.canonical_json(note)),
    )
    return text


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
    pre_save.connect(_refuse_change, sender=PublishedPdf, dispatch_uid="published-pdf-save")
    pre_delete.connect(_refuse_delete, sender=PublishedPdf, dispatch_uid="published-pdf-delete")
