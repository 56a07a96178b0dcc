import json

from django.core.management.base import BaseCommand, CommandError

from bundles.exporter import export_bundle
from inspection.models import Inspection


class Command(BaseCommand):
    help = "Write an inspection as a bundle (JSON) to standard output."

    def add_arguments(self, parser):
        parser.add_argument("id", type=int)

    def handle(self, *args, id, **options):
        inspection = Inspection.objects.filter(pk=id).first()
        if inspection is None:
            raise CommandError(f"no inspection with id {id}")
        if inspection.is_of_region:
            # The bundle format names a PDU: it has no way to say an inspection is of a region.
            raise CommandError(
                f"inspection {id} is of a region; the bundle format holds PDU inspections only"
            )
        self.stdout.write(json.dumps(export_bundle(inspection), indent=2, ensure_ascii=False))
