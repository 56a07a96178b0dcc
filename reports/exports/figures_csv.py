"""The report's figures as CSV: every rating, count and breakdown cell the report states.

Renders the one results model; a breakdown cell the report hides is hidden here too. The score
has its own columns (score, max_score), so no reader takes it for a count of yes out of relevant.
"""

from collections.abc import Iterator

from inspection import csv_safe

from ..report_model import Report

HEADER = (
    "section",
    "code",
    "group",
    "rating",
    "yes",
    "relevant",
    "percent",
    "score",
    "max_score",
    "note",
)


def _row(
    section: str,
    code="",
    *,
    group="",
    rating="",
    yes=None,
    relevant=None,
    percent=None,
    score=None,
    max_score=None,
    note="",
) -> tuple:
    """One line, its cells in HEADER's order; a figure not given is empty."""
    return (section, code, group, rating, yes, relevant, percent, score, max_score, note)


def figure_rows(report: Report) -> Iterator[tuple]:
    if report.has_score:  # a framework that scores nothing has no score row (not "out of 0")
        yield _row(
            "score",
            rating=report.overall_rating or "",
            score=report.score,
            max_score=report.max_score,
        )
    for standard in report.standards:
        yield _row("standard", standard.code, rating=standard.rating or "")
        for kq in standard.key_questions:
            count = kq.count
            yield _row(
                "key question", kq.code, yes=count.yes, relevant=count.relevant, percent=kq.percent
            )
    for item in report.items:
        count = item.count
        yield _row(
            "finding", item.code, yes=count.yes, relevant=count.relevant, percent=item.percent
        )
    for recommendation in report.numbered_recommendations:
        yield _row(
            "recommendation",
            recommendation.number,
            group=recommendation.addressee,
            note=recommendation.text,
        )
    for breakdown in report.breakdowns:
        section = f"by {breakdown.attribute.name}"
        for row in breakdown.rows:
            for label, cell in zip(breakdown.group_labels, row.cells, strict=True):
                if cell.suppressed:
                    yield _row(section, row.question.code, group=label, note=cell.hidden_label)
                else:
                    yield _row(
                        section,
                        row.question.code,
                        group=label,
                        yes=cell.count.yes,
                        relevant=cell.count.relevant,
                        percent=cell.count.percent,
                    )


def figures_csv_lines(report: Report) -> Iterator[str]:
    return csv_safe.csv_lines(HEADER, figure_rows(report))
