"""Operations: the health endpoint, and JSON log lines that carry their request's id."""

import io
import json
import logging
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db.migrations.recorder import MigrationRecorder
from django.urls import reverse

from inspection.operations import JsonFormatter, RequestIdFilter

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_health_is_ok_without_signing_in_when_the_database_answers_and_all_is_migrated(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "migrations": "applied"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_health_names_a_migration_that_is_not_applied(client):
    MigrationRecorder.Migration.objects.filter(app="cases", name="0008_truncate_guards").delete()
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "problems": ["migrations not applied: cases.0008_truncate_guards"],
    }


def test_health_says_the_database_does_not_answer_without_its_error_text():
    """A real request against a database that does not exist (its own process: this one's
    connection is the test database's)."""
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/h20_no_such_database",
        "DJANGO_SETTINGS_MODULE": "inspection.settings_test",
        "LOG_LEVEL": "CRITICAL",
    }
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/health/'); print(r.status_code, json.dumps(r.json()))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    status, body = result.stdout.strip().split(" ", 1)
    assert status == "503"
    assert json.loads(body) == {
        "status": "unavailable",
        "problems": ["database does not answer (OperationalError)"],
    }


def test_health_only_answers_get(client):
    assert client.post(reverse("health")).status_code == 405


@pytest.fixture
def console_lines():
    """What the configured console handler writes, one line per record."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield lambda: stream.getvalue().splitlines()
    handler.setStream(previous)


@pytest.mark.django_db
def test_a_log_line_of_a_request_is_json_carrying_the_proxys_request_id(client, console_lines):
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="lb-7f3a.42")
    assert response.status_code == 404
    assert response["X-Request-ID"] == "lb-7f3a.42"
    lines = [json.loads(line) for line in console_lines()]
    not_found = [line for line in lines if line["logger"] == "django.request"]
    assert not_found, lines
    assert not_found[0]["request_id"] == "lb-7f3a.42"
    assert not_found[0]["level"] == "WARNING"
    assert not_found[0]["message"] == "Not Found: /no-such-page/"
    assert not_found[0]["status_code"] == 404
    assert not_found[0]["time"].endswith("+00:00")
    logging.getLogger("inspection").warning("after the request")
    assert json.loads(console_lines()[-1])["request_id"] == "-"


@pytest.mark.django_db
@pytest.mark.parametrize("offered", ["", "x" * 65, "bad id\nforged line", '"><script>'])
def test_an_unsafe_or_missing_request_id_is_replaced_by_a_uuid(client, console_lines, offered):
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID=offered)
    request_id = response["X-Request-ID"]
    assert uuid.UUID(hex=request_id).version == 4
    lines = [json.loads(line) for line in console_lines()]
    assert {line["request_id"] for line in lines} == {request_id}


def test_lines_outside_a_request_say_so_and_keep_the_exception():
    record = logging.LogRecord("inspection", logging.ERROR, __file__, 1, "failed %s", ("x",), None)
    try:
        raise ValueError("boom")
    except ValueError:
        record.exc_info = sys.exc_info()
    RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert (line["message"], line["request_id"]) == ("failed x", "-")
    assert "ValueError: boom" in line["exception"]


def test_production_logs_json_and_development_reads_as_text():
    assert settings.LOG_FORMAT == "json"  # tests run with DEBUG off, as production does
    env = {**os.environ, "DEBUG": "true", "DJANGO_SETTINGS_MODULE": "inspection.settings"}
    env.pop("LOG_FORMAT", None)
    script = (
        "import django, logging; django.setup();logging.getLogger('inspection').warning('readable')"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.rstrip().endswith("WARNING inspection [-] readable")
