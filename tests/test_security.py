"""Security settings that a person can observe: throttled log-in, CSP, session keep-alive."""

import pytest
from django.conf import settings

from tests.factories import UserFactory


@pytest.mark.django_db
def test_login_is_locked_after_repeated_failures(client):
    UserFactory(username="ines", password="correct-horse-battery")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post("/login/", {"username": "ines", "password": "wrong"})
        assert response.status_code == 200
        assert "Please enter a correct username and password" in response.content.decode()
    locked = client.post("/login/", {"username": "ines", "password": "wrong"})
    assert locked.status_code == 429
    # Even the right password is refused during the cool-off.
    locked = client.post("/login/", {"username": "ines", "password": "correct-horse-battery"})
    assert locked.status_code == 429
    assert "Sign-in is locked for now" in locked.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get("/login/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert "<script>" not in response.content.decode()  # no inline script for the CSP to block


@pytest.mark.django_db
def test_keep_alive_renews_a_session_and_reports_a_lost_one(client):
    assert client.post("/session/keep-alive/").status_code == 401
    client.force_login(UserFactory())
    response = client.post("/session/keep-alive/")
    assert response.status_code == 200
    assert response.json()["expires_in"] == settings.SESSION_COOKIE_AGE


@pytest.mark.django_db
def test_signed_in_pages_carry_the_timeout_warning(client):
    client.force_login(UserFactory())
    page = client.get("/").content.decode()
    assert f'data-session-seconds="{settings.SESSION_COOKIE_AGE}"' in page
    assert 'id="session-timeout"' in page


def test_password_validators_are_on():
    names = {v["NAME"].rsplit(".", 1)[-1] for v in settings.AUTH_PASSWORD_VALIDATORS}
    assert names == {
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    }
