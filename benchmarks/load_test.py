"""Load test: 50 inspectors saving answers at once through gunicorn, and nothing lost.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/inspection_national \\
        .venv/bin/python benchmarks/load_test.py [--users 50] [--saves 40] [--workers 4]

1. Creates (or reuses) inspector accounts load-inspector-01 ... on the teams of the national
   dataset's fieldwork inspections; each pair of inspectors shares a case, working on different
   sections, so saves contend for the same case row lock.
2. Starts gunicorn (inspection.wsgi, production settings from the environment: DEBUG off, a test
   SECRET_KEY, ALLOWED_HOSTS=127.0.0.1, SECURE_SSL_REDIRECT off) on 127.0.0.1 and a free port.
3. Every inspector signs in through the log-in page (django-axes is on; these log-ins succeed).
4. Baseline: every inspector POSTs the keep-alive endpoint (/session/keep-alive/: session and
   user read, session saved, a small JSON answer) as fast as the server answers: the throughput
   of a trivial Django view on the same server, the ratio's denominator.
5. Saves: every inspector reads its section page once (versions from the hidden fields), then
   autosaves one changed answer after another (yes <-> no), with no think time, bounded by
   --saves per inspector and --max-seconds.
6. Verifies every acknowledged save (HTTP 200 with the answer in "saved") against PostgreSQL:
   an audit entry with the same case, question, version and value must exist, and each
   answer's stored version and value must be those of its last acknowledged save. Lost = 0.
7. Stops gunicorn, always (also on errors and Ctrl-C).

The client runs on the same two cores as gunicorn and PostgreSQL, so absolute figures are low
bounds. The cookies are secure-only (DEBUG off), so the client sends them itself over loopback
HTTP, as a TLS-terminating proxy's backend would receive them.
"""

import argparse
import asyncio
import json
import logging
import math
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")

import django  # noqa: E402

django.setup()
logging.getLogger("httpx").setLevel(logging.WARNING)  # not a line per request

import httpx  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Max, Q  # noqa: E402

from benchmarks.national_dataset import national_data_exists  # noqa: E402
from cases.choices import CaseStatus  # noqa: E402
from cases.models import Answer, Case  # noqa: E402
from cases.sections import field_id  # noqa: E402
from inspection.choices import AnswerValue, AuditKind, InspectionStatus  # noqa: E402
from inspection.models import AuditEntry, Inspection  # noqa: E402

USERNAME = "load-inspector-{:02d}"
PASSWORD = "load-test-password-not-secret"
SECTIONS = ("2.2", "2.3", "2.4", "2.5", "2.6", "C")
HIDDEN_VERSION = re.compile(r'name="(q[\w-]+)-version" value="(\d+)"')
HIDDEN_LOADED = re.compile(r'name="(q[\w-]+)-loaded" value="(\w*)"')
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Inspector:
    number: int
    username: str
    case_id: int
    section: str
    cookies: dict[str, str] = field(default_factory=dict)
    # field stem ("q2-2-1-a") -> [value, version] as the page (then each save) says
    state: dict[str, list] = field(default_factory=dict)
    acknowledged: list[tuple[int, str, int, str]] = field(default_factory=list)
    conflicts: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass
class Phase:
    name: str
    latencies_ms: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0
    client_cpu_seconds: float = 0.0  # this process's CPU: the client shares the two cores

    def record(self, started: float, status: int) -> None:
        self.latencies_ms.append((time.perf_counter() - started) * 1000)
        self.statuses[status] = self.statuses.get(status, 0) + 1

    @property
    def throughput(self) -> float:
        return len(self.latencies_ms) / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float | None:
        if not self.latencies_ms:
            return None
        ordered = sorted(self.latencies_ms)
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]

    def as_dict(self) -> dict:
        return {
            "requests": len(self.latencies_ms),
            "seconds": round(self.seconds, 2),
            "throughput_rps": round(self.throughput, 1),
            "p50_ms": _round(self.percentile(50)),
            "p95_ms": _round(self.percentile(95)),
            "p99_ms": _round(self.percentile(99)),
            "mean_ms": _round(statistics.fmean(self.latencies_ms) if self.latencies_ms else None),
            "statuses": self.statuses,
            "client_cpu_share": round(self.client_cpu_seconds / self.seconds, 2)
            if self.seconds
            else None,
        }


