"""Who may see and change what. Every view and export asks here; nothing decides access elsewhere.

Roles:
- admin: a superuser; sees and changes everything (published inspections stay read-only).
- lead inspector: the inspection's lead_inspector; runs that inspection.
- inspector: on the inspection's team; sees it and enters case judgements while it is open.
- manager: scoped to PDUs, regions or HMPPS nationally (ManagerScope); reads published
  inspections there only: a PDU scope, that PDU's; a region scope, those of the region's PDUs and
  of the region itself; a national scope, all. Writes the action plans of the recommendations
  addressed to their scope (`can_write_action_plan`), nothing else.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.http import Http404

from .choices import Addressee, InspectionStatus
from .models import Inspection, ManagerScope, Recommendation


def is_admin(user) -> bool:
    return user.is_active and user.is_superuser


def must_use_second_factor(user) -> bool:
    """Admins (staff, superusers: Django admin) and lead inspectors sign in with a second factor;
    for everyone else it is optional. A lead is anyone leading an inspection, in any state."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return Inspection.objects.filter(lead_inspector=user).exists()


def _manager_filter(user) -> Q:
    scopes = list(user.manager_scopes.values_list("pdu_id", "region_id", "national"))
    if any(national for _, _, national in scopes):
        return Q(status=InspectionStatus.PUBLISHED)
    pdus = [pdu for pdu, _, _ in scopes if pdu]
    regions = [region for _, region, _ in scopes if region]
    if not pdus and not regions:
        return Q(pk__in=[])
    return Q(status=InspectionStatus.PUBLISHED) & (
        Q(pdu_id__in=pdus) | Q(pdu__region_id__in=regions) | Q(region_id__in=regions)
    )


def visible_inspections(user) -> QuerySet[Inspection]:
    inspections = Inspection.objects.with_place()
    if not user.is_authenticated or not user.is_active:
        return inspections.none()
    if is_admin(user):
        return inspections
    team = Inspection.objects.filter(team=user).values("pk")
    return inspections.filter(
        Q(pk__in=team) | Q(lead_inspector=user) | _manager_filter(user)
    ).distinct()


def is_on_team(user, inspection: Inspection) -> bool:
    if inspection.lead_inspector_id == user.pk:
        return True
    return inspection.team.filter(pk=user.pk).exists()


def can_view(user, inspection: Inspection) -> bool:
    return visible_inspections(user).filter(pk=inspection.pk).exists()


def can_see_cases(user, inspection: Inspection) -> bool:
    """Case-level detail (answers, notes, drill-downs) is for the inspection team and admins."""
    return is_admin(user) or is_on_team(user, inspection)


def case_inspections(user) -> QuerySet[Inspection]:
    """The inspections whose cases this user may see (can_see_cases), as one query."""
    if not user.is_authenticated or not user.is_active:
        return Inspection.objects.none()
    if is_admin(user):
        return Inspection.objects.all()
    team = Inspection.objects.filter(team=user).values("pk")
    return Inspection.objects.filter(Q(pk__in=team) | Q(lead_inspector=user))


def can_edit_cases(user, inspection: Inspection) -> bool:
    if inspection.status == InspectionStatus.PUBLISHED:
        return False
    return is_admin(user) or is_on_team(user, inspection)


def can_lead(user, inspection: Inspection) -> bool:
    return is_admin(user) or inspection.lead_inspector_id == user.pk


def can_correct_cases(user, inspection: Inspection) -> bool:
    """Correcting a case's attributes (sentence type, RoSH...): the lead's, until published."""
    return inspection.status != InspectionStatus.PUBLISHED and can_lead(user, inspection)


def can_write_report(user, inspection: Inspection) -> bool:
    """Domain-1 judgements and recommendations: the lead's, until the inspection is published."""
    return inspection.status != InspectionStatus.PUBLISHED and can_lead(user, inspection)


def can_see_audit_trail(user, inspection: Inspection) -> bool:
    """The whole trail (every case, every person's changes) is for the lead and admins; the rest
    of the team sees a case's answer history on the case's own page."""
    return can_lead(user, inspection)


