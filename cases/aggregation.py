"""Yes / relevant counts per question, computed by one GROUP BY in the database.

Which answers are relevant (in the denominator) is defined once, in cases.counting.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count as SqlCount
from django.db.models import Q

from cases.models import Answer
from inspection.choices import AnswerValue
from inspection.framework.rating_engine import Count
from inspection.framework.spec import ConditionSpec

from .counting import conditions_of_inspections, relevant_q


def counts_by_inspection(
    inspection_ids: Iterable[int], conditions: Iterable[ConditionSpec] | None = None
) -> dict[int, dict[str, Count]]:
    """{inspection id: {question code: Count}} for many inspections in one GROUP BY query (and
    one more for their frameworks' conditions, unless they are given)."""
    inspection_ids = list(inspection_ids)
    if conditions is None:
        conditions = conditions_of_inspections(inspection_ids)
    rows = (
        Answer.objects.filter(case__inspection_id__in=inspection_ids)
        .filter(relevant_q(conditions))
        .values("case__inspection_id", "question__code")
        .annotate(
            yes=SqlCount("id", filter=Q(value=AnswerValue.YES)),
            relevant=SqlCount("id"),
        )
        .order_by()
    )
    counts: dict[int, dict[str, Count]] = defaultdict(dict)
    for row in rows:
        counts[row["case__inspection_id"]][row["question__code"]] = Count(
            row["yes"], row["relevant"]
        )
    return counts


def answer_counts(
    inspection_id: int, conditions: Iterable[ConditionSpec] | None = None
) -> dict[str, Count]:
    """{question code: Count} for one inspection; codes nobody answered are absent."""
    return counts_by_inspection([inspection_id], conditions).get(inspection_id, {})
