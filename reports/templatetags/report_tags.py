"""Small display helpers for the report and dashboard pages."""

from django import template

from inspection.framework.rating_engine import Count
from reports.statistics import wilson_interval

register = template.Library()


@register.filter
def code_id(code: str) -> str:
    """'2.2.3.d' -> 'q-2-2-3-d', usable as an HTML id and URL fragment."""
    return "q-" + code.replace(".", "-").lower()


@register.filter
def standard_id(code: str) -> str:
    """'2.2' -> 'standard-2-2'."""
    return "standard-" + code.replace(".", "-").lower()


@register.filter
def percent_text(count: Count | None) -> str:
    if count is None or not count.relevant:
        return "No relevant cases"
    return f"{count.percent}%"


@register.filter
def interval_text(count: Count | None) -> str:
    interval = wilson_interval(count.yes, count.relevant) if count else None
    return str(interval) if interval else "Not available"
