from django.core.management.base import BaseCommand, CommandError

from inspection.choices import InspectionStatus
from inspection.models import Inspection
from reports import publication


class Command(BaseCommand):
    help = (
        "Check every published inspection against its stored records: recompute the newest "
        "record's results and case digests from the live rows, check each record's checksum "
        "and the chain between them, and name any record the audit trail knows of that is "
        "missing; exits non-zero on any difference."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--store-missing",
            action="store_true",
            help="first store a record for each published inspection that has none because it "
            "was published before records were kept (refused for one that ever had a record)",
        )

    def handle(self, *args, store_missing=False, **options):
        refused = []
        if store_missing:
            stored, refused = publication.store_missing()
            for inspection in stored:
                self.stdout.write(f"Inspection {inspection.pk} ({inspection}): record stored")
            for inspection, why in refused:
                self.stdout.write(f"Inspection {inspection.pk} ({inspection}): {why}")
        failed = 0
        published = Inspection.objects.with_place().filter(status=InspectionStatus.PUBLISHED)
        for inspection in published.order_by("pk"):
            found = publication.examine(inspection)
            if found.problems:
                failed += 1
                self.stdout.write(f"Inspection {inspection.pk} ({inspection}): DIFFERS")
            else:
                self.stdout.write(f"Inspection {inspection.pk} ({inspection}): as published")
            for problem in found.problems:
                self.stdout.write(f"  {problem}")
            for note in found.notes:
                self.stdout.write(f"  note: {note}")
        if failed or refused:
            raise CommandError(
                f"{failed} published inspection(s) differ from their record"
                + (f"; {len(refused)} record(s) not stored" if refused else "")
            )
        self.stdout.write(f"All {published.count()} published inspections are as published.")
