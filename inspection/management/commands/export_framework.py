"""manage.py export_framework CODE VERSION [--output FILE]: a framework version as a framework
file (README, "Framework files"), which load_framework reads back."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inspection.framework.export import framework_file_text
from inspection.models import Framework


class Command(BaseCommand):
    help = "Write a framework version as a framework file (JSON, format 2)."

    def add_arguments(self, parser):
        parser.add_argument("code", help="the framework's code, e.g. hmip-pdu-2023")
        parser.add_argument("version", type=int, help="its version number, e.g. 1")
        parser.add_argument("--output", help="write to this file instead of standard output")

    def handle(self, *args, code: str, version: int, output: str | None, **options):
        framework = Framework.objects.filter(code=code, version=version).first()
        if framework is None:
            versions = list(Framework.objects.filter(code=code).values_list("version", flat=True))
            known = (
                f"its versions are {', '.join(map(str, versions))}"
                if versions
                else "the frameworks are "
                + ", ".join(sorted(set(Framework.objects.values_list("code", flat=True))))
            )
            raise CommandError(f"There is no framework {code} version {version}: {known}")
        text = framework_file_text(framework)
        if output is None:
            self.stdout.write(text, ending="")
            return
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"{output}: cannot be written ({error.strerror})") from None
        self.stdout.write(f"Wrote {code} version {version} to {output}")
