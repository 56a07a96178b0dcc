"""Generate a synthetic national dataset for performance work, reproducibly from a seed.

    DEBUG=true .venv/bin/python benchmarks/generate_national_dataset.py --seed 42

PostgreSQL only. It lives beside the benchmarks, not in an app: nothing in the service needs it.
"""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse(argv: list[str] | None):
    from benchmarks.national_dataset import NationalParams

    defaults = NationalParams()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--regions", type=int, default=defaults.regions)
    parser.add_argument("--pdus", type=int, default=defaults.pdus)
    parser.add_argument("--inspections-per-pdu", type=int, default=defaults.inspections_per_pdu)
    parser.add_argument("--min-cases", type=int, default=defaults.min_cases)
    parser.add_argument("--max-cases", type=int, default=defaults.max_cases)
    parser.add_argument(
        "--replace",
        action="store_true",
        help="delete national data already in the database first",
    )
    parser.add_argument(
        "--method",
        choices=["copy", "bulk_create"],
        default="copy",
        help="how answers are inserted: PostgreSQL COPY (default) or bulk_create",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None, out=sys.stdout) -> None:
    """Generate and print what was made; SystemExit with the reason when it cannot."""
    from benchmarks.national_dataset import NationalDatasetError, NationalParams, generate

    options = parse(argv)
    params = NationalParams(
        seed=options.seed,
        regions=options.regions,
        pdus=options.pdus,
        inspections_per_pdu=options.inspections_per_pdu,
        min_cases=options.min_cases,
        max_cases=options.max_cases,
    )
    try:
        result = generate(
            params,
            replace=options.replace,
            method=options.method,
            log=lambda message: print(message, file=out),
        )
    except NationalDatasetError as error:
        raise SystemExit(f"Error: {error}") from error
    for label, count in result.counts.items():
        print(f"{label.replace('_', ' '):<20} {count:>10,}", file=out)
    phases = ", ".join(f"{name} {seconds:.1f}s" for name, seconds in result.phases.items())
    print(f"Done in {result.seconds:.1f}s ({phases})", file=out)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inspection.settings")
    import django

    django.setup()
    main()
