"""The sampling arithmetic (cases/sampling.py) and reading caseload extracts (cases/caseload.py),
without a database."""

import datetime
import io
import math
import random
from collections import Counter

import pytest
from openpyxl import Workbook

from cases import sampling
from cases.caseload import COLUMNS, ExtractRefused, read_csv, read_xlsx
from tests.caseload_helpers import extract_csv, extract_rows


@pytest.mark.parametrize(
    ("sizes", "total", "seats"),
    [
        # Hamilton's method on textbook apportionments.
        ({"a": 5, "b": 3, "c": 2}, 5, {"a": 3, "b": 1, "c": 1}),  # 2.5/1.5/1.0: ties to larger
        ({"a": 623, "b": 377}, 21, {"a": 13, "b": 8}),  # 13.083 / 7.917
        ({"a": 1, "b": 1, "c": 1}, 2, {"a": 1, "b": 1, "c": 0}),  # equal: alphabetical
        ({"community": 10, "licence": 0}, 4, {"community": 4, "licence": 0}),
        ({"a": 4700, "b": 2300, "c": 3000}, 10, {"a": 5, "b": 2, "c": 3}),
    ],
)
def test_allocation_is_largest_remainder(sizes, total, seats):
    assert sampling.largest_remainder(sizes, total) == seats


def test_allocation_on_random_strata_stays_within_one_of_the_exact_quota():
    rng = random.Random(1)
    for _ in range(500):
        sizes = {f"s{i}": rng.randrange(0, 400) for i in range(rng.randrange(1, 6))}
        population = sum(sizes.values())
        total = rng.randrange(0, population + 1) if population else 0
        seats = sampling.largest_remainder(sizes, total)
        assert sum(seats.values()) == total
        for name, size in sizes.items():
            exact = total * size / population if population else 0
            assert math.floor(exact) <= seats[name] <= math.ceil(exact)


def test_the_same_refs_and_seed_give_the_same_draw_whatever_their_order():
    refs = {"community": [f"C{i}" for i in range(300)], "licence": [f"L{i}" for i in range(200)]}
    shuffled = {k: random.Random(9).sample(v, len(v)) for k, v in refs.items()}
    first = sampling.draw(refs, 21, seed=2023)
    assert sampling.draw(shuffled, 21, seed=2023) == first
    assert sampling.draw(refs, 21, seed=2024) != first
    by_stratum = {d.stratum: d for d in first}
    assert (len(by_stratum["community"].sample), len(by_stratum["licence"].sample)) == (13, 8)
    assert len(by_stratum["community"].reserve) == 7  # half the quota, rounded up
    drawn = by_stratum["community"].sample + by_stratum["community"].reserve
    assert len(set(drawn)) == len(drawn)


@pytest.mark.parametrize(
    ("statistic", "degrees", "p"),
    # scipy.stats.chi2.sf to 10 places
    [
        (3.841458820694124, 1, 0.05),
        (5.991464547107979, 2, 0.05),
        (0.5, 3, 0.9188914117),
        (30.0, 10, 0.0008566412),
        (11.070497693516351, 5, 0.05),
        (0.0, 4, 1.0),
    ],
)
def test_chi_square_p_values(statistic, degrees, p):
    assert sampling.chi_square_p(statistic, degrees) == pytest.approx(p, abs=1e-9)


def test_sample_size_calculator_with_the_finite_population_correction():
    # n0 = 1.96^2 * 0.25 / 0.1^2 = 96.04; n = n0 / (1 + (n0 - 1) / N)
    assert sampling.sample_size(100_000) == 96  # 96.04 / 1.00095 = 95.9
    assert sampling.sample_size(1000) == 88
    assert sampling.sample_size(50) == 34
    assert sampling.sample_size(1000, confidence=0.9, margin=0.15) == 30
    assert sampling.sample_size(0) == 0


def test_fit_flags_a_value_ten_points_off_and_tests_goodness_of_fit():
    fit = sampling.fit(
        "gender", Counter({"male": 850, "female": 150}), Counter({"male": 12, "female": 9})
    )
    assert fit.flagged
    female = next(s for s in fit.shares if s.value == "female")
    assert (female.extract_percent, female.sample_percent) == (15.0, 42.9)
    assert fit.degrees == 1 and fit.p_value < 0.001


def test_a_50_000_row_extract_is_read():
    extract = read_csv(io.BytesIO(extract_csv(extract_rows(50_000))))
    assert len(extract.rows) == 50_000


def test_labels_or_codes_in_any_case():
    row = extract_rows(1)[0]
    row[1], row[3], row[7] = "Community order", "FEMALE", "Very high"
    extract = read_csv(io.BytesIO(extract_csv([row])))
    assert (extract.rows[0].sentence_type, extract.rows[0].gender, extract.rows[0].rosh) == (
        "community_order",
        "female",
        "very_high",
    )


def test_a_bad_extract_is_refused_with_every_row_and_field_named():
    rows = extract_rows(6)
    rows[1][4] = "purple"  # unknown value
    rows[2][2] = "31/02/2026"  # no such date
    rows[3][0] = rows[0][0]  # duplicate reference
    rows[4][0] = "John Smith"  # a name
    rows[5][0] = "Smith"  # a name with no digit, within the pattern
    with pytest.raises(ExtractRefused) as refused:
        read_csv(io.BytesIO(extract_csv(rows)))
    assert refused.value.problems == [
        "Row 3, ethnicity: 'purple' is not one of white, asian_or_asian_british, "
        "black_or_black_british, mixed, other, not_recorded (or their labels)",
        "Row 4, start_date: '31/02/2026' is not a date (YYYY-MM-DD or DD/MM/YYYY)",
        "Row 5, ref: 'X100000' is also on row 2",
        "Row 6, ref: 'John Smith' is not a case reference ([A-Za-z0-9][A-Za-z0-9/_-]{2,29})",
        "Row 7, ref: 'Smith' has no digit and looks like a name: the extract must hold "
        "pseudonymous references only",
    ]


def test_wrong_encoding_and_wrong_columns_are_named():
    latin1 = extract_csv(extract_rows(3)).decode().replace("X100001", "X10000é").encode("latin-1")
    with pytest.raises(ExtractRefused, match="Row 3: the file is not UTF-8 text"):
        read_csv(io.BytesIO(latin1))
    with pytest.raises(ExtractRefused) as refused:
        read_csv(io.BytesIO(extract_csv(extract_rows(1), header=[*list(COLUMNS)[:-1], "name"])))
    assert refused.value.problems == [
        "Row 1: missing column 'released_from_custody'",
        "Row 1: unknown column 'name'",
    ]


def test_an_xlsx_extract_reads_like_the_csv():
    rows = extract_rows(40)
    book = Workbook()
    sheet = book.active
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    assert read_xlsx(data).rows == read_csv(io.BytesIO(extract_csv(rows))).rows
    # Cells typed as numbers and dates read as the same values.
    book = Workbook()
    book.active.append(list(COLUMNS))
    typed = [123456, rows[0][1], datetime.date(2026, 5, 4), *rows[0][3:]]
    book.active.append(typed)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    (row,) = read_xlsx(data).rows
    assert (row.ref, row.start_date) == ("123456", datetime.date(2026, 5, 4))
    with pytest.raises(ExtractRefused, match="not an Excel workbook"):
        read_xlsx(io.BytesIO(b"not a zip"))
