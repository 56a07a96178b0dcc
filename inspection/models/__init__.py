from .audit import AuditEntry
from .framework import (
    CaseCondition,
    Domain,
    Framework,
    ItemGroup,
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
    "CaseCondition",
    "Domain",
    "Domain1Judgement",
    "Framework",
    "Inspection",
    "InspectionEvent",
    "InspectionUnlock",
    "ItemGroup",
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
