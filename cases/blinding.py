"""Blind double marking's one rule of sight: a second marker sees nothing of a case's first
marking (answers, notes, history, problems) by any page, export or URL until both markers are
done. Every case view takes its case through `case_or_404`; every view of many cases' answers
leaves out `blinded_case_ids` or refuses with `refuse_while_blinded`. (inspection.access decides
everything else, but sits below this app and cannot see second markings.)"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from inspection import audit
from inspection.access import can_see_cases, record_or_404
from inspection.choices import AuditKind

from .choices import FINISHED
from .models import Answer, Case, SecondAnswer, SecondMarking

WHILE_BLINDED = (
    "You are second marking cases of this inspection: case-level answers from other inspectors "
    "are hidden from you until both markers of each case are done"
)


def blind_markings(user):
    """This user's second markings still blind: not both done, so the first marking is hidden."""
    if not user.is_authenticated:
        return SecondMarking.objects.none()
    return SecondMarking.objects.filter(marker=user, unblinded_at__isnull=True)


def blinded_case_ids(user, inspection_id: int) -> set[int]:
    """The cases of the inspection whose first marking this user may not see yet."""
    return set(
        blind_markings(user)
        .filter(case__inspection_id=inspection_id)
        .values_list("case_id", flat=True)
    )


def blind_case_ids(user):
    """The cases, in any inspection, this user marks second while blind (a subquery)."""
    return blind_markings(user).values("case_id")


def blind_inspection_ids(user):
    """The inspections in which this user marks a case second, blind: their live figures count
    the first marking's answers, so no page shows this user those figures until both are done."""
    return blind_markings(user).values("case__inspection_id")


def case_or_404(user, case_id: int, *, need=can_see_cases) -> Case:
    """The case for a case page (inspection.access.record_or_404's rules), and a 404 for the
    case's second marker while its marking is blind, whatever the page."""
    case = record_or_404(user, Case.objects.for_pages(), case_id, need=need)
    if case.pk in blinded_case_ids(user, case.inspection_id):
        raise Http404("No such case")
    return case


def refuse_while_blinded(user, inspection) -> None:
    """For pages and exports of every case's answers at once (drill-downs, the workbook, the
    answers CSV): refused while the user second-marks any case of the inspection blind."""
    if blinded_case_ids(user, inspection.pk):
        raise PermissionDenied(WHILE_BLINDED)


def unblind_if_both_done(case: Case, by) -> bool:
    """Once the second marker has submitted and the first marker's case is complete, freeze the
    first marker's answers to the key questions beside the second's (the pairs agreement is
    measured on) and lift the blindness. Call under the case row's lock (cases.workflow)."""
    marking = (
        SecondMarking.objects.select_for_update(of=("self",))
        .filter(case=case, unblinded_at__isnull=True, submitted_at__isnull=False)
        .first()
    )
    if marking is None or case.status not in FINISHED:
        return False
    firsts = dict(
        Answer.objects.filter(
            case=case, question_id__in=marking.answers.values("question_id")
        ).values_list("question_id", "value")
    )
    seconds = list(marking.answers.all())
    for second in seconds:
        second.first_value = firsts.get(second.question_id, "")
    SecondAnswer.objects.bulk_update(seconds, ["first_value"])
    marking.unblinded_at = timezone.now()
    marking.save(update_fields=["unblinded_at"])
    audit.record(
        case.inspection_id,
        AuditKind.DOUBLE_MARKING,
        by=by,
        case=case,
        subject="Double marking",
        new="Both markers done: the second marking can be compared",
    )
    return True
