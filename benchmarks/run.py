"""Page benchmarks against the national dataset: SQL queries, server time, ratio to the SQL floor.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/inspection_national \\
        .venv/bin/python benchmarks/run.py [--runs 30] [--warmup 5] [--only national,save]

Each page is requested in-process through django.test.Client (force_login as a superuser), with
the production settings (DEBUG off, whitenoise manifest storage; see benchmarks/settings.py). The
server time is the request through Django, timed with time.perf_counter. Queries are counted in a
separate request on a small and a large target: a page passes "fixed" when both counts are equal.
Each aggregation is also computed by hand-written SQL (benchmarks/floor.py) on the same data: the
floor. The script checks the floor's numbers equal the app's before it times anything.
"""

import argparse
import json
import math
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from benchmarks import floor  # noqa: E402
from benchmarks.national_dataset import national_data_exists  # noqa: E402
from cases.aggregation import counts_by_inspection  # noqa: E402
from cases.choices import CaseStatus  # noqa: E402
from cases.models import Answer, Case  # noqa: E402
from cases.sections import field_id  # noqa: E402
from inspection.access import visible_inspections  # noqa: E402
from inspection.choices import AnswerValue, AuditKind, InspectionStatus  # noqa: E402
from inspection.models import PDU, AuditEntry, Inspection, ManagerScope, Region  # noqa: E402
from reports.results import latest_per_pdu  # noqa: E402

BENCHMARK_USER = "benchmark-admin"
SECTION = "2.2"
SAVE_QUESTION = "2.2.1.a"  # prompts on the section page
AUTOSAVE_QUESTION = "2.2.1.b"
ONE_PAGE_QUESTION = "2.2.1.c"  # saved by the whole-case page's background save


@dataclass
class Row:
    name: str
    path: str
    status: int | None = None
    queries: tuple[int, ...] = ()
    times_ms: list[float] = field(default_factory=list)
    floor_ms: list[float] = field(default_factory=list)
    target: str = ""
    max_ratio: float | None = None  # at most this times the floor's median, where a target says
    met: bool | None = None
    note: str = ""
    fixed_from: int = 0  # query counts compared for "fixed" start at this sample

    @property
    def median(self) -> float | None:
        return statistics.median(self.times_ms) if self.times_ms else None

    @property
    def p95(self) -> float | None:
        return percentile(self.times_ms, 95)

    @property
    def floor_median(self) -> float | None:
        return statistics.median(self.floor_ms) if self.floor_ms else None

    @property
    def ratio(self) -> float | None:
        if self.median is None or not self.floor_median:
            return None
        return self.median / self.floor_median

    @property
    def fixed_queries(self) -> bool | None:
        compared = self.queries[self.fixed_from :]
        return len(set(compared)) == 1 if len(compared) > 1 else None

    def as_dict(self) -> dict:
        data = asdict(self)
        data.update(
            median_ms=self.median,
            p95_ms=self.p95,
            floor_median_ms=self.floor_median,
            ratio=self.ratio,
            fixed_queries=self.fixed_queries,
        )
        return data


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile (p95 of 30 runs is the 29th fastest)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def timed(fn: Callable, runs: int, warmup: int) -> list[float]:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times


def query_count(fn: Callable) -> int:
    """Queries of a warm request: the first one may also fill the per-process framework cache."""
    fn()
    with CaptureQueriesContext(connection) as context:
        fn()
    return len(context.captured_queries)


def url(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def get(client: Client, path: str, expect=200) -> Callable:
    def request():
        response = client.get(path)
        if response.status_code != expect:
            raise AssertionError(f"GET {path} answered {response.status_code}, expected {expect}")
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)  # a streamed export is only done when read
        return response

    return request


# --- Targets -------------------------------------------------------------------------------------


@dataclass
class Targets:
    big_inspection: Inspection
    big_published: Inspection
    small_published: Inspection
    small_inspection: Inspection
    big_pdu: PDU
    small_pdu: PDU
    big_region: Region
    small_region: Region
    case: Case
    small_case: Case


