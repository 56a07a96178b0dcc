from django import template

from inspection.choices import Rating

register = template.Library()


@register.filter
def rating_label(value: str | None) -> str:
    """'requires_improvement' -> 'Requires improvement'; empty for no rating."""
    return Rating(value).label if value else ""


RATING_TAGS = {
    "outstanding": "govuk-tag--green",
    "good": "govuk-tag--turquoise",
    "requires_improvement": "govuk-tag--yellow",
    "inadequate": "govuk-tag--red",
}


@register.filter
def rating_tag(value: str | None) -> str:
    return RATING_TAGS.get(value or "", "govuk-tag--grey")
