"""Checking the citations in a text the lead saves (inspection/report_writing.py calls this,
registered in ReportsConfig.ready: that layer knows no citation grammar): what the inspection's
texts may cite, and reports/prose.py's `problems` against it."""

from inspection.framework.spec import load_framework_spec
from inspection.models import ContextFact, EvidenceQuestion, EvidenceTally, Footnote, Inspection

from .prose import Known, Tally, problems


def known_for(inspection: Inspection) -> Known:
    """What texts of this inspection may cite: its framework's standards and questions, its
    context facts and footnotes, and its framework's evidence questions (in the forms its tally
    allows once recorded, any form before)."""
    spec = load_framework_spec(inspection.framework)
    evidence: dict[str, frozenset[str] | None] = dict.fromkeys(
        EvidenceQuestion.objects.filter(framework=inspection.framework_id).values_list(
            "code", flat=True
        )
    )
    for code, yes, relevant, percent in EvidenceTally.objects.filter(
        inspection=inspection
    ).values_list("question__code", "yes", "relevant", "percent"):
        evidence[code] = Tally(yes, relevant, percent).forms
    return Known(
        questions=frozenset(q.code for q in spec.questions),
        standards=frozenset(s.code for s in spec.standards),
        evidence=evidence,
        facts=frozenset(
            ContextFact.objects.filter(inspection=inspection).values_list("key", flat=True)
        ),
        notes=frozenset(
            Footnote.objects.filter(inspection=inspection).values_list("key", flat=True)
        ),
    )


def text_problems(inspection: Inspection, text: str) -> list[str]:
    return problems(text, known_for(inspection))
