"""Errors in the shape the error-summary include takes: (href, message) pairs."""

from collections.abc import Mapping

from django import template

register = template.Library()


@register.filter
def error_links(errors, target: str = "") -> list[tuple[str, str]]:
    """From {field id: message}, each linking to its field; from a message or a list of them,
    all linking to `target`."""
    if not errors:
        return []
    if isinstance(errors, Mapping):
        return [(f"#{field}", message) for field, message in errors.items()]
    if isinstance(errors, str):
        errors = [errors]
    return [(target, message) for message in errors]
