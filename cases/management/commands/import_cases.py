from django.core.management.base import BaseCommand, CommandError

from cases.sample_import import MAX_BYTES, SampleRefused, import_sample
from inspection.models import Inspection
from inspection.published import PublishedInspectionError


class Command(BaseCommand):
    help = "Add a case sample (CSV) to an inspection. One bad row refuses the whole file."

    def add_arguments(self, parser):
        parser.add_argument("inspection_id", type=int)
        parser.add_argument("file")

    def handle(self, *args, inspection_id, file, **options):
        inspection = Inspection.objects.filter(pk=inspection_id).first()
        if inspection is None:
            raise CommandError(f"no inspection with id {inspection_id}")
        try:
            with open(file, "rb") as handle:
                data = handle.read(MAX_BYTES + 1)  # enough to refuse a larger file
        except OSError as error:
            raise CommandError(f"{file}: cannot be read ({error.strerror})") from error
        try:
            cases = import_sample(inspection, data)
        except PublishedInspectionError as error:
            raise CommandError(str(error)) from error
        except SampleRefused as error:
            raise CommandError(
                f"{file} was refused; nothing was written. {len(error.problems)} problem(s):\n"
                + "\n".join(error.problems)
            ) from error
        self.stdout.write(f"Added {len(cases)} cases to inspection {inspection.pk}")
