"""Generated caseload extracts for the sampling tests and the benchmark."""

import csv
import datetime
import io
import random

from cases.caseload import COLUMNS

SENTENCES = ["community_order", "suspended_sentence_order", "licence", "post_sentence_supervision"]


def extract_rows(n: int, seed: int = 7, start=datetime.date(2026, 5, 4)) -> list[list[str]]:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        rows.append(
            [
                f"X{100000 + i}",
                rng.choices(SENTENCES, weights=[40, 22, 30, 8])[0],
                (start + datetime.timedelta(days=rng.randrange(28))).isoformat(),
                rng.choices(["male", "female"], weights=[85, 15])[0],
                rng.choices(
                    ["white", "asian_or_asian_british", "black_or_black_british", "mixed", "other"],
                    weights=[80, 10, 4, 4, 2],
                )[0],
                rng.choice(["yes", "no", "no", "no"]),
                rng.choice(["18-25", "26-35", "36-49", "50+"]),
                rng.choices(["low", "medium", "high", "very_high"], weights=[30, 45, 22, 3])[0],
                rng.choice(["yes", "no"]),
                rng.choice(["yes", "no"]),
            ]
        )
    return rows


def extract_csv(rows, header=None) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header or list(COLUMNS))
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")
