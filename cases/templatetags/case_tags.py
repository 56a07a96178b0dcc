from django import template

from cases.choices import CaseStatus
from inspection.audit import name_of

register = template.Library()

STATUS_TAGS = {
    CaseStatus.NOT_STARTED: "govuk-tag--grey",
    CaseStatus.IN_PROGRESS: "govuk-tag--light-blue",
    CaseStatus.COMPLETE: "govuk-tag--green",
    CaseStatus.RETURNED: "govuk-tag--orange",
    CaseStatus.SIGNED_OFF: "govuk-tag--purple",
}
SECTION_STATUSES = {
    "not_started": ("Not started", "govuk-tag--grey"),
    "in_progress": ("In progress", "govuk-tag--light-blue"),
    "completed": ("Completed", ""),
    "does_not_apply": ("Does not apply", "govuk-tag--grey"),
}


@register.filter
def status_tag(status: str) -> str:
    return STATUS_TAGS.get(status, "govuk-tag--grey")


@register.filter
def section_status_label(status: str) -> str:
    return SECTION_STATUSES[status][0]


@register.filter
def section_status_tag(status: str) -> str:
    return SECTION_STATUSES[status][1]


@register.filter
def answer_label(value: str) -> str:
    return {"yes": "Yes", "no": "No", "na": "Not applicable"}.get(value, "Not answered")


@register.filter
def coefficient(value) -> str:
    """An agreement coefficient (cases.agreement.Coefficient) with its 95% interval, as read."""
    if value is None or value.value is None:
        return "not defined"
    if value.low is None:
        return f"{value.value:.2f}"
    return f"{value.value:.2f} ({value.low:.2f} to {value.high:.2f})"


@register.filter
def person(user, missing: str = "not recorded") -> str:
    """A user as named on a page: full name, else username; `missing` where there is none (a
    marking carried in a bundle names nobody on this system)."""
    return missing if user is None else name_of(user)
