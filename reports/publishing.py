"""Publishing an inspection, and re-opening one: a service of the top of the report stack.

It calls every check itself, in the order the publish page lists them (the cases' checks first,
then the report's), takes the case rows' locks, stores the record and moves the status through
inspection.lifecycle's one primitive, which holds the inspection row's lock, records the event
and audits it, all in one transaction. The lower layers are called, never told what to call.
"""

from collections.abc import Callable, Iterator

from cases import publishing as case_publishing
from inspection import lifecycle
from inspection.choices import InspectionStatus
from inspection.models import Inspection, InspectionEvent
from inspection.publish_checklist import BlockerGroup, link_of

from . import citations, domain1, number_check, pooling, publication, required_parts
from .report_model import Report, build_report

# (check, the heading the publish page lists its reasons under, whether it reads the report's
# figures): checks sharing a heading share a group, headings in the order first met. The checks
# that read figures are handed one report, built once (each built its own: a third of a
# publish's checking time).
CHECKS: tuple[tuple[Callable, str, bool], ...] = (
    # Every case finished and whole, its QA closed: reviews, queries and double marking.
    (case_publishing.case_blockers, case_publishing.CASES_HEADING, False),
    (case_publishing.qa_blockers, case_publishing.QA_HEADING, False),
    (case_publishing.open_queries, case_publishing.QA_HEADING, False),
    (case_publishing.double_marking_blockers, case_publishing.QA_HEADING, False),
    # Every judgement given, every required part of the written report written, and its
    # citations checked again; every number typed by hand that matches no figure of its part
    # confirmed; a region's pool not empty.
    (domain1.judgement_blockers, domain1.JUDGEMENTS_HEADING, False),
    (required_parts.unwritten_parts, required_parts.WRITTEN_REPORT_HEADING, False),
    (citations.written_report_problems, required_parts.WRITTEN_REPORT_HEADING, True),
    (number_check.unconfirmed_numbers, number_check.NUMBERS_HEADING, True),
    (pooling.nothing_pooled, pooling.POOLING_HEADING, False),
)


def _found(inspection: Inspection) -> Iterator[tuple[str, list[str]]]:
    """(heading, reasons) of each check in order."""
    report: Report | None = None
    for check, heading, reads_report in CHECKS:
        if reads_report:
            report = report or build_report(inspection)
            yield heading, check(inspection, report)
        else:
            yield heading, check(inspection)


def publish_blockers(inspection: Inspection) -> list[str]:
    """Every reason the inspection cannot be published yet (empty when it can)."""
    return [reason for _, reasons in _found(inspection) for reason in reasons]


def checklist(inspection: Inspection) -> list[BlockerGroup]:
    """Every reason the inspection cannot be published yet, under the heading of the check that
    found it; headings with nothing to put right are left out, so an empty list means it can be
    published."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for heading, reasons in _found(inspection):
        groups.setdefault(heading, []).extend((str(r), link_of(r)) for r in reasons)
    return [BlockerGroup(heading, tuple(found)) for heading, found in groups.items() if found]


PUBLISHING = lifecycle.Publishing(
    lock=case_publishing.lock_cases, blockers=publish_blockers, store=publication.store
)


def publish(inspection: Inspection, user) -> InspectionEvent:
    """Publish the inspection in moderation if nothing stops it; TransitionRefused lists why not."""
    return lifecycle.move(inspection, InspectionStatus.PUBLISHED, user, publishing=PUBLISHING)


def reopen(inspection: Inspection, user, reason: str) -> InspectionEvent:
    """Re-open a published inspection for moderation, for the reason given (required)."""
    return lifecycle.move(inspection, InspectionStatus.MODERATION, user, reason)


def move(inspection: Inspection, to_status: str, user, reason: str = "") -> InspectionEvent:
    """Any lifecycle move, publishing included: the one entry for callers that move to a status
    chosen at run time (the admin's actions, the demo's setup, tests)."""
    if to_status == InspectionStatus.PUBLISHED:
        return lifecycle.move(inspection, to_status, user, reason, publishing=PUBLISHING)
    return lifecycle.move(inspection, to_status, user, reason)
