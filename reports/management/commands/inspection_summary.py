import json

from django.core.management.base import BaseCommand, CommandError

from inspection.choices import Rating
from inspection.models import Inspection
from reports.publication import report_for
from reports.report_model import Report


class Command(BaseCommand):
    help = "Print an inspection's ratings, score and counts (readable text, or JSON)."

    def add_arguments(self, parser):
        parser.add_argument("id", type=int)
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, id, format, **options):
        inspection = Inspection.objects.with_place().filter(pk=id).first()
        if inspection is None:
            raise CommandError(f"no inspection with id {id}")
        report = report_for(inspection)
        if format == "json":
            self.stdout.write(json.dumps(report.as_summary_dict(), indent=2))
        else:
            self.stdout.write(render_text(report))


def _rating(value: str | None) -> str:
    return Rating(value).label if value else "not yet rated"


def _count(result) -> str:
    if not result.count.relevant:
        return "no relevant cases"
    return f"{result.count.yes}/{result.count.relevant} ({result.percent}%)"


def render_text(summary: Report) -> str:
    facts = summary.facts
    lines = [
        facts.place_in_full,
        f"Fieldwork from {facts.fieldwork_start:%d %B %Y}, status {facts.status}",
        "",
    ]
    for standard in summary.standards:
        spec = standard.standard
        if spec.rated:
            label = _rating(standard.rating)
            if summary.has_score and not spec.scored:
                label += " (not scored)"
        else:
            label = "judgement in words" if spec.judged else "not rated"
        lines.append(f"{standard.code:<5} {standard.standard.name:<32} {label}")
        for kq in standard.key_questions:
            marker = "  <- lowest" if kq.is_lowest and standard.standard.rated else ""
            lines.append(f"      {kq.code:<8} {_count(kq)}{marker}")
    score = "not yet available" if summary.score is None else summary.score
    lines.append("")
    if summary.has_score:
        lines.append(f"Score: {score} out of {summary.max_score}")
    if summary.shows_overall_rating:
        lines.append(f"Overall rating: {_rating(summary.overall_rating)}")
    if not summary.has_score:
        lines.append("No score: the framework rates nothing that is scored.")
    for section in summary.organisation:
        if section.judgement:
            lines += [
                "",
                f"{section.standard.code} {section.standard.name}: judgement",
                section.judgement,
            ]
    for breach in summary.breaches:
        lines.append(f"Limiting rule broken: {breach}")
    lines += ["", "Prompts and items (yes / relevant):"]
    for item in summary.items:
        lines.append(f"  {item.code:<9} {_count(item)}")
    return "\n".join(lines)
