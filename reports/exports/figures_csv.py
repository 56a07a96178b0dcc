"""The report's figures as CSV: every rating, count and breakdown cell the report states.

Renders the one results model; a breakdown cell the report hides is hidden here too.
"""

from collections.abc import Iterator

from inspection import csv_safe

from ..report_model import Report

HEADER = ("section", "code", "group", "rating", "yes", "relevant", "percent", "note")


def figure_rows(report: Report) -> Iterator[tuple]:
    if report.has_score:  # a framework that scores nothing has no score row (not "out of 0")
        overall = report.overall_rating or ""
        yield ("score", "", "", overall, report.score, report.max_score, "", "")
    for standard in report.standards:
        yield ("standard", standard.code, "", standard.rating or "", "", "", "", "")
        for kq in standard.key_questions:
            count = kq.count
            yield ("key question", kq.code, "", "", count.yes, count.relevant, kq.percent, "")
    for item in report.items:
        count = item.count
        yield ("finding", item.code, "", "", count.yes, count.relevant, item.percent, "")
    for recommendation in report.numbered_recommendations:
        yield (
            "recommendation",
            recommendation.number,
            recommendation.addressee,
            "",
            "",
            "",
            "",
            recommendation.text,
        )
    for breakdown in report.breakdowns:
        for row in breakdown.rows:
            for label, cell in zip(breakdown.group_labels, row.cells, strict=True):
                section = f"by {breakdown.attribute.name}"
                if cell.suppressed:
                    yield (section, row.question.code, label, "", "", "", "", cell.hidden_label)
                else:
                    count = cell.count
                    yield (
                        section,
                        row.question.code,
                        label,
                        "",
                        count.yes,
                        count.relevant,
                        count.percent,
                        "",
                    )


def figures_csv_lines(report: Report) -> Iterator[str]:
    return csv_safe.csv_lines(HEADER, figure_rows(report))
