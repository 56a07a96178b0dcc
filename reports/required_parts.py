"""The parts of the written report that must be written before it is published, as the printed
report has them: the foreword and its signatory, the ISBN, the background, the acknowledgements, the
annexe, and strengths or areas for improvement for each standard rated by judgement (the
domain-1 lists, in the standard's first unheaded sub-section: report_writing.domain1_lists).

Without them the PDF reads "No strengths or areas for improvement recorded yet." or leaves a
part out. `required_parts` says which are written (the publish page's summary); `unwritten_parts`
is the publish check (registered in reports/apps.py), each reason linking to its writing page.
A standard the framework does not rate is judged in words instead (reports/domain1.py checks
those words), and needs no lists.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse

from inspection.framework.spec import load_framework_spec
from inspection.models import Inspection, ReportItem, ReportPart, ReportSigning
from inspection.publish_checklist import Blocker
from reports.report_writing import domain1_lists, isbn_of

WRITTEN_REPORT_HEADING = "The written report"


@dataclass(frozen=True)
class RequiredPart:
    name: str  # as the publish page lists it: "Foreword", "1.2 Leadership"
    written: bool
    missing: str  # the reason publishing is refused while it is not written
    url: str  # where it is written


def required_parts(inspection: Inspection) -> list[RequiredPart]:
    """Each required part in reading order, and whether it is written. Five queries."""
    with_items = set(
        ReportItem.objects.filter(subsection__inspection=inspection)
        .filter(~Q(subsection__part=ReportPart.STANDARD))
        .values_list("subsection__part", flat=True)
        .distinct()
    )
    signing = ReportSigning.objects.filter(inspection=inspection).first()
    signed = bool(signing and signing.signatory.strip() and signing.signatory_title.strip())
    lists = domain1_lists(inspection.pk)

    def part(name: ReportPart) -> RequiredPart:
        label = name.label
        return RequiredPart(
            label,
            name in with_items,
            f"Nothing is written in the {label.lower()}",
            reverse("reports:write_part", args=[inspection.pk, name.value]),
        )

    parts = [
        part(ReportPart.FOREWORD),
        RequiredPart(
            "Signatory of the foreword",
            signed,
            "The foreword has no signatory: give the name and title of who signs it",
            reverse("reports:write_signing", args=[inspection.pk]),
        ),
        RequiredPart(
            "ISBN",
            bool(isbn_of(inspection.pk)),
            "The report has no ISBN: give the one assigned to this publication",
            reverse("reports:write_isbn", args=[inspection.pk]),
        ),
        part(ReportPart.BACKGROUND),
    ]
    for standard in load_framework_spec(inspection.framework).standards:
        if not (standard.judged and standard.rated):
            continue
        written = lists.get(standard.code, {})
        parts.append(
            RequiredPart(
                f"{standard.code} {standard.name}",
                bool(written.get("strengths") or written.get("areas_for_improvement")),
                f"{standard.code} {standard.name}: no strengths or areas for improvement written",
                reverse("reports:write_standard", args=[inspection.pk, standard.code]),
            )
        )
    parts += [part(ReportPart.ACKNOWLEDGEMENTS), part(ReportPart.ANNEXE)]
    return parts


def unwritten_parts(inspection: Inspection) -> list[str]:
    return [Blocker(p.missing, p.url) for p in required_parts(inspection) if not p.written]
