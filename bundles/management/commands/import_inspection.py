from django.core.management.base import BaseCommand, CommandError

from bundles.importer import import_bundle
from bundles.reading import MAX_BYTES
from bundles.validation import BundleError


class Command(BaseCommand):
    help = "Load an inspection bundle (JSON) as a new inspection and print its id."

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to an inspection-bundle/1 JSON file")

    def handle(self, *args, file, **options):
        try:
            with open(file, "rb") as handle:
                # One byte past the limit is enough to refuse it; a huge file is never all read.
                raw = handle.read(MAX_BYTES + 1)
        except OSError as error:
            raise CommandError(f"{file}: cannot be read ({error.strerror})") from error
        try:
            inspection = import_bundle(raw)
        except BundleError as error:
            raise CommandError(
                f"{file} was refused; nothing was written. "
                f"{len(error.problems)} problem(s):\n" + "\n".join(error.problems)
            ) from error
        self.stdout.write(str(inspection.pk))
