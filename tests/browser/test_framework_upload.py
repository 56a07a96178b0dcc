"""Admin's framework upload in Chromium: a bad file shows its problems and no Load button; a good
one shows a preview (axe-core finds nothing on either page) and loads when confirmed."""

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from inspection.framework.export import export_framework
from inspection.models import Framework, Question
from tests.browser.conftest import PASSWORD, assert_accessible, log_in

pytestmark = pytest.mark.django_db(transaction=True)

FRAMEWORKS = Path(__file__).resolve().parent.parent.parent / "inspection/frameworks"


def test_upload_preview_and_load(page, admin_user, tmp_path):
    admin_user.set_password(PASSWORD)
    admin_user.save()
    data = json.loads((FRAMEWORKS / "hmip-pdu-2023.json").read_text("utf-8"))
    data["version"] = 2
    good = tmp_path / "pdu-2023-v2.json"
    good.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    bad = tmp_path / "broken.json"
    bad.write_text(
        json.dumps({**data, "format": 1, "domains": data["domains"][:1] + [{"code": "2"}]}),
        encoding="utf-8",
    )
    questions = Question.objects.count()

    # Django admin takes the app's sign-in, second factor included.
    log_in(page, "admin")
    page.goto("/admin/inspection/framework/")
    page.get_by_role("link", name="Upload a framework file").click()
    assert_accessible(page, "admin-framework-upload")

    page.get_by_label("Framework file (JSON, format 2)").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator(".errornote")).to_contain_text("broken.json cannot be loaded")
    problems = page.locator("#problems li")
    expect(problems.first).to_have_text("format: must be 2 (docs/framework-format.md)")
    expect(problems.filter(has_text="domains[1]: 'name' is missing")).to_have_count(1)
    expect(page.get_by_role("button", name="Load")).to_have_count(0)
    assert_accessible(page, "admin-framework-problems")

    page.get_by_label("Framework file (JSON, format 2)").set_input_files(str(good))
    page.get_by_role("button", name="Check the file").click()
    expect(
        page.get_by_role("heading", name="What would be loaded from pdu-2023-v2.json")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Standard 2.1: Assessment")).to_be_visible()
    provisional = sum(
        1 for node in _nodes(data) if isinstance(node, dict) and node.get("provisional") is True
    )
    expect(page.locator(".provisional-tag")).to_have_count(provisional)
    assert Framework.objects.filter(code="hmip-pdu-2023").count() == 1  # nothing loaded yet
    assert Question.objects.count() == questions
    assert_accessible(page, "admin-framework-preview")

    page.get_by_role("button", name="Load hmip-pdu-2023 version 2").click()
    expect(page.locator(".messagelist")).to_contain_text(
        "Loaded hmip-pdu-2023 version 2 from pdu-2023-v2.json: 2 domains, 7 standards"
    )
    loaded = Framework.objects.get(code="hmip-pdu-2023", version=2)
    assert export_framework(loaded) == data


def _nodes(data):
    yield data
    for value in (
        data.values() if isinstance(data, dict) else data if isinstance(data, list) else []
    ):
        yield from _nodes(value)
