"""The reference report's written text in the database, for tests of its rendering.

Until the bundle importer reads the `report` section (the content part of issue 11), tests write
its rows straight from tests/data/reference-report-partial.json (a copy of the section as it
stood); once the reference bundle carries the section, the import has already written them.
"""

import json
from pathlib import Path

from inspection.models import (
    ContextFact,
    Footnote,
    Inspection,
    ReportItem,
    ReportPart,
    ReportSigning,
    ReportSubsection,
    Standard,
)

PARTIAL = Path(__file__).resolve().parent / "data" / "reference-report-partial.json"
PARTS = {
    "foreword": ReportPart.FOREWORD,
    "background": ReportPart.BACKGROUND,
    "acknowledgements": ReportPart.ACKNOWLEDGEMENTS,
    "annexe": ReportPart.ANNEXE,
}


def write_report_section(inspection: Inspection, section: dict | None = None) -> None:
    """The rows of a bundle's `report` section (docs/report-text.md), unless already there."""
    if ReportSubsection.objects.filter(inspection=inspection).exists():
        return
    section = section or json.loads(PARTIAL.read_text(encoding="utf-8"))
    ReportSigning.objects.create(
        inspection=inspection,
        signatory=section.get("signatory", ""),
        signatory_title=section.get("signatory_title", ""),
    )
    for order, fact in enumerate(section.get("context_facts", [])):
        ContextFact.objects.create(inspection=inspection, order=order, **fact)
    for note in section.get("footnotes", []):
        Footnote.objects.create(inspection=inspection, **note)
    standards = {s.code: s for s in Standard.objects.filter(domain__framework=inspection.framework)}
    parts = section.get("parts", {})
    for name, part in PARTS.items():
        for order, sub in enumerate(parts.get(name, [])):
            _subsection(inspection, part, None, order, sub)
    for code, subs in parts.get("standards", {}).items():
        for order, sub in enumerate(subs):
            _subsection(inspection, ReportPart.STANDARD, standards[code], order, sub)


def _subsection(inspection, part, standard, order, data) -> None:
    subsection = ReportSubsection.objects.create(
        inspection=inspection,
        part=part,
        standard=standard,
        heading=data.get("heading", ""),
        order=order,
    )
    for list_name in ("body", "strengths", "areas"):
        for position, item in enumerate(data.get(list_name, [])):
            kind = "quote" if "quote" in item else "text"
            ReportItem.objects.create(
                subsection=subsection, list=list_name, kind=kind, text=item[kind], order=position
            )
