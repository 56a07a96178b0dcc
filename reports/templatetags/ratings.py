from django import template

from inspection.choices import Rating

register = template.Library()


@register.filter
def rating_label(value: str | None) -> str:
    """'requires_improvement' -> 'Requires improvement'; empty for no rating."""
    return Rating(value).label if value else ""
