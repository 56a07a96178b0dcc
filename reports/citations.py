"""Checking the citations in a text the lead saves (inspection/report_writing.py calls this,
registered in ReportsConfig.ready: that layer knows no citation grammar): what the inspection's
texts may cite, and reports/prose.py's `problems` against it."""

from inspection.framework.spec import load_framework_spec
from inspection.models import ContextFact, Footnote, Inspection

from .prose import Known, problems


def known_for(inspection: Inspection) -> Known:
    """What texts of this inspection may cite: its framework's standards and questions, its
    context facts and footnotes. (Evidence keys: none until the framework carries them.)"""
    spec = load_framework_spec(inspection.framework)
    return Known(
        questions=frozenset(q.code for q in spec.questions),
        standards=frozenset(s.code for s in spec.standards),
        facts=frozenset(
            ContextFact.objects.filter(inspection=inspection).values_list("key", flat=True)
        ),
        notes=frozenset(
            Footnote.objects.filter(inspection=inspection).values_list("key", flat=True)
        ),
    )


def text_problems(inspection: Inspection, text: str) -> list[str]:
    return problems(text, known_for(inspection))
