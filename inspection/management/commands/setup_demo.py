"""Demo data for a newcomer: the reference inspection and one user per role.

Idempotent: running it again leaves existing data alone and prints the same log-ins.
"""

import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from inspection.bundle.importer import import_bundle
from inspection.models import Inspection

REFERENCE_BUNDLE = Path(settings.BASE_DIR) / "inspection/demo/blackburn-with-darwen-2023.json"

# username, full name, group, is admin; every demo password is DEMO_PASSWORD.
DEMO_USERS = [
    ("admin", "Ada Admin", None, True),
    ("lead", "Billie Lead", "Lead inspector", False),
    ("inspector1", "Ines Inspector", "Inspector", False),
    ("inspector2", "Ivan Inspector", "Inspector", False),
    ("manager", "Morgan Manager", "Manager", False),
]
DEMO_PASSWORD = "demo-password-2023"


class Command(BaseCommand):
    help = "Load the reference inspection and create demo users (development only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="create demo users even with DEBUG off (never on a real service)",
        )

    def handle(self, *args, allow_production, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "setup_demo creates well-known passwords; it runs only with DEBUG on."
            )
        with transaction.atomic():
            users = {row[0]: self._user(*row) for row in DEMO_USERS}
            inspection = self._reference_inspection()
            inspection.lead_inspector = users["lead"]
            inspection.save(update_fields=["lead_inspector"])
            inspection.team.add(users["lead"], users["inspector1"], users["inspector2"])
            for index, case in enumerate(inspection.cases.order_by("ref")):
                if case.assigned_inspector_id is None:
                    case.assigned_inspector = users[f"inspector{index % 2 + 1}"]
                    case.save(update_fields=["assigned_inspector"])

        self.stdout.write(f"Reference inspection: id {inspection.pk} ({inspection})")
        self.stdout.write(f"Demo log-ins (password for all: {DEMO_PASSWORD}):")
        for username, full_name, group, is_admin in DEMO_USERS:
            role = "admin" if is_admin else group.lower()
            self.stdout.write(f"  {username:<11} {role:<15} {full_name}")

    def _user(self, username, full_name, group, is_admin):
        first, last = full_name.split(" ", 1)
        user, created = get_user_model().objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "is_staff": is_admin,
                "is_superuser": is_admin,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        if group:
            user.groups.add(Group.objects.get_or_create(name=group)[0])
        return user

    def _reference_inspection(self) -> Inspection:
        existing = Inspection.objects.filter(
            pdu__name="Blackburn with Darwen", fieldwork_start="2023-03-27"
        ).first()
        if existing:
            return existing
        return import_bundle(json.loads(REFERENCE_BUNDLE.read_text(encoding="utf-8")))
