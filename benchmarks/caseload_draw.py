"""Drawing a sample from a 50,000-row caseload extract: how long reading and checking the file,
and drawing and storing the sample, take (issue 19: under 10 s together).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/inspection_bench \\
        .venv/bin/python benchmarks/caseload_draw.py [--rows 50000] [--runs 5] [--xlsx]

Needs a migrated database (it makes one throwaway region, PDU and inspection, then removes them).
Prints the median and the slowest of the runs for each step, in milliseconds.
"""

import argparse
import datetime
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from cases.caseload import COLUMNS, read_extract  # noqa: E402
from cases.sample_draw import checksum, draw_sample  # noqa: E402
from inspection.models import PDU, Framework, Inspection, Region, SampleWindow  # noqa: E402
from tests.caseload_helpers import extract_csv, extract_rows  # noqa: E402


def workbook(rows) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class Rollback(Exception):
    pass


def one_run(data: bytes, name: str) -> tuple[float, float]:
    """(ms to read and check, ms to draw and store), in a transaction rolled back after."""
    started = time.perf_counter()
    extract = read_extract(io.BytesIO(data), name)
    read = time.perf_counter()
    try:
        with transaction.atomic():
            region = Region.objects.create(name="Benchmark region")
            pdu = PDU.objects.create(region=region, name="Benchmark PDU")
            inspection = Inspection.objects.create(
                pdu=pdu,
                framework=Framework.objects.newest("hmip-pdu-2021"),
                fieldwork_start=datetime.date(2026, 11, 30),
            )
            SampleWindow.objects.create(
                inspection=inspection,
                start=datetime.date(2026, 5, 4),
                end=datetime.date(2026, 5, 31),
            )
            before_draw = time.perf_counter()
            draw_sample(
                inspection, extract, size=21, seed=2023, data_sha256=checksum(data), by=None
            )
            drawn = time.perf_counter()
            raise Rollback
    except Rollback:
        pass
    return (read - started) * 1000, (drawn - before_draw) * 1000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--xlsx", action="store_true")
    args = parser.parse_args()
    rows = extract_rows(args.rows)
    data, name = (workbook(rows), "extract.xlsx") if args.xlsx else (extract_csv(rows), "x.csv")
    print(f"{args.rows:,} rows, {len(data) / 1e6:.1f} MB {name.split('.')[-1].upper()}")
    reads, draws = [], []
    for _ in range(args.runs):
        read_ms, draw_ms = one_run(data, name)
        reads.append(read_ms)
        draws.append(draw_ms)
    for label, times in (("read and check", reads), ("draw and store", draws)):
        print(
            f"{label:>15}: median {statistics.median(times):,.0f} ms, slowest {max(times):,.0f} ms"
        )
    total = [r + d for r, d in zip(reads, draws, strict=True)]
    print(
        f"{'together':>15}: median {statistics.median(total):,.0f} ms, slowest {max(total):,.0f} ms"
    )


if __name__ == "__main__":
    main()
