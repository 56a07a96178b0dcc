"""A control character in a URL's free-text part (`/report/questions/%00/`) answers 404: the
`text` converter (inspection/url_converters.py) refuses it before any view runs, where a NUL
once reached PostgreSQL and answered 500."""

import pytest
from django.test import Client
from django.urls import get_resolver, reverse
from django.urls.converters import IntConverter, SlugConverter

from inspection.models import ReportSubsection
from inspection.url_converters import TextConverter
from tests.case_helpers import team_member
from tests.url_helpers import walk

# A placeholder the `text` converter takes, swapped for each hostile value in the built URL.
PLACEHOLDER = "PLACEHOLDER"
# NUL (PostgreSQL refuses it in a query), BEL, ESC, a line feed, DEL and C1's NEL; alone, and
# after a real code.
HOSTILE = ["%00", "2.1%00", "%07", "%1B", "%0A", "%7F", "%C2%85"]
# Each URL with a free-text part, and a value of each such part that names something.
FREE_TEXT = {
    "reports:drilldown": {"code": "2.1.1"},
    "reports:domain1_edit": {"code": "1.1"},
    "reports:write_standard": {"code": "1.1"},
    "reports:write_rating": {"code": "2.2"},
    "reports:write_part": {"part": "foreword"},
    "reports:write_item_add": {"list": "strengths"},
    "cases:section": {"section_code": "2.1"},
    "cases:autosave": {"section_code": "2.1"},
}
POSTED = {"cases:autosave"}


def app_urls():
    return [
        (name, pattern)
        for name, pattern, _ in walk(get_resolver().url_patterns)
        if not name.startswith("admin:")
    ]


def test_every_free_text_part_of_a_url_refuses_control_characters():
    """No URL of the app takes `str` (any character): a part is a number, a slug or `text`."""
    free_text = set()
    for name, pattern in app_urls():
        for part, converter in pattern.pattern.converters.items():
            assert isinstance(converter, IntConverter | SlugConverter | TextConverter), (
                name,
                part,
                converter,
            )
            if isinstance(converter, TextConverter):
                free_text.add(name)
    assert free_text == set(FREE_TEXT)


@pytest.fixture
def lead_client(reference_inspection):
    lead = team_member(reference_inspection, "lead", "Lee", "Lead")
    reference_inspection.lead_inspector = lead
    reference_inspection.save()
    client = Client(raise_request_exception=False)
    client.force_login(lead)
    return client


def url(name: str, inspection, **parts) -> str:
    case = inspection.cases.get(ref="BWD-01")
    subsection = ReportSubsection.objects.filter(
        inspection=inspection, standard__isnull=False
    ).first()
    candidates = {"inspection_id": inspection.pk, "case_id": case.pk, "pk": subsection.pk}
    pattern = dict(app_urls())[name]
    kwargs = {key: candidates[key] for key in pattern.pattern.converters if key in candidates}
    return reverse(name, kwargs={**kwargs, **parts})


@pytest.mark.django_db
@pytest.mark.parametrize("name", FREE_TEXT)
def test_a_control_character_in_a_free_text_part_answers_404(
    lead_client, reference_inspection, name
):
    fetch = lead_client.post if name in POSTED else lead_client.get
    (part, good), *_ = FREE_TEXT[name].items()
    # The URL with a real value works, so a 404 below is the converter's.
    assert fetch(url(name, reference_inspection, **{part: good})).status_code in (200, 400)
    template = url(name, reference_inspection, **{part: PLACEHOLDER})
    for value in HOSTILE:
        response = fetch(template.replace(PLACEHOLDER, value))
        assert response.status_code == 404, (name, value, response.status_code)


@pytest.mark.django_db
def test_a_nul_in_an_admin_url_is_not_an_error(admin_user):
    """Django admin's object URLs take any text: a NUL finds no object and goes back."""
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    for path in (
        "/admin/inspection/framework/%00/change/",
        "/admin/inspection/question/%00/history/",
        "/admin/auth/user/%00/change/",
        "/admin/%00/",
    ):
        assert client.get(path).status_code in (302, 404), path
