from .audit import AuditEntry
from .evidence import EvidenceQuestion, EvidenceTally
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
from .report_text import (
    ContextFact,
    Footnote,
    ItemKind,
    ItemList,
    ReportItem,
    ReportPart,
    ReportSigning,
    ReportSubsection,
)

__all__ = [
    "PDU",
    "AuditEntry",
    "CaseCondition",
    "ContextFact",
    "Domain",
    "Domain1Judgement",
    "EvidenceQuestion",
    "EvidenceTally",
    "Footnote",
    "Framework",
    "Inspection",
    "InspectionEvent",
    "InspectionUnlock",
    "ItemGroup",
    "ItemKind",
    "ItemList",
    "LimitingRule",
    "ManagerScope",
    "OverallBand",
    "Question",
    "RatingBand",
    "Recommendation",
    "Region",
    "ReportItem",
    "ReportPart",
    "ReportSigning",
    "ReportSubsection",
    "SampleWindow",
    "Standard",
]