def _round(value):
    return None if value is None else round(value, 1)


# --- Set-up (in this process, through the ORM) ---------------------------------------------------


def prepare_inspectors(users: int) -> list[Inspector]:
    """Accounts on the teams of fieldwork inspections; two inspectors per in-progress case."""
    inspections = list(
        Inspection.objects.filter(status=InspectionStatus.FIELDWORK)
        .annotate(open=Count("cases", filter=Q(cases__status=CaseStatus.IN_PROGRESS)))
        .filter(open__gt=0)
        .order_by("-open", "pk")[: max(1, math.ceil(users / 10))]
    )
    if not inspections:
        raise SystemExit("No fieldwork inspection with cases in progress: regenerate the dataset")
    cases = []
    for inspection in inspections:
        cases += list(
            Case.objects.filter(inspection=inspection, status=CaseStatus.IN_PROGRESS)
            .order_by("pk")
            .values_list("pk", "inspection_id")
        )
    password = make_password(PASSWORD)  # hashed once: every account shares it
    model = get_user_model()
    inspectors = []
    for n in range(users):
        case_id, inspection_id = cases[(n // 2) % len(cases)]
        username = USERNAME.format(n + 1)
        user, _ = model.objects.update_or_create(
            username=username,
            defaults={
                "first_name": "Load",
                "last_name": f"Inspector {n + 1}",
                "password": password,
            },
        )
        Inspection.objects.get(pk=inspection_id).team.add(user)
        section = SECTIONS[(n % 2 + 2 * (n // (2 * len(cases)))) % len(SECTIONS)]
        inspectors.append(Inspector(n + 1, username, case_id, section))
    return inspectors


# --- gunicorn ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(port: int, workers: int, log_path: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "DEBUG": "false",
        "SECRET_KEY": "load-test-only-secret-key-" + "l" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
        "BENCHMARK_STATIC_ROOT": str(settings.STATIC_ROOT),
    }
    log = log_path.open("w")
    return subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "inspection.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--timeout",
            "60",
            "--backlog",
            "256",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: we stop exactly what we started
    )


def wait_until_up(base: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode}")
        try:
            if httpx.get(f"{base}/login/", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise SystemExit("gunicorn did not answer within a minute")


def stop_gunicorn(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)  # graceful: the master stops its workers
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # the group started for it, nothing else
        process.wait(timeout=10)


# --- The simulated inspectors --------------------------------------------------------------------


def _cookie_header(inspector: Inspector) -> dict:
    return {"Cookie": "; ".join(f"{k}={v}" for k, v in inspector.cookies.items())}


def _keep_cookies(inspector: Inspector, response: httpx.Response) -> None:
    for header in response.headers.get_list("set-cookie"):
        name, _, rest = header.partition("=")
        value = rest.split(";", 1)[0]
        if value in ("", '""'):
            inspector.cookies.pop(name.strip(), None)
        else:
            inspector.cookies[name.strip()] = value


async def request(client, inspector, method, path, phase=None, **kwargs) -> httpx.Response:
    started = time.perf_counter()
    response = await client.request(method, path, headers=_cookie_header(inspector), **kwargs)
    client.cookies.clear()  # our own jar only: the secure cookies are sent by hand
    _keep_cookies(inspector, response)
    if phase is not None:
        phase.record(started, response.status_code)
    return response


async def sign_in(client, inspector: Inspector, phase: Phase) -> None:
    page = await request(client, inspector, "GET", "/login/")
    token = CSRF_INPUT.search(page.text).group(1)
    response = await request(
        client,
        inspector,
        "POST",
        "/login/",
        phase,
        data={
            "username": inspector.username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": token,
            "next": "/",
        },
    )
    if response.status_code != 302 or "sessionid" not in inspector.cookies:
        raise RuntimeError(f"{inspector.username} could not sign in ({response.status_code})")


async def keep_alive(client, inspector: Inspector, phase: Phase, count: int, deadline) -> None:
    for _ in range(count):
        if time.monotonic() > deadline:
            return
        response = await request(
            client,
            inspector,
            "POST",
            "/session/keep-alive/",
            phase,
            data={"csrfmiddlewaretoken": inspector.cookies.get("csrftoken", "")},
        )
        if response.status_code != 200:
            inspector.errors.append(f"keep-alive {response.status_code}")


async def read_section(client, inspector: Inspector, phase: Phase | None) -> None:
    path = f"/cases/{inspector.case_id}/sections/{inspector.section}/"
    page = await request(client, inspector, "GET", path, phase)
    if page.status_code != 200:
        raise RuntimeError(f"{inspector.username}: GET {path} answered {page.status_code}")
    versions = dict(HIDDEN_VERSION.findall(page.text))
    loaded = dict(HIDDEN_LOADED.findall(page.text))
    inspector.state = {
        stem: [loaded.get(stem, ""), int(version)]
        for stem, version in versions.items()
        if loaded.get(stem) in ("yes", "no")  # flip only decided answers: yes <-> no
    }


async def save_answers(
    client, inspector: Inspector, phase: Phase, count: int, deadline, offset: int = 0
) -> None:
    path = f"/cases/{inspector.case_id}/sections/{inspector.section}/autosave/"
    stems = sorted(inspector.state)
    for n in range(offset, offset + count):
        if time.monotonic() > deadline:
            return
        stem = stems[(n * 7 + inspector.number) % len(stems)]
        value, version = inspector.state[stem]
        new = "no" if value == "yes" else "yes"
        code = stem[1:].replace("-", ".")
        data = {
            "csrfmiddlewaretoken": inspector.cookies.get("csrftoken", ""),
            field_id(code): new,
            field_id(code, "version"): str(version),
            field_id(code, "loaded"): value,
        }
        response = await request(client, inspector, "POST", path, phase, data=data)
        if response.status_code == 200:
            saved = response.json()["saved"].get(code)
            if saved is not None:
                inspector.acknowledged.append(
                    (inspector.case_id, code, saved["version"], saved["value"])
                )
                inspector.state[stem] = [saved["value"], saved["version"]]
        elif response.status_code == 409:
            inspector.conflicts += 1
            await read_section(client, inspector, None)
        else:
            inspector.errors.append(f"autosave {response.status_code}")


async def run_load(base: str, inspectors: list[Inspector], args) -> dict[str, Phase]:
    names = ("sign-in", "warm-up", "keep-alive", "section page", "autosave")
    phases = {name: Phase(name) for name in names}
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=0)
    clients = [
        httpx.AsyncClient(base_url=base, timeout=60, limits=limits, follow_redirects=False)
        for _ in inspectors
    ]
    try:

        async def each(coroutine_for, phase_name):
            started, cpu = time.perf_counter(), time.process_time()
            await asyncio.gather(
                *(coroutine_for(c, i) for c, i in zip(clients, inspectors, strict=True))
            )
            phases[phase_name].seconds = time.perf_counter() - started
            phases[phase_name].client_cpu_seconds = time.process_time() - cpu

        await each(lambda c, i: sign_in(c, i, phases["sign-in"]), "sign-in")
        deadline = time.monotonic() + args.max_seconds

        async def warm_up(client, inspector):
            # Every worker compiles its templates and fills its caches before the timing starts.
            # These saves are real and checked with the others.
            phase = phases["warm-up"]
            await keep_alive(client, inspector, phase, 2, deadline)
            await read_section(client, inspector, phase)
            await save_answers(client, inspector, phase, 2, deadline, offset=1000)

        await each(warm_up, "warm-up")
        deadline = time.monotonic() + args.max_seconds
        await each(
            lambda c, i: keep_alive(c, i, phases["keep-alive"], args.baseline, deadline),
            "keep-alive",
        )
        await each(lambda c, i: read_section(c, i, phases["section page"]), "section page")
        deadline = time.monotonic() + args.max_seconds
        await each(
            lambda c, i: save_answers(c, i, phases["autosave"], args.saves, deadline), "autosave"
        )
    finally:
        await asyncio.gather(*(c.aclose() for c in clients))
    return phases


# --- Verification (through the ORM, after the load) ----------------------------------------------


def verify(inspectors: list[Inspector]) -> dict:
    acknowledged = [a for i in inspectors for a in i.acknowledged]
    case_ids = {a[0] for a in acknowledged}
    trail = set(
        AuditEntry.objects.filter(kind=AuditKind.ANSWER, case_id__in=case_ids).values_list(
            "case_id", "subject", "version", "new_value"
        )
    )
    missing_history = [
        a for a in acknowledged if (a[0], a[1], a[2], AnswerValue(a[3]).label) not in trail
    ]
    last: dict[tuple[int, str], tuple[int, str]] = {}
    for case_id, code, version, value in acknowledged:
        key = (case_id, code)
        if key not in last or version > last[key][0]:
            last[key] = (version, value)
    stored = {
        (case_id, code): (version, value)
        for case_id, code, version, value in Answer.objects.filter(
            case_id__in=case_ids
        ).values_list("case_id", "question__code", "version", "value")
    }
    wrong_final = [k for k, v in last.items() if stored.get(k) != v]
    return {
        "acknowledged_saves": len(acknowledged),
        "answers_changed": len(last),
        "missing_history": len(missing_history),
        "final_state_mismatches": len(wrong_final),
        "lost": len(missing_history) + len(wrong_final),
        "examples": [str(a) for a in missing_history[:5]] + [str(k) for k in wrong_final[:5]],
    }


# --- Main ----------------------------------------------------------------------------------------


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--saves", type=int, default=40, help="autosaves per inspector")
    parser.add_argument("--baseline", type=int, default=20, help="keep-alives per inspector")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--max-seconds", type=float, default=120, help="bound for each phase")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args(argv)
    if not (1 <= args.users <= 200 and 1 <= args.saves <= 500 and 1 <= args.baseline <= 500):
        raise SystemExit("Keep the load bounded: --users <= 200, --saves and --baseline <= 500")

    if connection.vendor != "postgresql" or not national_data_exists():
        raise SystemExit("Needs the national dataset in PostgreSQL (see docs/performance.md)")
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
    inspectors = prepare_inspectors(args.users)
    trail_before = AuditEntry.objects.aggregate(m=Max("id"))["m"] or 0
    connection.close()  # the server gets the database to itself during the load

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"load-test-gunicorn-{port}.log"
    process = start_gunicorn(port, args.workers, log_path)
    print(f"gunicorn pid {process.pid} on {base}, {args.workers} workers (log {log_path})")
    try:
        wait_until_up(base, process)
        phases = asyncio.run(run_load(base, inspectors, args))
    finally:
        stop_gunicorn(process)
        print(f"gunicorn stopped (exit {process.returncode})")

    result = verify(inspectors)
    result["new_history_records"] = AuditEntry.objects.filter(
        kind=AuditKind.ANSWER, id__gt=trail_before
    ).count()
    conflicts = sum(i.conflicts for i in inspectors)
    errors = [e for i in inspectors for e in i.errors]
    report = {
        "users": args.users,
        "workers": args.workers,
        "phases": {name: phase.as_dict() for name, phase in phases.items()},
        "conflicts": conflicts,
        "errors": errors[:20],
        "error_count": len(errors),
        "verification": result,
    }
    save, baseline = phases["autosave"], phases["keep-alive"]
    report["autosave_to_keep_alive_throughput"] = (
        round(save.throughput / baseline.throughput, 2) if baseline.throughput else None
    )
    print_report(report)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0 if result["lost"] == 0 and not errors else 1


def print_report(report: dict) -> None:
    print()
    print(f"{report['users']} inspectors, gunicorn {report['workers']} sync workers")
    header = f"{'phase':<14}{'requests':>9}{'seconds':>9}{'req/s':>8}{'p50 ms':>9}"
    print(header + f"{'p95 ms':>9}{'p99 ms':>9}{'client CPU':>12}  statuses")
    for name, p in report["phases"].items():
        print(
            f"{name:<14}{p['requests']:>9}{p['seconds']:>9}{p['throughput_rps']:>8}"
            f"{p['p50_ms']!s:>9}{p['p95_ms']!s:>9}{p['p99_ms']!s:>9}"
            f"{p['client_cpu_share']!s:>12}  {p['statuses']}"
        )
    v = report["verification"]
    print(
        f"autosave / keep-alive throughput: {report['autosave_to_keep_alive_throughput']}; "
        f"conflicts {report['conflicts']}; errors {report['error_count']}"
    )
    print(
        f"acknowledged saves {v['acknowledged_saves']} on {v['answers_changed']} answers; "
        f"new audit entries {v['new_history_records']}; missing entries "
        f"{v['missing_history']}; final-state mismatches {v['final_state_mismatches']}; "
        f"LOST {v['lost']}"
    )
    if v["examples"]:
        print("examples:", v["examples"])


if __name__ == "__main__":
    sys.exit(main())