def choose_targets() -> Targets:
    by_cases = Inspection.objects.with_place().annotate(n=Count("cases")).filter(n__gt=0)
    big = by_cases.filter(status=InspectionStatus.FIELDWORK).order_by("-n", "pk").first()
    published = by_cases.filter(status=InspectionStatus.PUBLISHED)
    big_published = published.order_by("-n", "pk").first()
    # Compared like with like: a live page with a live page, a stored one with a stored one.
    small = by_cases.filter(status=InspectionStatus.FIELDWORK).order_by("n", "pk").first()
    small_published = published.order_by("n", "pk").first()
    regions = Region.objects.annotate(n=Count("pdus")).filter(n__gt=0)
    pdus = PDU.objects.annotate(n=Count("inspections")).filter(n__gt=0)
    cases = Case.objects.filter(inspection=big, status=CaseStatus.IN_PROGRESS).annotate(
        n=Count("answers")
    )
    return Targets(
        big_inspection=big,
        big_published=big_published,
        small_published=small_published,
        small_inspection=small,
        big_pdu=big.pdu,
        small_pdu=pdus.exclude(pk=big.pdu_id).order_by("n", "pk").first(),
        big_region=regions.order_by("-n", "pk").first(),
        small_region=regions.order_by("n", "pk").first(),
        case=cases.order_by("-n", "pk").first(),
        small_case=cases.order_by("n", "pk").first(),
    )


def manager_client(regions) -> Client:
    """A client signed in as a manager scoped to exactly these regions."""
    regions = list(regions)
    user, _ = get_user_model().objects.get_or_create(
        username=f"benchmark-manager-{len(regions)}-regions", defaults={"first_name": "Manager"}
    )
    ManagerScope.objects.filter(user=user).delete()
    ManagerScope.objects.bulk_create(ManagerScope(user=user, region=r) for r in regions)
    client = Client()
    client.force_login(user)
    return client


def benchmark_user():
    user, _ = get_user_model().objects.get_or_create(
        username=BENCHMARK_USER,
        defaults={"is_superuser": True, "is_staff": True, "first_name": "Benchmark"},
    )
    if not user.is_superuser:
        raise SystemExit(f"{BENCHMARK_USER} exists but is not a superuser")
    return user


# --- Correctness of the floor --------------------------------------------------------------------


def check_floor_agrees(user, t: Targets) -> list[str]:
    """The floor must compute the app's numbers, or its time means nothing."""
    problems = []
    visible = list(visible_inspections(user).order_by("-fieldwork_start", "-pk"))
    latest = latest_per_pdu([i for i in visible if i.status == InspectionStatus.PUBLISHED])

    def compare(label, rows, inspection_ids):
        app = counts_by_inspection(inspection_ids)
        codes = {q.code: q.id for q in t.big_inspection.framework.questions.all()}
        app_counts = {
            (inspection_id, codes[code]): (c.yes, c.relevant)
            for inspection_id, by_code in app.items()
            for code, c in by_code.items()
        }
        if floor.as_counts(rows) != app_counts:
            problems.append(f"{label}: the floor's counts differ from counts_by_inspection")

    compare("national", floor.national(), [i.pk for i in latest])
    compare(
        "region",
        floor.region(t.big_region.pk),
        [i.pk for i in latest if i.pdu.region_id == t.big_region.pk],
    )
    own = [i.pk for i in visible if i.pdu_id == t.big_pdu.pk]
    compare("pdu", floor.pdu(t.big_pdu.pk), sorted({*own, *(i.pk for i in latest)}))
    report_rows = [r for r in floor.report(t.big_inspection.pk) if r[0] == "all"]
    compare(
        "report",
        [(t.big_inspection.pk, q, yes, rel) for _, q, *_, yes, rel in report_rows],
        [t.big_inspection.pk],
    )
    return problems


# --- The benchmark -------------------------------------------------------------------------------


