from django.core.management.base import BaseCommand, CommandError

from inspection.national_dataset import NationalDatasetError, NationalParams, generate

DEFAULTS = NationalParams()


class Command(BaseCommand):
    help = (
        "Generate a synthetic national dataset (regions, PDUs, inspections, fully answered "
        "cases) for performance work, reproducibly from a seed. PostgreSQL only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEFAULTS.seed)
        parser.add_argument("--regions", type=int, default=DEFAULTS.regions)
        parser.add_argument("--pdus", type=int, default=DEFAULTS.pdus)
        parser.add_argument("--inspections-per-pdu", type=int, default=DEFAULTS.inspections_per_pdu)
        parser.add_argument("--min-cases", type=int, default=DEFAULTS.min_cases)
        parser.add_argument("--max-cases", type=int, default=DEFAULTS.max_cases)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="delete national data already in the database (with its history) first",
        )
        parser.add_argument(
            "--method",
            choices=["copy", "bulk_create"],
            default="copy",
            help="how answers are inserted: PostgreSQL COPY (default) or bulk_create",
        )

    def handle(self, *args, **options):
        params = NationalParams(
            seed=options["seed"],
            regions=options["regions"],
            pdus=options["pdus"],
            inspections_per_pdu=options["inspections_per_pdu"],
            min_cases=options["min_cases"],
            max_cases=options["max_cases"],
        )
        try:
            result = generate(
                params,
                replace=options["replace"],
                method=options["method"],
                log=lambda message: self.stdout.write(message),
            )
        except NationalDatasetError as error:
            raise CommandError(str(error)) from error
        for label, count in result.counts.items():
            self.stdout.write(f"{label.replace('_', ' '):<20} {count:>10,}")
        phases = ", ".join(f"{name} {seconds:.1f}s" for name, seconds in result.phases.items())
        self.stdout.write(f"Done in {result.seconds:.1f}s ({phases})")
