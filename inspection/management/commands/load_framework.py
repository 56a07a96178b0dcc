"""manage.py load_framework FILE [--check]: load a framework file (README, "Framework files")."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inspection.framework import files, loader
from inspection.input_rules import FRAMEWORK_FILE_MAX_BYTES


class Command(BaseCommand):
    help = (
        "Check a framework file completely and load it as a new framework version; on any "
        "problem, list every one and write nothing. --check only checks."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a framework file (JSON, format 2)")
        parser.add_argument(
            "--check", action="store_true", help="only check the file; write nothing"
        )

    def handle(self, *args, file: str, check: bool, **options):
        path = Path(file)
        try:
            with path.open("rb") as handle:
                raw = handle.read(FRAMEWORK_FILE_MAX_BYTES + 1)  # enough to refuse a larger file
        except OSError as error:
            raise CommandError(f"{file}: cannot be read ({error.strerror})") from None
        try:
            data = loader.parse(raw)
            if check:
                problems = loader.check(data)
                if problems:
                    raise loader.FrameworkFileError(problems)
            else:
                framework = files.load_file(data, by=None, file_name=path.name)
        except loader.FrameworkFileError as error:
            for problem in error.problems:
                self.stderr.write(f"{file}: {problem}")
            count = len(error.problems)
            raise CommandError(
                f"{file}: {count} problem{'s' if count != 1 else ''}; nothing was written"
            ) from None
        if check:
            self.stdout.write(
                f"{file}: no problems: {data['code']} version {data['version']} can be loaded "
                f"({files.describe(data)}); nothing was written (--check)"
            )
        else:
            self.stdout.write(
                f"Loaded {framework.code} version {framework.version}, {framework.name}: "
                f"{files.describe(data)}"
            )
