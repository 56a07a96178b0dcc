"""The deployment files are valid (no Docker engine runs here, so they are checked, not run)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(not shutil.which("docker-compose"), reason="Debian's docker-compose missing")
def test_docker_compose_file_is_valid():
    env = {**os.environ, "POSTGRES_PASSWORD": "example", "SECRET_KEY": "example"}
    result = subprocess.run(
        ["docker-compose", "config", "-q"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_docker_compose_refuses_to_run_without_secrets():
    text = (ROOT / "docker-compose.yml").read_text()
    assert "${SECRET_KEY:?" in text and "${POSTGRES_PASSWORD:?" in text


def test_docker_compose_clears_expired_sessions_every_hour():
    text = (ROOT / "docker-compose.yml").read_text()
    assert "python manage.py clearsessions; sleep 3600" in text


@pytest.mark.slow
def test_production_static_files_collect_with_hashed_names(tmp_path):
    """Whitenoise's manifest storage fails on any CSS url() or source map that does not exist."""
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "collectstatic-" + "x" * 40,
        "STATIC_ROOT": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "inspection.settings",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    manifest = (tmp_path / "staticfiles.json").read_text()
    assert "govuk-frontend/govuk-frontend.min.css" in manifest
    assert "js/autosave.js" in manifest
