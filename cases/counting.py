"""Which answers count: the one definition, read by Python and by SQL alike.

A question applies to a case when the case has the flag its `applies_when` names (the table
below); the Python predicate and the ORM expression are both built from that table, so the page,
the completeness rule and the reports' GROUP BY cannot drift apart.

An answer is *relevant* (in a percentage's denominator) when its question applies to its case and
it is yes or no: not applicable and blank are both outside. An answer is *given* when it is yes,
no or not applicable; completeness asks for a given answer, the reports count relevant ones.
"""

import operator
from functools import reduce

from django.db.models import Q

from inspection.choices import AnswerValue, AppliesWhen

# The case flag each kind of question needs; None: it is asked of every case.
CASE_FLAG_NEEDED = {
    AppliesWhen.ALWAYS: None,
    AppliesWhen.COURT_WORK: "court_work",
    AppliesWhen.RESETTLEMENT: "resettlement",
}
CASE_FLAGS = ("court_work", "resettlement")

RELEVANT_VALUES = (AnswerValue.YES, AnswerValue.NO)
GIVEN_VALUES = (AnswerValue.YES, AnswerValue.NO, AnswerValue.NOT_APPLICABLE)


def applies(applies_when: str, *, court_work: bool, resettlement: bool) -> bool:
    """Whether a question of this kind is asked of a case with these flags."""
    # An unknown kind is a KeyError, not a guess: the SQL below would leave it out.
    flag = CASE_FLAG_NEEDED[applies_when]
    return flag is None or {"court_work": court_work, "resettlement": resettlement}[flag]


def is_relevant(value: str, applies_when: str, *, court_work: bool, resettlement: bool) -> bool:
    """Whether an answer is in its question's denominator (and so in the report's counts)."""
    return value in RELEVANT_VALUES and applies(
        applies_when, court_work=court_work, resettlement=resettlement
    )


def applicable_q(question: str = "question__", case: str = "case__") -> Q:
    """The ORM form of `applies`, for a queryset reaching the question and the case by these
    lookup prefixes (an Answer queryset by default)."""
    return reduce(
        operator.or_,
        (
            Q(**{f"{question}applies_when": applies_when})
            & (Q(**{f"{case}{flag}": True}) if flag else Q())
            for applies_when, flag in CASE_FLAG_NEEDED.items()
        ),
    )


# For Answer querysets: the answer's question applies to its case / the answer is relevant.
APPLICABLE = applicable_q()
RELEVANT = APPLICABLE & Q(value__in=RELEVANT_VALUES)
