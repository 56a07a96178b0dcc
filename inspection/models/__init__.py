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
