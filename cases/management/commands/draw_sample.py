import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cases import sampling
from cases.caseload import ExtractRefused, read_extract
from cases.sample_draw import checksum, draw_sample, eligible, representativeness
from inspection.models import Inspection


class Command(BaseCommand):
    help = (
        "Draw an inspection's case sample from a caseload extract (CSV or XLSX): strata in "
        "proportion by largest remainder, simple random sampling within each, a reserve per "
        "stratum; the same extract and seed always give the same sample."
    )

    def add_arguments(self, parser):
        parser.add_argument("id", type=int)
        parser.add_argument("--extract", required=True, help="the caseload extract file")
        parser.add_argument("--size", type=int, help="cases to draw (default: the calculator's)")
        parser.add_argument("--seed", type=int, help="the random seed (default: a new one)")
        parser.add_argument(
            "--exclude", default="", help="references to leave out, separated by commas"
        )
        parser.add_argument("--confidence", type=float, default=0.95)
        parser.add_argument("--margin", type=float, default=0.1)
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(
        self, *args, id, extract, size, seed, exclude, confidence, margin, format, **options
    ):
        exclude = sorted({ref.strip() for ref in exclude.split(",")} - {""})
        inspection = Inspection.objects.with_place().filter(pk=id).first()
        if inspection is None:
            raise CommandError(f"no inspection with id {id}")
        path = Path(extract)
        if not path.is_file():
            raise CommandError(f"no such file: {extract}")
        try:
            with path.open("rb") as stream:
                rows = read_extract(stream, path.name)
        except ExtractRefused as refused:
            raise CommandError("the extract was refused:\n" + "\n".join(refused.problems)) from None
        if size is None:
            size = sampling.sample_size(
                len(eligible(inspection, rows, frozenset(exclude))),
                confidence=confidence,
                margin=margin,
            )
        seed = seed if seed is not None else sampling.new_seed()
        try:
            draw = draw_sample(
                inspection,
                rows,
                size=size,
                seed=seed,
                data_sha256=checksum(path.read_bytes()),
                by=None,
                exclude=exclude,
            )
        except ValidationError as refused:
            raise CommandError(" ".join(refused.messages)) from None
        result = summary(draw)
        if format == "json":
            self.stdout.write(json.dumps(result, indent=2))
        else:
            self.stdout.write(text(result))


def summary(draw) -> dict:
    strata = {}
    for row in draw.drawn.order_by("stratum", "rank"):
        part = strata.setdefault(row.stratum, {"sample": [], "reserve": []})
        part["sample" if row.in_sample else "reserve"].append(row.ref)
    return {
        "inspection": draw.inspection_id,
        "seed": draw.seed,
        "size": draw.size,
        "algorithm": draw.algorithm,
        "extract_rows": draw.extract_rows,
        "eligible_rows": draw.eligible_rows,
        "extract_sha256": draw.extract_sha256,
        "allocation": draw.allocation,
        "excluded": draw.excluded,
        "strata": strata,
        "representativeness": [
            {
                "attribute": fit.attribute,
                "chi_square": fit.chi_square,
                "degrees_of_freedom": fit.degrees,
                "p_value": round(fit.p_value, 4),
                "flagged": fit.flagged,
                "values": [
                    {
                        "value": s.value,
                        "extract_percent": s.extract_percent,
                        "sample_percent": s.sample_percent,
                        "flagged": s.flagged,
                    }
                    for s in fit.shares
                ],
            }
            for fit in representativeness(draw)
        ],
    }


def text(result: dict) -> str:
    lines = [
        f"Drew {result['size']} cases from {result['eligible_rows']:,} eligible rows "
        f"({result['extract_rows']:,} in the extract), seed {result['seed']}.",
        f"Algorithm: {result['algorithm']}.",
    ]
    for stratum, part in result["strata"].items():
        quota = result["allocation"][stratum]
        lines.append(
            f"{stratum}: {quota['quota']} of {quota['size']:,}: {', '.join(part['sample'])}; "
            f"reserve in order: {', '.join(part['reserve'])}"
        )
    for fit in result["representativeness"]:
        mark = " (differs)" if fit["flagged"] else ""
        lines.append(f"{fit['attribute']}: chi-square p = {fit['p_value']}{mark}")
    return "\n".join(lines)
