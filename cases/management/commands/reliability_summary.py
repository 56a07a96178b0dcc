import json

from django.core.management.base import BaseCommand, CommandError

from cases.double_marking import reliability_summary
from inspection.models import Inspection


class Command(BaseCommand):
    help = (
        "An inspection's blind double marking: the reliability sample, where each marking is, "
        "and agreement per key question and over all (pairs, observed agreement, Cohen's kappa "
        "and Gwet's AC1 with 95% intervals, weak questions flagged)."
    )

    def add_arguments(self, parser):
        parser.add_argument("id", type=int)
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, id, format, **options):
        inspection = Inspection.objects.with_place().filter(pk=id).first()
        if inspection is None:
            raise CommandError(f"no inspection with id {id}")
        summary = reliability_summary(inspection)
        if format == "json":
            self.stdout.write(json.dumps(summary, indent=2))
            return
        if summary["sample"] is None:
            self.stdout.write(f"{inspection}: no cases double marked")
            return
        sample = summary["sample"]
        self.stdout.write(
            f"{inspection}: {sample['cases']} cases double marked "
            f"({sample['share_percent']}%, seed {sample['seed']})"
        )
        done = sum(m["both_done"] for m in summary["markings"])
        self.stdout.write(f"Both markers done: {done} of {sample['cases']}")
        for row in summary["agreement"]:
            ac1 = row["ac1"]
            shown = "not defined" if ac1 is None or ac1["value"] is None else f"{ac1['value']:.2f}"
            self.stdout.write(
                f"  {row['key_question']:<8} pairs {row['pairs']:>3}  agreeing "
                f"{row['observed']:.0%}  AC1 {shown}{'  WEAK' if row['weak'] else ''}"
            )
