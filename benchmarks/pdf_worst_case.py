"""How long the PDF report takes with long texts everywhere.

    DATABASE_URL=postgres://... .venv/bin/python benchmarks/pdf_worst_case.py

Imports the reference bundle (its written report included), fills every domain-1 standard's
strengths and areas with 30 items of 1,000 characters each, adds recommendations of the longest
length, builds the PDF a few times and prints the times; everything is rolled back. (Its figure
is printed, not asserted: timings on a shared machine are for benchmarks, not tests.)
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RECOMMENDATIONS = 20


def main() -> None:
    from django.db import transaction

    from bundles.importer import import_bundle
    from inspection import input_rules
    from reports.exports.pdf import build_pdf
    from reports.report_model import build_report

    bundle = json.loads((ROOT / "inspection/demo/blackburn-with-darwen-2023.json").read_text())
    longest = ("Practitioners described the work at length. " * 100)[: input_rules.DOMAIN1_ITEM_MAX]
    items = [{"text": longest}] * input_rules.DOMAIN1_ITEMS_MAX
    # Each domain-1 standard's own text: as many strengths and areas as the old domain-1 lists
    # held, each as long as they could be (the written report's items may be longer still).
    standards = bundle["report"]["parts"]["standards"]
    for code in bundle["domain1"]:
        first = standards[code][0]
        first["strengths"] = first["areas"] = items
    sentence = "The PDU should make sure that every case is reviewed. " * 60
    bundle["recommendations"] = [
        {"addressee": "pdu", "text": sentence[: input_rules.RECOMMENDATION_MAX]}
    ] * RECOMMENDATIONS
    with transaction.atomic():
        inspection = import_bundle(bundle)
        report = build_report(inspection)
        times, size = [], 0
        for _ in range(3):
            started = time.perf_counter()
            size = len(build_pdf(inspection, report))
            times.append(time.perf_counter() - started)
        transaction.set_rollback(True)
    text = 4 * 2 * len(items) * len(longest) + RECOMMENDATIONS * input_rules.RECOMMENDATION_MAX
    print(
        f"PDF with {text:,} characters of domain-1 text and recommendations: "
        f"median {statistics.median(times):.2f} s, max {max(times):.2f} s, {size:,} bytes"
    )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inspection.settings")
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()
    main()
