"""How far two inspectors' answers agree, beyond chance: observed agreement, Cohen's kappa and
Gwet's AC1 with their standard errors and confidence intervals, for two raters and nominal
categories (yes, no, not applicable). Pure arithmetic on a contingency table.

The formulas are Gwet's (Handbook of Inter-Rater Reliability, 4th ed., ch. 2-3), as his irrCAC
package computes them for two raters ("table" functions, identity weights), so the figures can
be checked against it: variance (1 - f) / (n (1 - pe)^2) * (sum over cells of p_kl * (w_kl -
2 (1 - coefficient) * b_kl)^2 - (pa - 2 (1 - coefficient) pe)^2), the interval from Student's t
with n - 1 degrees of freedom, its upper end at most 1. f = 0: the pairs are taken as a sample
of an unbounded population of judgements.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Coefficient:
    name: str
    value: float | None  # None: undefined (every answer in one category, for kappa)
    se: float | None
    low: float | None
    high: float | None
    pa: float  # observed agreement
    pe: float  # agreement expected by chance


def table(pairs: Iterable[tuple[str, str]], categories: Sequence[str]) -> list[list[int]]:
    """counts[k][l]: pairs the first rater put in category k and the second in l."""
    index = {c: i for i, c in enumerate(categories)}
    counts = [[0] * len(categories) for _ in categories]
    for first, second in pairs:
        counts[index[first]][index[second]] += 1
    return counts


def _margins(counts):
    n = sum(map(sum, counts))
    q = len(counts)
    rows = [sum(counts[k]) / n for k in range(q)]
    cols = [sum(counts[k][l] for k in range(q)) / n for l in range(q)]  # noqa: E741
    cells = [[counts[k][l] / n for l in range(q)] for k in range(q)]  # noqa: E741
    pa = sum(cells[k][k] for k in range(q))
    return n, q, rows, cols, cells, pa


def _interval(name, value, variance, n, pa, pe, confidence) -> Coefficient:
    se = math.sqrt(max(variance, 0.0))
    if n < 2:
        return Coefficient(name, value, se, None, None, pa, pe)
    half = t_quantile(0.5 + confidence / 2, n - 1) * se
    return Coefficient(name, value, se, value - half, min(1.0, value + half), pa, pe)


def cohen_kappa(counts, confidence: float = 0.95) -> Coefficient | None:
    if not counts or sum(map(sum, counts)) == 0:
        return None
    n, q, rows, cols, cells, pa = _margins(counts)
    pe = sum(rows[k] * cols[k] for k in range(q))
    if pe >= 1:
        return Coefficient("Cohen's kappa", None, None, None, None, pa, pe)
    kappa = (pa - pe) / (1 - pe)
    total = sum(
        cells[k][l] * ((1 if k == l else 0) - (1 - kappa) * (cols[k] + rows[l])) ** 2
        for k in range(q)
        for l in range(q)  # noqa: E741
    )
    variance = (total - (pa - 2 * (1 - kappa) * pe) ** 2) / (n * (1 - pe) ** 2)
    return _interval("Cohen's kappa", kappa, variance, n, pa, pe, confidence)


def gwet_ac1(counts, confidence: float = 0.95) -> Coefficient | None:
    if not counts or sum(map(sum, counts)) == 0:
        return None
    n, q, rows, cols, cells, pa = _margins(counts)
    if q < 2:
        return Coefficient("Gwet's AC1", None, None, None, None, pa, 1.0)
    pi = [(rows[k] + cols[k]) / 2 for k in range(q)]
    # With identity weights the weights' total is q, so tw / (q (q - 1)) is 1 / (q - 1).
    pe = sum(p * (1 - p) for p in pi) / (q - 1)
    ac1 = (pa - pe) / (1 - pe)
    total = sum(
        cells[k][l]
        * ((1 if k == l else 0) - 2 * (1 - ac1) * (1 - (pi[k] + pi[l]) / 2) / (q - 1)) ** 2
        for k in range(q)
        for l in range(q)  # noqa: E741
    )
    variance = (total - (pa - 2 * (1 - ac1) * pe) ** 2) / (n * (1 - pe) ** 2)
    return _interval("Gwet's AC1", ac1, variance, n, pa, pe, confidence)


def _beta_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the incomplete beta function (Numerical Recipes 6.4)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1, a - 1
    c, d = 1.0, 1 - qab * x / qap
    d = 1 / (tiny if abs(d) < tiny else d)
    h = d
    for m in range(1, 1000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1 + aa * d
        d = 1 / (tiny if abs(d) < tiny else d)
        c = 1 + aa / c
        c = tiny if abs(c) < tiny else c
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1 + aa * d
        d = 1 / (tiny if abs(d) < tiny else d)
        c = 1 + aa / c
        c = tiny if abs(c) < tiny else c
        step = d * c
        h *= step
        if abs(step - 1) < 1e-15:
            break
    return h


def _incomplete_beta(a: float, b: float, x: float) -> float:
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1) / (a + b + 2):
        return front * _beta_fraction(a, b, x) / a
    return 1 - front * _beta_fraction(b, a, 1 - x) / b


def t_cdf(t: float, degrees: int) -> float:
    """P(T <= t) for Student's t with `degrees` degrees of freedom."""
    tail = _incomplete_beta(degrees / 2, 0.5, degrees / (degrees + t * t)) / 2
    return 1 - tail if t > 0 else tail


def t_quantile(p: float, degrees: int) -> float:
    """The t with P(T <= t) = p, by bisection (to 1e-12)."""
    low, high = -1e3, 1e3
    for _ in range(200):
        middle = (low + high) / 2
        if t_cdf(middle, degrees) < p:
            low = middle
        else:
            high = middle
        if high - low < 1e-12:
            break
    return (low + high) / 2


@dataclass(frozen=True)
class QuestionAgreement:
    """How two markers agree on one key question (or, code "", over all of them)."""

    code: str
    pairs: int
    observed: float  # the share of pairs that agree
    kappa: Coefficient | None
    ac1: Coefficient | None
    weak: bool  # AC1's interval reaches below WEAK_BELOW


WEAK_BELOW = 0.6  # "moderate" agreement on the usual scales: below it, a question is flagged


def by_question(
    pairs: dict[str, list[tuple[str, str]]], categories: Sequence[str], weak_below=WEAK_BELOW
) -> list[QuestionAgreement]:
    """Each key question's agreement (by code, in code order), then all questions' pairs pooled
    (code "")."""

    def one(code, its_pairs):
        counts = table(its_pairs, categories)
        ac1 = gwet_ac1(counts)
        agree = sum(1 for first, second in its_pairs if first == second)
        lowest = None if ac1 is None else (ac1.low if ac1.low is not None else ac1.value)
        weak = lowest is not None and lowest < weak_below
        return QuestionAgreement(
            code,
            len(its_pairs),
            agree / len(its_pairs) if its_pairs else 0.0,
            cohen_kappa(counts),
            ac1,
            weak,
        )

    found = [one(code, pairs[code]) for code in sorted(pairs) if pairs[code]]
    pooled = [pair for code in sorted(pairs) for pair in pairs[code]]
    return found + ([one("", pooled)] if pooled else [])
