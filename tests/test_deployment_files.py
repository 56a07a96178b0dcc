"""The deployment files are valid (no Docker engine runs here, so they are checked, not run)."""

import os
import shutil
import subprocess
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
