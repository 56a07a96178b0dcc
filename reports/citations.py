"""Checking the citations in the written report's texts (reports/report_writing.py calls
`problems_of_texts` on every save and import: that layer knows no citation
grammar; publishing calls `written_report_problems`).

What a text may cite is built once, as reports/prose.py `Sources` without figures
(`citable_sources`), and `Sources.known()` reads it: the writing pages' check and the renderer
agree by construction. A citation must also render a figure. Saving refuses one that never can
(a standard the framework does not rate); one that cannot *yet* (a standard not rated yet, an
evidence tally not recorded, a question with no relevant cases yet) saves, with a warning on the
page (`figure_warnings`), and publishing refuses it, naming its place, until it has a figure.
"""

from inspection.framework.spec import load_framework_spec
from inspection.models import (
    ContextFact,
    EvidenceQuestion,
    EvidenceTally,
    Footnote,
    Inspection,
)
from reports.report_texts import report_texts

from .prose import Fact, Known, Sources, Tally, citations, figure_problem, problems
from .report_model import Report, build_report
from .written import sources_for, written_texts


def citable_sources(inspection: Inspection) -> Sources:
    """What this inspection's texts may cite, with no figure counted (four queries, the framework
    from its cache): its framework's standards and questions, its context facts and footnotes,
    and its framework's evidence questions (in the forms its tally allows once recorded)."""
    spec = load_framework_spec(inspection.framework)
    tallies = {
        code: Tally(yes, relevant, percent)
        for code, yes, relevant, percent in EvidenceTally.objects.filter(
            inspection=inspection
        ).values_list("question__code", "yes", "relevant", "percent")
    }
    codes = EvidenceQuestion.objects.filter(framework=inspection.framework_id).values_list(
        "code", flat=True
    )
    return Sources(
        questions={q.code: Tally() for q in spec.questions},
        ratings=dict.fromkeys((s.code for s in spec.standards), ""),
        evidence=tallies,
        facts={
            f.key: Fact(f.value, f.source)
            for f in ContextFact.objects.filter(inspection=inspection)
        },
        notes=dict(Footnote.objects.filter(inspection=inspection).values_list("key", "text")),
        unrecorded_evidence=frozenset(codes) - set(tallies),
        unrated=frozenset(s.code for s in spec.standards if not s.rated),
    )


def known_for(inspection: Inspection) -> Known:
    return citable_sources(inspection).known()


def problems_of_texts(inspection: Inspection, texts: list[str]) -> list[list[str]]:
    """The citation problems of each text, what they may cite read once (an import checks
    hundreds)."""
    known = known_for(inspection)
    return [problems(text, known) for text in texts]


def figure_sources(inspection: Inspection, report: Report) -> Sources:
    """The figures the report's citations render from (the results model's)."""
    return sources_for(
        report.standards,
        report.items,
        report.evidence,
        list(ContextFact.objects.filter(inspection=inspection)),
        list(Footnote.objects.filter(inspection=inspection)),
    )


def figure_warnings(inspection: Inspection, text: str) -> list[str]:
    """Each citation in a text just saved that renders no figure yet: the writing pages warn
    that publishing will refuse it until it has one."""
    sources = figure_sources(inspection, build_report(inspection))
    return [problem for c in citations(text) if (problem := figure_problem(c, sources))]


def written_report_problems(inspection: Inspection, report: Report | None = None) -> list[str]:
    """Every citation in the inspection's written report that cannot be rendered with a figure
    now, named with where it is. A text checked when saved can break later (a fact or footnote
    removed, a tally deleted or recorded as a percentage only, a question left with no relevant
    cases), so publishing checks them all again: a published record must never read
    "{fact:x}", "[no figure]" or "not yet rated"."""
    report = report or build_report(inspection)
    known = known_for(inspection)
    sources = figure_sources(inspection, report)
    codes = [s.code for s in report.standards]
    return [
        f"Written report, {text.place}: {problem}"
        for text in written_texts(report_texts(inspection), codes)
        for problem in problems(text.text, known, sources)
    ]
