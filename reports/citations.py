"""Checking the citations in a text the lead saves (inspection/report_writing.py calls this,
registered in ReportsConfig.ready: that layer knows no citation grammar): what the inspection's
texts may cite, and reports/prose.py's `problems` against it."""

from inspection.framework.spec import load_framework_spec
from inspection.models import (
    ContextFact,
    EvidenceQuestion,
    EvidenceTally,
    Footnote,
    Inspection,
)

from .prose import Known, Tally, problems
from .written import written_texts


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


def written_report_problems(inspection: Inspection) -> list[str]:
    """Every citation in the inspection's written report that cannot be rendered now, named
    with where it is. A text checked when saved can break later (a fact or footnote removed, a
    tally recorded as a percentage only), so publishing checks them all again: a published
    record must never read "{fact:x}" or "[no figure]"."""
    known = known_for(inspection)
    codes = [s.code for s in load_framework_spec(inspection.framework).standards]
    facts = list(ContextFact.objects.filter(inspection=inspection))
    return [
        f"Written report, {place}: {problem}"
        for place, text in written_texts(inspection, codes, facts)
        for problem in problems(text, known)
    ]
