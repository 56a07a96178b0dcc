"""Results of many inspections at once, for the dashboards: a fixed number of queries.

Published inspections come from their stored records (one query); the others from one GROUP BY
for every inspection's counts and one query for the domain-1 ratings; one framework load per
framework in use. A fixed number of queries, whatever the number of inspections or cases.
"""

from collections.abc import Iterable, Sequence

from cases.aggregation import counts_by_inspection
from cases.summary import InspectionSummary, summarise_counts
from inspection.framework.rating_engine import Count
from inspection.framework.spec import load_framework_spec
from inspection.models import Domain1Judgement, Inspection

from .pooling import pool
from .publication import summaries_from_records


def judged_ratings_by_inspection(inspection_ids: Sequence[int]) -> dict[int, dict[str, str | None]]:
    ratings: dict[int, dict[str, str | None]] = {}
    for inspection_id, code, rating in Domain1Judgement.objects.filter(
        inspection_id__in=list(inspection_ids)
    ).values_list("inspection_id", "standard__code", "rating"):
        ratings.setdefault(inspection_id, {})[code] = rating or None
    return ratings


def summaries_for(inspections: Iterable[Inspection]) -> dict[int, InspectionSummary]:
    """{inspection id: summary}; inspections should come with_place() (framework selected).

    Published inspections are read from what was stored at publication (one query for all);
    the rest are counted live (one GROUP BY and one query for domain-1 ratings, for all)."""
    inspections = list({i.pk: i for i in inspections}.values())
    if not inspections:
        return {}
    summaries = summaries_from_records(inspections)
    live = [i for i in inspections if i.pk not in summaries]
    if live:
        ids = [i.pk for i in live]
        counts = counts_by_inspection(ids)
        judged = judged_ratings_by_inspection(ids)
        for i in live:
            spec = load_framework_spec(i.framework)
            # A region inspection's pooled standards: two queries for each such inspection.
            own = {**counts.get(i.pk, {}), **pool(i, spec).counts}
            summaries[i.pk] = summarise_counts(i, spec, own, judged.get(i.pk, {}))
    return summaries


def latest_per_pdu(inspections: Iterable[Inspection]) -> list[Inspection]:
    """Each PDU's most recent inspection (by fieldwork start), in the order first seen; region
    inspections are not a PDU's and are left out. An inspection under a framework that rates
    nothing (a thematic inspection reported as percentages) stands for its PDU only where the
    PDU has no rated one, so it never displaces the PDU's ratings in comparisons."""

    def rank(inspection: Inspection):
        rates = any(s.rated for s in load_framework_spec(inspection.framework).standards)
        return (rates, inspection.fieldwork_start, inspection.pk)

    latest: dict[int, Inspection] = {}
    for inspection in inspections:
        if inspection.pdu_id is None:
            continue
        current = latest.get(inspection.pdu_id)
        if current is None or rank(inspection) > rank(current):
            latest[inspection.pdu_id] = inspection
    return list(latest.values())


def pooled(counts: Iterable[Count]) -> Count:
    """Sum of yes over sum of relevant: bigger samples weigh more, unlike a mean of percentages."""
    yes = relevant = 0
    for count in counts:
        yes += count.yes
        relevant += count.relevant
    return Count(yes, relevant)


def key_question_count(summary: InspectionSummary, code: str) -> Count | None:
    for standard in summary.standards:
        for kq in standard.key_questions:
            if kq.code == code:
                return kq.count
    return None


def standard_rating(summary: InspectionSummary, code: str) -> str | None:
    return next((s.rating for s in summary.standards if s.code == code), None)
