"""Which answers count: the one definition, read by Python and by SQL alike.

A question applies to a case when the case's attributes meet the question's condition: the
framework defines its conditions as data (inspection.models.CaseCondition: attribute -> the values
that make it apply), and `always` needs none. The Python predicate and the ORM expression are
both built from those conditions, so the page, the completeness rule and the reports' GROUP BY
cannot drift apart.

An answer is *relevant* (in a percentage's denominator) when its question applies to its case and
it is yes or no: not applicable and blank are both outside. An answer is *given* when it is yes,
no or not applicable; completeness asks for a given answer, the reports count relevant ones.
"""

from collections.abc import Iterable, Mapping

from django.db.models import Q

from inspection.choices import ALWAYS, AnswerValue
from inspection.framework.case_attributes import CASE_ATTRIBUTES  # noqa: F401 (re-exported)
from inspection.framework.spec import Condition, ConditionSpec
from inspection.models import CaseCondition

RELEVANT_VALUES = (AnswerValue.YES, AnswerValue.NO)
GIVEN_VALUES = (AnswerValue.YES, AnswerValue.NO, AnswerValue.NOT_APPLICABLE)

CaseAttributes = Mapping[str, object]


def attributes_of(case) -> dict[str, object]:
    """A case's (or a case-like object's) attributes, as conditions read them."""
    return {name: getattr(case, name) for name in CASE_ATTRIBUTES}


def applies(when: Condition, case: CaseAttributes) -> bool:
    """Whether a question with this condition is asked of a case with these attributes."""
    # A condition on an attribute the case lacks is a KeyError, not a guess.
    return all(case[attribute] in values for attribute, values in when)


def is_relevant(value: str, when: Condition, case: CaseAttributes) -> bool:
    """Whether an answer is in its question's denominator (and so in the report's counts)."""
    return value in RELEVANT_VALUES and applies(when, case)


def applicable_q(
    conditions: Iterable[ConditionSpec], question: str = "question__", case: str = "case__"
) -> Q:
    """The ORM form of `applies`, for a queryset reaching the question and the case by these
    lookup prefixes (an Answer queryset by default), given the conditions of the frameworks
    involved (a question naming a condition not given is left out, never guessed in)."""
    expression = Q(**{f"{question}applies_when": ALWAYS})
    for condition in conditions:
        expression |= Q(
            **{
                f"{question}framework_id": condition.framework_id,
                f"{question}applies_when": condition.code,
            },
            **{f"{case}{attribute}__in": list(values) for attribute, values in condition.when},
        )
    return expression


def relevant_q(conditions: Iterable[ConditionSpec]) -> Q:
    """For Answer querysets: the answer's question applies to its case and it is yes or no."""
    return applicable_q(conditions) & Q(value__in=RELEVANT_VALUES)


def conditions_of_inspections(inspection_ids: Iterable[int]) -> list[ConditionSpec]:
    """The conditions of the frameworks these inspections use (one query)."""
    return [
        ConditionSpec.from_row(row)
        for row in CaseCondition.objects.filter(
            framework__inspections__id__in=list(inspection_ids)
        ).distinct()
    ]
