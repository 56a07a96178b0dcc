import datetime

from django.core.management.base import BaseCommand, CommandError

from reports.reminders import send_reminders


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"--today must be a date as YYYY-MM-DD, not {text!r}") from error


class Command(BaseCommand):
    help = (
        "E-mail reminders about action plans and actions due soon or overdue, each once. "
        "Suited to a daily cron job."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", help="Act as if today were this date (YYYY-MM-DD); for checking."
        )

    def handle(self, *args, today=None, **options):
        sent, nobody = send_reminders(_date(today) if today else None)
        self.stdout.write(f"Sent {len(sent)} reminder{'s' if len(sent) != 1 else ''}.")
        for key in sent:
            self.stdout.write(f"  sent: {key}")
        for key in nobody:
            self.stdout.write(f"  nobody to send to (no writer with an e-mail address): {key}")