def page_rows(client: Client, t: Targets) -> list[tuple[Row, Callable, list[Callable], Callable]]:
    """(row, timed request, requests on differently sized targets for query counts, floor)."""
    rows = []

    def add(
        name, url_name, big_args, small_args, floor_fn=None, target="", expect=200, max_ratio=None
    ):
        big_path = url(url_name, *big_args)
        if big_path is None:
            rows.append((Row(name, f"{url_name} (does not resolve)"), None, [], None))
            return
        small_path = url(url_name, *small_args) if small_args is not None else None
        samples = [get(client, big_path, expect)]
        if small_path:
            samples.append(get(client, small_path, expect))
        row = Row(name, big_path, target=target, max_ratio=max_ratio)
        rows.append((row, samples[0], samples, floor_fn))

    big, small = t.big_inspection, t.small_inspection
    add(
        "inspection report",
        "reports:report",
        [big.pk],
        [small.pk],
        lambda: floor.report(big.pk),
    )
    published = t.big_published
    add(
        "published report (stored)",
        "reports:report",
        [published.pk],
        [t.small_published.pk],
        lambda: floor.report(published.pk),
        target="fixed queries, <= 2x floor",
        max_ratio=2,
    )
    add(
        "PDU dashboard",
        "reports:pdu",
        [t.big_pdu.pk],
        [t.small_pdu.pk],
        lambda: floor.pdu(t.big_pdu.pk),
    )
    add(
        "region dashboard",
        "reports:region",
        [t.big_region.pk],
        [t.small_region.pk],
        lambda: floor.region(t.big_region.pk),
    )
    add(
        "national dashboard",
        "reports:national",
        [],
        None,
        floor.national,
        target="fixed queries, < 1000 ms median, <= 0.5x floor",
        max_ratio=0.5,
    )
    # One national page per user: its size follows what the user may see. Managers scoped to
    # every region and to one region see 330 and about 28 published inspections.
    national = rows[-1]
    if national[1] is not None:
        path = national[0].path
        for scope in (Region.objects.all(), Region.objects.filter(pk=t.small_region.pk)):
            national[2].append(get(manager_client(scope), path))
        national[0].fixed_from = 1
        national[0].note = "queries: admin / manager of 12 regions / manager of 1 region"
    add(
        "case page (section 2.2)",
        "cases:section",
        [t.case.pk, SECTION],
        [t.small_case.pk, SECTION],
        target="fixed queries, < 50 ms median",
    )
    add("case task list", "cases:detail", [t.case.pk], [t.small_case.pk])
    add("XLSX export", "exports:xlsx", [big.pk], [small.pk], lambda: floor.export(big.pk))
    add("CSV export", "exports:csv", [big.pk], [small.pk], lambda: floor.export(big.pk))
    return rows


class AnswerFlipper:
    """POSTs one changed answer, alternating yes and no, tracking its version as the page does."""

    def __init__(self, client: Client, case: Case, code: str, path: str, autosave: bool):
        self.client, self.case, self.code, self.path, self.autosave = (
            client,
            case,
            code,
            path,
            autosave,
        )
        self.value = self.version = None
        self.saves = 0

    def __call__(self):
        if self.version is None:  # read when first used, after any earlier benchmark's saves
            answer = Answer.objects.get(case=self.case, question__code=self.code)
            self.value, self.version = answer.value, answer.version
        new = "no" if self.value == "yes" else "yes"
        data = {
            field_id(self.code): new,
            field_id(self.code, "version"): str(self.version),
            field_id(self.code, "loaded"): self.value,
        }
        response = self.client.post(self.path, data)
        expected = 200 if self.autosave else 302
        if response.status_code != expected:
            raise AssertionError(f"POST {self.path} answered {response.status_code}")
        if self.autosave:
            saved = response.json()["saved"][self.code]
            if saved["value"] != new:
                raise AssertionError(f"autosave stored {saved}, expected {new}")
        self.value, self.version = new, self.version + 1
        self.saves += 1
        return response

    def verify(self) -> str:
        if self.version is None:
            return ""
        answer = Answer.objects.get(case=self.case, question__code=self.code)
        entry = AuditEntry.objects.filter(
            kind=AuditKind.ANSWER, case_id=self.case.pk, subject=self.code, version=answer.version
        ).first()
        if (answer.value, answer.version) != (self.value, self.version):
            return f"stored {answer.value} v{answer.version}, expected {self.value} v{self.version}"
        if entry is None or entry.new_value != AnswerValue(answer.value).label:
            return f"no audit entry for version {answer.version}"
        return ""


