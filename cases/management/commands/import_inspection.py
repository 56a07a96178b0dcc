import json

from django.core.management.base import BaseCommand, CommandError

from cases.bundle.importer import import_bundle
from cases.bundle.validation import BundleError


class Command(BaseCommand):
    help = "Load an inspection bundle (JSON) as a new inspection and print its id."

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to an inspection-bundle/1 JSON file")

    def handle(self, *args, file, **options):
        try:
            with open(file, encoding="utf-8") as handle:
                data = json.load(handle)
        except OSError as error:
            raise CommandError(f"{file}: cannot be read ({error.strerror})") from error
        except json.JSONDecodeError as error:
            raise CommandError(f"{file}: not valid JSON ({error})") from error
        try:
            inspection = import_bundle(data)
        except BundleError as error:
            raise CommandError(
                f"{file} was refused; nothing was written. "
                f"{len(error.problems)} problem(s):\n" + "\n".join(error.problems)
            ) from error
        self.stdout.write(str(inspection.pk))
