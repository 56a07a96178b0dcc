"""Template filters that ask inspection.access, so templates never decide access themselves."""

from django import template

from inspection import access

register = template.Library()


@register.filter
def leads(user, inspection) -> bool:
    return access.can_lead(user, inspection)


@register.filter
def sees_cases(user, inspection) -> bool:
    return access.can_see_cases(user, inspection)
