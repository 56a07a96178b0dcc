from .audit import AuditEntry
from .framework import (
    Domain,
    Framework,
    LimitingRule,
    OverallBand,
    Question,
    RatingBand,
    Standard,
)
from .inspection import (
    Domain1Judgement,
    Inspection,
    InspectionEvent,
    InspectionUnlock,
    Recommendation,
    SampleWindow,
)
from .organisation import PDU, ManagerScope, Region

__all__ = [
    "PDU",
    "AuditEntry",
    "Domain",
    "Domain1Judgement",
    "Framework",
    "Inspection",
    "InspectionEvent",
    "InspectionUnlock",
    "LimitingRule",
    "ManagerScope",
    "OverallBand",
    "Question",
    "RatingBand",
    "Recommendation",
    "Region",
    "SampleWindow",
    "Standard",
]
