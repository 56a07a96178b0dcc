from django.core.management.base import BaseCommand, CommandError

from inspection.choices import InspectionStatus
from inspection.models import Inspection
from reports import publication
from reports.publication import differences


class Command(BaseCommand):
    help = (
        "Recompute every published inspection and compare it with what was stored at "
        "publication; exits non-zero on any difference."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--store-missing",
            action="store_true",
            help="first store a record for each published inspection that has none (published "
            "before records were kept)",
        )

    def handle(self, *args, store_missing=False, **options):
        if store_missing:
            for inspection in publication.store_missing():
                self.stdout.write(f"Inspection {inspection.pk} ({inspection}): record stored")
        failed = 0
        published = Inspection.objects.with_place().filter(status=InspectionStatus.PUBLISHED)
        for inspection in published.order_by("pk"):
            problems = differences(inspection)
            if problems:
                failed += 1
                self.stdout.write(f"Inspection {inspection.pk} ({inspection}): DIFFERS")
                for problem in problems:
                    self.stdout.write(f"  {problem}")
            else:
                self.stdout.write(f"Inspection {inspection.pk} ({inspection}): as published")
        if failed:
            raise CommandError(f"{failed} published inspection(s) differ from their record")
        self.stdout.write(f"All {published.count()} published inspections are as published.")
