"""A region inspection's pooled standards, from its PDUs' published results.

The PDU inspections pooled are the published inspections of the region's PDUs in the region
inspection's programme, each PDU's latest (by fieldwork start). Each pooled key question's count
is the sum over them of the yes / relevant count of the PDU question its `pooled_from` names, as
each inspection's stored published record holds it (reports/publication.py's headline): never
recomputed from answers, never an average of percentages. The rating engine then rates the
pooled standards from those sums like any other counts (reports/report_model.py).

Every other PDU inspection in the programme is listed as not pooled, with the reason: not
published, a later inspection of the same PDU pooled instead, no stored results, or results that
lack a question the region's framework pools (another framework). A region inspection with
nothing to pool cannot be published (`nothing_pooled`, a publish check): its pooled standards
would rest on no cases.
"""

import datetime
from dataclasses import dataclass

from inspection.choices import InspectionStatus
from inspection.framework.rating_engine import Count
from inspection.framework.spec import FrameworkSpec, load_framework_spec
from inspection.models import Inspection

from .models import PublishedReport


@dataclass(frozen=True)
class PooledInspection:
    """A PDU inspection whose published counts a region inspection pools."""

    inspection_id: int
    pdu: str
    fieldwork_start: datetime.date


@dataclass(frozen=True)
class NotPooled:
    """A PDU inspection of the region and programme left out of the pool, and why."""

    inspection_id: int
    pdu: str
    fieldwork_start: datetime.date
    reason: str


@dataclass(frozen=True)
class Pooling:
    pooled: tuple[PooledInspection, ...]
    not_pooled: tuple[NotPooled, ...]
    # {region key question code: summed count}
    counts: dict[str, Count]


NOTHING_POOLED = Pooling((), (), {})
POOLING_HEADING = "Pooled standards"


def pooled_questions(framework: FrameworkSpec) -> dict[str, str]:
    """{key question code: the PDU question code it pools} over the pooled standards."""
    return {
        kq.code: kq.pooled_from
        for standard in framework.standards
        if standard.pooled
        for kq in standard.key_questions
    }


def _latest_headlines(inspection_ids: list[int], as_of: datetime.datetime | None) -> dict:
    """{inspection id: the headline of its latest standing record (of a publication recorded by
    `as_of`)}: a record that stands for no publication is never pooled, whatever date it states."""
    records = PublishedReport.objects.filter(inspection_id__in=inspection_ids).standing(as_of)
    latest: dict[int, dict] = {}
    for inspection_id, headline in records.values_list("inspection_id", "headline"):
        latest.setdefault(inspection_id, headline)
    return latest


def pool(
    inspection: Inspection,
    framework: FrameworkSpec,
    *,
    as_of: datetime.datetime | None = None,
) -> Pooling:
    """The pool of a region inspection (NOTHING_POOLED for a PDU inspection, or a framework
    that pools nothing). Two queries.

    `as_of`: pool as at that moment, from the records of the publications recorded by then
    (their events'), whatever has happened since (verify_published recomputes a published region
    report as it was published). Without it, an inspection must be published now and its latest
    record counts.
    """
    wanted = pooled_questions(framework)
    if not inspection.is_of_region or not wanted:
        return NOTHING_POOLED
    candidates = Inspection.objects.filter(
        pdu__region_id=inspection.region_id, programme=inspection.programme
    )
    if as_of is not None:
        candidates = candidates.filter(created_at__lte=as_of)  # none made since
    candidates = list(
        candidates.select_related("pdu", "framework").order_by(
            "pdu__name", "pdu_id", "-fieldwork_start", "-pk"
        )
    )
    headlines = _latest_headlines([c.pk for c in candidates], as_of)
    pooled: list[PooledInspection] = []
    not_pooled: list[NotPooled] = []
    sums = {code: [0, 0] for code in wanted}
    chosen_for_pdu: dict[int, Inspection] = {}

    def leave_out(candidate: Inspection, reason: str) -> None:
        not_pooled.append(
            NotPooled(candidate.pk, candidate.pdu.name, candidate.fieldwork_start, reason)
        )

    for candidate in candidates:  # each PDU's newest first
        if candidate.framework.code != framework.pools_from:
            # A question code may mean something else in another framework: never summed.
            leave_out(
                candidate,
                f"Inspected under {candidate.framework}: this framework pools inspections "
                f"under {framework.pools_from} only",
            )
            continue
        published = candidate.status == InspectionStatus.PUBLISHED or as_of is not None
        headline = headlines.get(candidate.pk)
        if not published or (as_of is not None and headline is None):
            leave_out(candidate, "Not published")
            continue
        if headline is None:
            leave_out(
                candidate,
                "Published before results were stored: its record must be stored first "
                "(manage.py verify_published --store-missing)",
            )
            continue
        if candidate.pdu_id in chosen_for_pdu:
            later = chosen_for_pdu[candidate.pdu_id]
            leave_out(
                candidate,
                f"Not {candidate.pdu.name} PDU's latest published inspection in this programme: "
                f"that is the one with fieldwork from {later.fieldwork_start.day} "
                f"{later.fieldwork_start:%B %Y}",
            )
            continue
        chosen_for_pdu[candidate.pdu_id] = candidate
        counts = headline["counts"]
        missing = sorted({code for code in wanted.values() if code not in counts})
        if missing:
            leave_out(
                candidate,
                f"Its results have no figures for {', '.join(missing)}, which this framework "
                f"pools: it was inspected under {candidate.framework}",
            )
            continue
        for code, pdu_code in wanted.items():
            yes, relevant = counts[pdu_code]
            sums[code][0] += yes
            sums[code][1] += relevant
        pooled.append(PooledInspection(candidate.pk, candidate.pdu.name, candidate.fieldwork_start))
    return Pooling(
        pooled=tuple(pooled),
        not_pooled=tuple(not_pooled),
        counts={code: Count(yes, relevant) for code, (yes, relevant) in sums.items()},
    )


def nothing_pooled(inspection: Inspection) -> list[str]:
    """Why a region inspection whose framework pools standards has no PDU inspection to pool:
    the first reason says so, each after it names a PDU inspection of the region and programme
    and why it is left out."""
    if not inspection.is_of_region:
        return []
    spec = load_framework_spec(inspection.framework)
    pooling = pool(inspection, spec)
    if pooling.pooled or not pooled_questions(spec):
        return []
    nothing = (
        f"No published PDU inspection of {inspection.region.name} region in the "
        f"{inspection.programme} programme to pool"
    )
    if not pooling.not_pooled:
        return [f"{nothing}: none of its PDUs has an inspection in that programme"]
    return [
        nothing,
        *(
            f"Not pooled: {left.pdu} PDU, fieldwork from {left.fieldwork_start.day} "
            f"{left.fieldwork_start:%B %Y}: {left.reason[:1].lower()}{left.reason[1:]}"
            for left in pooling.not_pooled
        ),
    ]