def save_rows(client: Client, t: Targets) -> list[tuple[Row, Callable, list[Callable], None]]:
    rows = []
    for name, url_name, autosave, code, section in (
        ("answer save (form POST)", "cases:section", False, SAVE_QUESTION, (SECTION,)),
        ("answer autosave (JSON)", "cases:autosave", True, AUTOSAVE_QUESTION, (SECTION,)),
        ("one-page case save (JSON)", "cases:answer_save", True, ONE_PAGE_QUESTION, ()),
    ):
        path = url(url_name, t.case.pk, *section)
        small_path = url(url_name, t.small_case.pk, *section)
        if path is None:
            rows.append((Row(name, f"{url_name} (does not resolve)"), None, [], None))
            continue
        flipper = AnswerFlipper(client, t.case, code, path, autosave)
        small = AnswerFlipper(client, t.small_case, code, small_path, autosave)
        row = Row(name, path, target="fixed queries, < 50 ms median")
        row.flippers = (flipper, small)
        rows.append((row, flipper, [flipper, small], None))
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--only", default="", help="comma-separated words matched in row names")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args(argv)

    if connection.vendor != "postgresql":
        raise SystemExit("Benchmarks need PostgreSQL: set DATABASE_URL to the national database")
    if not national_data_exists():
        raise SystemExit("No national data: run benchmarks/generate_national_dataset.py --seed 42")
    static_manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not static_manifest.exists():
        print(f"Collecting static files into {settings.STATIC_ROOT} (once) ...", flush=True)
        call_command("collectstatic", interactive=False, verbosity=0)

    user = benchmark_user()
    client = Client()
    client.force_login(user)
    targets = choose_targets()
    print(
        f"Database {connection.settings_dict['NAME']}: {Inspection.objects.count()} inspections, "
        f"{Case.objects.count()} cases, {Answer.objects.count()} answers. "
        f"Largest fieldwork inspection {targets.big_inspection.pk} "
        f"({targets.big_inspection.cases.count()} cases); case {targets.case.pk}.",
        flush=True,
    )
    problems = check_floor_agrees(user, targets)
    for problem in problems:
        print("FLOOR MISMATCH:", problem)
    if problems:
        return 1
    print("The floor's counts equal the app's (national, region, PDU, report).", flush=True)

    plan = page_rows(client, targets) + save_rows(client, targets)
    words = [w.strip().lower() for w in args.only.split(",") if w.strip()]
    results = []
    for row, request, samples, floor_fn in plan:
        if words and not any(w in row.name.lower() for w in words):
            continue
        if request is None:
            row.note = "URL name does not resolve yet"
            results.append(row)
            continue
        try:
            row.queries = tuple(query_count(sample) for sample in samples)
            row.times_ms = timed(request, args.runs, args.warmup)
            row.status = 200
            if floor_fn:
                row.floor_ms = timed(floor_fn, args.runs, args.warmup)
        except Exception as error:  # a page still being written must not stop the rest
            row.note = f"failed: {type(error).__name__}: {error}"[:200]
            results.append(row)
            print(f"{row.name}: {row.note}", flush=True)
            continue
        for flipper in getattr(row, "flippers", ()):
            problem = flipper.verify()
            if problem:
                row.note = f"save check failed: {problem}"
        row.met = judge(row)
        results.append(row)
        print(summary_line(row), flush=True)

    print()
    print(table(results))
    if args.json:
        Path(args.json).write_text(
            json.dumps([r.as_dict() for r in results], indent=2, default=str), encoding="utf-8"
        )
    return 0


def judge(row: Row) -> bool | None:
    if not row.target:
        return None
    ok = row.fixed_queries is not False
    if "50 ms" in row.target:
        ok = ok and row.median < 50
    if "1000 ms" in row.target:
        ok = ok and row.median < 1000
    if row.max_ratio is not None:
        ok = ok and row.ratio is not None and row.ratio <= row.max_ratio
    return ok


def fmt(value, spec=".1f") -> str:
    return "-" if value is None else format(value, spec)


def summary_line(row: Row) -> str:
    return (
        f"{row.name}: {'/'.join(map(str, row.queries))} queries, median {fmt(row.median)} ms, "
        f"p95 {fmt(row.p95)} ms, floor {fmt(row.floor_median)} ms, ratio {fmt(row.ratio, '.2f')}"
    )


def table(rows: list[Row]) -> str:
    header = (
        "page",
        "queries (big/small)",
        "median ms",
        "p95 ms",
        "floor ms",
        "ratio",
        "target",
        "met",
    )
    lines = [header]
    for r in rows:
        queries = "/".join(map(str, r.queries)) or "-"
        if r.fixed_queries:
            queries += " fixed"
        elif r.fixed_queries is False:
            queries += " VARIES"
        met = {True: "yes", False: "NO", None: ""}[r.met]
        lines.append(
            (
                r.name,
                queries,
                fmt(r.median),
                fmt(r.p95),
                fmt(r.floor_median),
                fmt(r.ratio, ".2f"),
                r.target or r.note,
                met,
            )
        )
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(header))]
    out = []
    for n, line in enumerate(lines):
        out.append("  ".join(str(cell).ljust(w) for cell, w in zip(line, widths, strict=True)))
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    notes = [f"{r.name}: {r.note}" for r in rows if r.note and r.target]
    return "\n".join(out + notes)


if __name__ == "__main__":
    sys.exit(main())
