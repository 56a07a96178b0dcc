"""cases/agreement.py against Gwet's own irrCAC package: Cohen's kappa and Gwet's AC1 with their
standard errors and 95% intervals, to 4 decimals, on textbook tables and on 20 generated
inspections' double-marked key questions."""

import random

import pandas as pd
import pytest
from irrCAC.datasets import table_cont3x3abstractors
from irrCAC.table import CAC
from scipy import stats

from cases import agreement

CATEGORIES = ["yes", "no", "na"]

TEXTBOOK = {
    # Gwet's 3x3 abstractors table (irrCAC's dataset, from his handbook).
    "abstractors": table_cont3x3abstractors().values.tolist(),
    # The kappa paradoxes (Feinstein and Cicchetti 1990): high agreement, low kappa.
    "paradox-1": [[40, 9], [6, 45]],
    "paradox-2": [[80, 10], [5, 5]],
    "paradox-3": [[118, 5], [2, 0]],
    # Cohen's 1960 style 3x3 with an empty row.
    "empty-row": [[25, 3, 0], [4, 30, 2], [0, 0, 0]],
}


def reference(counts, method):
    names = [f"c{i}" for i in range(len(counts))]
    frame = pd.DataFrame(counts, index=names, columns=names)
    return getattr(CAC(frame, digits=12), method)()["est"]


def assert_same(ours, theirs):
    def scalar(x):
        return float(x[0]) if hasattr(x, "__len__") else float(x)

    low, high = theirs["confidence_interval"]
    assert ours.value == pytest.approx(scalar(theirs["coefficient_value"]), abs=5e-5)
    assert ours.se == pytest.approx(scalar(theirs["se"]), abs=5e-5)
    assert ours.low == pytest.approx(scalar(low), abs=5e-5)
    assert ours.high == pytest.approx(scalar(high), abs=5e-5)
    assert ours.pa == pytest.approx(scalar(theirs["pa"]), abs=5e-5)
    assert ours.pe == pytest.approx(scalar(theirs["pe"]), abs=5e-5)


@pytest.mark.parametrize("name", TEXTBOOK)
def test_textbook_tables(name):
    counts = TEXTBOOK[name]
    assert_same(agreement.cohen_kappa(counts), reference(counts, "cohen"))
    assert_same(agreement.gwet_ac1(counts), reference(counts, "gwet"))


def generated_inspection(seed: int) -> list[tuple[str, str]]:
    """One inspection's double-marked answers: 4 to 12 cases of 8 to 30 key questions, the
    second marker agreeing with the first at a rate drawn for the inspection."""
    rng = random.Random(seed)
    agree = rng.uniform(0.55, 0.97)
    pairs = []
    for _ in range(rng.randrange(4, 13) * rng.randrange(8, 31)):
        first = rng.choices(CATEGORIES, weights=[60, 30, 10])[0]
        second = first if rng.random() < agree else rng.choice(CATEGORIES)
        pairs.append((first, second))
    return pairs


@pytest.mark.parametrize("seed", range(20))
def test_twenty_generated_inspections(seed):
    counts = agreement.table(generated_inspection(seed), CATEGORIES)
    assert_same(agreement.cohen_kappa(counts), reference(counts, "cohen"))
    assert_same(agreement.gwet_ac1(counts), reference(counts, "gwet"))


def test_student_t_quantiles_equal_scipys():
    for degrees in (1, 2, 5, 20, 99, 1000):
        for p in (0.9, 0.95, 0.975, 0.995):
            assert agreement.t_quantile(p, degrees) == pytest.approx(
                stats.t.ppf(p, degrees), abs=1e-8
            )


def test_edge_cases():
    assert agreement.cohen_kappa([[0, 0], [0, 0]]) is None
    # Every answer in one category: kappa undefined, AC1 defined (agreement is perfect).
    everything_yes = [[30, 0, 0], [0, 0, 0], [0, 0, 0]]
    assert agreement.cohen_kappa(everything_yes).value is None
    assert agreement.gwet_ac1(everything_yes).value == pytest.approx(1.0)
    one_pair = agreement.gwet_ac1([[1, 0], [0, 0]])
    assert one_pair.low is None  # no interval from one pair


def test_by_question_and_pooled_equal_irrcac():
    rng = random.Random(11)
    pairs = {}
    for code, agree in (("2.1.1", 0.95), ("2.2.1", 0.9), ("2.3.1", 0.4)):
        pairs[code] = []
        for _ in range(40):
            first = rng.choices(CATEGORIES, weights=[60, 30, 10])[0]
            second = first if rng.random() < agree else rng.choice(CATEGORIES)
            pairs[code].append((first, second))
    found = agreement.by_question(pairs, CATEGORIES)
    assert [q.code for q in found] == ["2.1.1", "2.2.1", "2.3.1", ""]
    for item in found:
        its_pairs = pairs[item.code] if item.code else [p for c in sorted(pairs) for p in pairs[c]]
        counts = agreement.table(its_pairs, CATEGORIES)
        assert item.pairs == len(its_pairs)
        assert item.observed == pytest.approx(sum(a == b for a, b in its_pairs) / len(its_pairs))
        assert_same(item.kappa, reference(counts, "cohen"))
        assert_same(item.ac1, reference(counts, "gwet"))
    weak = {q.code for q in found if q.weak}
    assert "2.3.1" in weak and "2.1.1" not in weak
