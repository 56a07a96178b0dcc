"""What operations needs from the running app: a health check for the load balancer and the
container, and a request id that ties every log line of one request together (JSON in production).
"""

import contextvars
import datetime
import json
import logging
import re
import traceback
import uuid

from django.contrib.auth.decorators import login_not_required
from django.core.signals import request_finished
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.dispatch import receiver
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

REQUEST_ID_HEADER = "X-Request-ID"
# A proxy's id is kept only when it is short and plain, so it cannot forge log lines or headers.
SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
# Outside a request (commands, start-up) log lines carry this instead of an id.
NO_REQUEST = "-"

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar(
    "request_id", default=NO_REQUEST
)


@login_not_required
@never_cache
@require_GET
def health(request):
    """200 when the database answers and every migration is applied; 503 naming what is wrong.
    Says nothing else (no versions, hosts or error texts): anyone may ask."""
    problems = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        problems.append(f"database does not answer ({type(error).__name__})")
    else:
        # Every migration the code has against those recorded: a plan to the newest ones would
        # miss one missing below an applied one (a later migration already recorded).
        loader = MigrationExecutor(connection).loader
        unapplied = sorted(set(loader.graph.nodes) - set(loader.applied_migrations))
        if unapplied:
            names = ", ".join(f"{app}.{name}" for app, name in unapplied)
            problems.append(f"migrations not applied: {names}")
    if problems:
        return JsonResponse({"status": "unavailable", "problems": problems}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "migrations": "applied"})


class RequestIdMiddleware:
    """Takes a safe X-Request-ID from the proxy or makes a uuid4, keeps it for the request's log
    lines and returns it in the response's X-Request-ID header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = offered if SAFE_REQUEST_ID.match(offered) else uuid.uuid4().hex
        request.request_id = request_id
        # Kept until the request finishes, not just until this returns: Django logs an error
        # response ("Not Found: ...") after the whole middleware chain has returned.
        request_id_var.set(request_id)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        return response


@receiver(request_finished)
def _forget_request_id(**kwargs):
    """A worker's next log lines outside a request must not carry the last request's id."""
    request_id_var.set(NO_REQUEST)


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every record a handler emits (NO_REQUEST outside one)."""

    def filter(self, record):
        record.request_id = request_id_var.get()
        return True


# A LogRecord's own attributes; anything else on a record came from `extra=` and is logged too.
_RECORD_ATTRIBUTES = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message",
    "asctime",
    "request_id",
}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, request_id, extras, and the
    exception's traceback when there is one. No dependency: the standard library does it."""

    def format(self, record):
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id_var.get()),
        }
        for key, value in vars(record).items():
            if key not in _RECORD_ATTRIBUTES and key not in entry:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = "".join(traceback.format_exception(*record.exc_info))
        return json.dumps(entry, default=str)
