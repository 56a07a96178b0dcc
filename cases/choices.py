"""Case attributes. Values are pseudonymous categories: no names of people on probation."""

from django.db import models

# The attributes a framework may ask of a case are defined with the framework (below this app).
from inspection.framework.case_attributes import (  # noqa: F401 (re-exported)
    AgeBand,
    Ethnicity,
    Gender,
    RoshLevel,
    SentenceType,
)


class CaseStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"
    RETURNED = "returned", "Returned"
    SIGNED_OFF = "signed_off", "Signed off"


# A finished case: its answers are whole and stand as the inspector's (or the QA's) final word.
FINISHED = frozenset({CaseStatus.COMPLETE, CaseStatus.SIGNED_OFF})
