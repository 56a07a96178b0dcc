"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

No browser is downloaded. Without /usr/bin/chromium these tests skip, unless REQUIRE_BROWSER is set
(CI sets it), when they fail instead.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice

from inspection.access import must_use_second_factor
from tests.second_factor_helpers import give_second_factor, unused_code_for

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts"
PASSWORD = "browser-test-password"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            # With pytest-xdist's --dist loadgroup (make test) a module's tests run on one worker
            # (its Chromium warm), and the modules spread over the workers: together they take
            # ~40% of the suite's time, too much for one worker while the other idles.
            item.add_marker(pytest.mark.xdist_group(f"browser-{item.module.__name__}"))


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing and REQUIRE_BROWSER is set")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(chromium, live_server):
    """Open a fresh browser context (its own cookies) at the live server; closed afterwards.
    Options go to the context: `new_page(java_script_enabled=False)`."""
    contexts = []

    def open_page(**options):
        context = chromium.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def log_in(page, username: str, password: str = PASSWORD):
    """Sign in; a lead or admin is given a test authenticator app first (they must have one)
    and enters its code, as they would type it from the app."""
    device = _second_factor_for(username)
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if device is not None and urlsplit(page.url).path == "/login/code/":
        page.get_by_label("Code", exact=True).fill(unused_code_for(device))
        page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state()


def _second_factor_for(username: str):
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        return None
    if must_use_second_factor(user):
        return give_second_factor(user)
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def assert_accessible(page, name: str = "page"):
    """axe-core (WCAG 2.2 A and AA rules) reports no violations on the current page."""
    from axe_playwright_python.sync_playwright import Axe

    # A click on a link returns once the next page's navigation commits, before its document is
    # parsed: axe run then sees an empty <html> (CI once failed "no main landmark" that way).
    page.wait_for_load_state("load")
    results = Axe().run(
        page,
        options={
            "runOnly": {
                "type": "tag",
                "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
            },
            # Only violations are reported: axe skips collecting every passing node (its docs'
            # advice for speed), the same rules run.
            "resultTypes": ["violations"],
        },
    )
    violations = results.response["violations"]
    if violations:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    assert not violations, "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']]}"
        for v in violations
    )