def can_read_action_plans(user, inspection: Inspection) -> bool:
    """Action plans answer a published report's recommendations: whoever may read the report
    reads them (the lead and admins all of them; managers those of inspections in scope)."""
    return inspection.status == InspectionStatus.PUBLISHED and can_view(user, inspection)


def can_review_action_plans(user, inspection: Inspection) -> bool:
    """Accepting or returning a submitted plan: the inspection's lead (or an admin)."""
    return inspection.status == InspectionStatus.PUBLISHED and can_lead(user, inspection)


def addressed_scope(recommendation: Recommendation) -> tuple[str, int | None]:
    """The manager scope a recommendation is addressed to, as (kind, id): ("pdu", the inspected
    PDU) for a PDU's recommendation, ("region", its region) for the region's and for a region
    inspection's recommendations to its PDUs, ("national", None) for HMPPS's. The one definition
    of who answers a recommendation: `action_plan_writers` and `can_write_action_plan` use it."""
    inspection = recommendation.inspection
    if recommendation.addressee == Addressee.NATIONAL:
        return ("national", None)
    if recommendation.addressee == Addressee.PDU and not inspection.is_of_region:
        return ("pdu", inspection.pdu_id)
    return ("region", inspection.region_of.pk)


def _scopes_of(user) -> set[tuple[str, int | None]]:
    scopes = set()
    for pdu, region, national in user.manager_scopes.values_list("pdu_id", "region_id", "national"):
        scopes.add(("national", None) if national else ("pdu", pdu) if pdu else ("region", region))
    return scopes


def action_plan_writers(recommendation: Recommendation) -> QuerySet:
    """The active users who write this recommendation's action plan: managers with the scope it
    is addressed to (`addressed_scope`). Not the Inspectorate, admins included: a plan is the
    inspected service's own answer. Only once the inspection is published."""
    users = get_user_model().objects.filter(is_active=True)
    if recommendation.inspection.status != InspectionStatus.PUBLISHED:
        return users.none()
    kind, pk = addressed_scope(recommendation)
    scope = Q(national=True) if kind == "national" else Q(**{f"{kind}_id": pk})
    return users.filter(pk__in=ManagerScope.objects.filter(scope).values("user_id"))


def writable_plans(user, recommendations) -> set[int]:
    """Which of `recommendations` (of one or more inspections) this user writes the plan of, in
    one query however many there are."""
    if not user.is_authenticated or not user.is_active:
        return set()
    scopes = _scopes_of(user)
    return {
        r.pk
        for r in recommendations
        if r.inspection.status == InspectionStatus.PUBLISHED and addressed_scope(r) in scopes
    }


def can_write_action_plan(user, recommendation: Recommendation) -> bool:
    return recommendation.pk in writable_plans(user, [recommendation])


def calibration_inspections(user) -> QuerySet[Inspection]:
    """The inspections whose double marking a user compares across (an inspector's agreement
    over time is for those who lead them): an admin's, all; a lead's, those they lead."""
    if not user.is_authenticated or not user.is_active:
        return Inspection.objects.none()
    if is_admin(user):
        return Inspection.objects.all()
    return Inspection.objects.filter(lead_inspector=user)


def inspection_or_404(user, pk: int, *, need=can_view) -> Inspection:
    """The inspection if this user may do `need` with it; otherwise a 404 that reveals nothing."""
    inspection = Inspection.objects.with_place().filter(pk=pk).first()
    if inspection is None or not can_view(user, inspection):
        raise Http404("No such inspection")
    if need is not can_view and not need(user, inspection):
        raise Http404("No such inspection")
    return inspection


def record_or_404(user, records: QuerySet, pk: int, *, need=can_see_cases):
    """A record of an inspection (a case, say: `records` selects its `inspection`) if this user
    may do `need` with that inspection; otherwise a 404 that reveals nothing."""
    record = records.filter(pk=pk).first()
    if record is None or not need(user, record.inspection) or not can_view(user, record.inspection):
        raise Http404(f"No such {records.model._meta.verbose_name}")
    return record
