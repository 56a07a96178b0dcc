"""Demo data for a newcomer: the reference inspection, one in fieldwork, and one user per role.

Idempotent: running it again leaves existing data alone and prints the same log-ins.
"""

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cases.bundle.importer import import_bundle
from cases.changes import change_details
from inspection import lifecycle, team
from inspection.choices import InspectionStatus
from inspection.models import Inspection, ManagerScope, Region

REFERENCE_BUNDLE = Path(settings.BASE_DIR) / "inspection/demo/blackburn-with-darwen-2023.json"
REFERENCE_START = datetime.date(2023, 3, 27)
# The fieldwork demo: the reference sample moved to this week, part-way through data entry.
FIELDWORK_PDU = "Blackburn with Darwen (fieldwork demo)"
FIELDWORK_START = datetime.date(2026, 11, 23)
NOT_STARTED_CASES = 4
IN_PROGRESS_CASES = 5

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
    help = "Load the demo inspections and create demo users (development only)."

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
        bundle = json.loads(REFERENCE_BUNDLE.read_text(encoding="utf-8"))
        with transaction.atomic():
            users = {row[0]: self._user(*row) for row in DEMO_USERS}
            reference = self._inspection(bundle, REFERENCE_START, users, published=True)
            fieldwork = self._inspection(
                _moved_to_fieldwork(bundle), FIELDWORK_START, users, published=False
            )
            ManagerScope.objects.get_or_create(
                user=users["manager"], region=Region.objects.get(name="North West")
            )

        for inspection in (reference, fieldwork):
            status = inspection.get_status_display().lower()
            self.stdout.write(f"Inspection {inspection.pk} ({status}): {inspection}")
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

    def _inspection(self, bundle, start, users, *, published) -> Inspection:
        existing = Inspection.objects.filter(
            pdu__name=bundle["inspection"]["pdu"], fieldwork_start=start
        ).first()
        if existing:
            return existing
        # Through the services, so the demo's audit trail reads as a real one would.
        inspection = import_bundle(bundle, by=users["admin"])
        team.set_lead(inspection, users["lead"], users["admin"])
        team.set_team(
            inspection, [users["lead"], users["inspector1"], users["inspector2"]], users["admin"]
        )
        for index, case in enumerate(inspection.cases.order_by("ref")):
            inspector = users[f"inspector{index % 2 + 1}"]
            change_details(case, {"assigned_inspector": inspector}, users["lead"])
        # Through the lifecycle, as a lead would: its checks run and the results are stored.
        while published and inspection.status != InspectionStatus.PUBLISHED:
            lifecycle.move(inspection, lifecycle.FORWARD[inspection.status], users["lead"])
        return inspection


def _moved_to_fieldwork(bundle: dict) -> dict:
    """The reference sample as an inspection under way: dates moved, some answers still to give."""
    moved = json.loads(json.dumps(bundle))
    shift = FIELDWORK_START - REFERENCE_START

    def later(day: str) -> str:
        return (datetime.date.fromisoformat(day) + shift).isoformat()

    header = moved["inspection"]
    header.update(
        pdu=FIELDWORK_PDU,
        fieldwork_start=FIELDWORK_START.isoformat(),
        status=InspectionStatus.FIELDWORK,
        sample_windows=[[later(a), later(b)] for a, b in header["sample_windows"]],
    )
    for judgement in moved["domain1"].values():
        judgement["rating"] = None
    moved["recommendations"] = []
    moved.pop("report", None)  # the report is written after fieldwork
    for index, case in enumerate(moved["cases"]):
        case["start_date"] = later(case["start_date"])
        if index < NOT_STARTED_CASES:
            case["answers"], case["notes"] = {}, {}
        elif index < NOT_STARTED_CASES + IN_PROGRESS_CASES:
            # The later half of the case (in the bundle's order) still to do.
            codes = list(case["answers"])
            for code in codes[len(codes) // 2 :]:
                case["answers"].pop(code)
                case["notes"].pop(code, None)
    return moved
