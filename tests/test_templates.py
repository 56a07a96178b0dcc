"""Django's {# #} comments end at the line's end: one spanning lines is printed on the page."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_no_template_comment_spans_lines():
    spanning = [
        f"{path.relative_to(TEMPLATES)}:{text[: match.start()].count(chr(10)) + 1}"
        for path in TEMPLATES.rglob("*.html")
        for text in [path.read_text(encoding="utf-8")]
        for match in re.finditer(r"\{#[^\n]*?(\n|$)", text)
        if "#}" not in match.group(0)
    ]
    assert spanning == []


def test_an_error_page_shows_no_template_source(client, admin_user, reference_inspection):
    client.force_login(admin_user)
    page = client.get(f"/inspections/{reference_inspection.pk}/cases/?inspector=%C2%B2")
    assert page.status_code == 400
    assert "{#" not in page.content.decode() and "{%" not in page.content.decode()
