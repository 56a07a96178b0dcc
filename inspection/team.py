"""Who leads an inspection and who is on its team: changed here, and every change audited."""

from django.db import transaction

from . import audit
from .choices import AuditKind
from .models import Inspection
from .published import ensure_editable, lock_for_edit

ON_THE_TEAM = "On the team"


def set_team(inspection: Inspection, members, by) -> None:
    """Make the team exactly `members`, recording each person added or removed."""
    wanted = {user.pk: user for user in members}
    with transaction.atomic():
        lock_for_edit(inspection.pk)
        current = {user.pk: user for user in inspection.team.all()}
        added = [wanted[pk] for pk in wanted.keys() - current.keys()]
        removed = [current[pk] for pk in current.keys() - wanted.keys()]
        if not added and not removed:
            return
        inspection.team.add(*added)
        inspection.team.remove(*removed)
        changes = [(user, "", ON_THE_TEAM) for user in added]
        changes += [(user, ON_THE_TEAM, "") for user in removed]
        audit.record_many(
            audit.entry(
                inspection.pk, AuditKind.TEAM, by=by, subject=audit.name_of(user), old=old, new=new
            )
            for user, old, new in sorted(changes, key=lambda c: audit.name_of(c[0]))
        )


def set_lead(inspection: Inspection, lead, by) -> None:
    """Make `lead` (a user, or None) the lead inspector, recording the change."""
    with transaction.atomic():
        stored = (
            Inspection.objects.select_related("lead_inspector")
            .select_for_update(of=("self",))
            .get(pk=inspection.pk)
        )
        if stored.lead_inspector_id == (lead.pk if lead else None):
            return
        ensure_editable(stored)
        Inspection.objects.filter(pk=inspection.pk).update(lead_inspector=lead)
        inspection.lead_inspector = lead
        audit.record(
            inspection.pk,
            AuditKind.TEAM,
            by=by,
            subject="Lead inspector",
            old=audit.name_of(stored.lead_inspector),
            new=audit.name_of(lead),
        )
