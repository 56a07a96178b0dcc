"""Reminder e-mails about action plans, sent by `manage.py send_action_plan_reminders` (daily,
from cron). A plan not yet submitted, and an action not done, each get one reminder in the
ACTION_PLAN_REMINDER_DAYS before they are due and one once they are overdue; ReminderSent's
unique key makes each go once, however often the command runs. The e-mail goes to those who
write the plan (inspection.access.action_plan_writers)."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from inspection.access import action_plan_writers
from inspection.choices import PlanProgress

from .follow_up import NOT_YET_IN, PlanRow, action_overdue, current_date, national_follow_up
from .models import ReminderSent


@dataclass(frozen=True)
class Reminder:
    key: str
    subject: str
    body: str
    row: PlanRow


def _when(due: datetime.date, today: datetime.date) -> str | None:
    """ "before" within the reminder window up to the due date, "after" once it has passed."""
    if due < today:
        return "after"
    if due - today <= datetime.timedelta(days=settings.ACTION_PLAN_REMINDER_DAYS):
        return "before"
    return None


def _place(row: PlanRow) -> str:
    inspection = row.recommendation.inspection
    return f"{inspection.place} (fieldwork {inspection.fieldwork_start:%d %B %Y})"


def _link(row: PlanRow) -> str:
    path = reverse(
        "reports:action_plan", args=[row.recommendation.inspection_id, row.recommendation.pk]
    )
    return f"\n\nThe plan: {settings.SITE_URL}{path}"


def reminders_due(today: datetime.date) -> list[Reminder]:
    found = []
    for item in national_follow_up(today).inspections:
        for row in item.rows:
            where = f"recommendation {row.number} of the inspection of {_place(row)}"
            if row.due and row.state in NOT_YET_IN:
                when = _when(row.due, today)
                if when:
                    late = "is overdue" if when == "after" else "is due"
                    found.append(
                        Reminder(
                            f"plan-{row.recommendation.pk}-{when}",
                            f"Action plan {late}: {where}",
                            f"The action plan for {where} {late} on {row.due:%d %B %Y} and "
                            "has not been submitted." + _link(row),
                            row,
                        )
                    )
            for action in row.actions:
                if action.status == PlanProgress.DONE:
                    continue
                if row.plan.progress == PlanProgress.NOT_ACCEPTED:
                    continue
                when = _when(action.due, today)
                if when == "after" and not action_overdue(action, row.plan, today):
                    continue
                if when:
                    late = "is overdue" if when == "after" else "is due"
                    found.append(
                        Reminder(
                            f"action-{action.pk}-{when}",
                            f"Action {late}: {where}",
                            f'The action "{action.what}" (owner: {action.owner}) for {where} '
                            f"{late} on {action.due:%d %B %Y} and is not done." + _link(row),
                            row,
                        )
                    )
    return found


def send_reminders(today: datetime.date | None = None) -> tuple[list[str], list[str]]:
    """Send every reminder due today not sent before. Returns (keys sent, keys with nobody to
    send to: no writer with an e-mail address yet; tried again on the next run)."""
    today = today or current_date()
    sent, nobody = [], []
    for reminder in reminders_due(today):
        if ReminderSent.objects.filter(key=reminder.key).exists():
            continue
        recipients = sorted(
            action_plan_writers(reminder.row.recommendation)
            .exclude(email="")
            .values_list("email", flat=True)
        )
        if not recipients:
            nobody.append(reminder.key)
            continue
        try:
            # Recorded and sent together: a failed send leaves no record, so it is tried again.
            with transaction.atomic():
                ReminderSent.objects.create(key=reminder.key, recipients=", ".join(recipients))
                send_mail(
                    reminder.subject,
                    reminder.body,
                    settings.DEFAULT_FROM_EMAIL,
                    recipients,
                )
        except IntegrityError:
            continue  # another run sent it first
        sent.append(reminder.key)
    return sent, nobody
