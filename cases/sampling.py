"""Drawing an inspection's case sample from a caseload extract: pure functions, no database.

The algorithm, documented because a sample must be reproducible from its seed and extract alone:

1. Strata. Each eligible row falls in one stratum (by default community or licence, from its
   sentence type: `stratum_of`).
2. Allocation. The target size is shared between strata in proportion to their sizes by the
   largest-remainder method (Hamilton's): each stratum gets the whole part of its exact quota,
   and the seats left go one each to the largest fractional parts; ties go to the larger stratum,
   then to the stratum named first alphabetically.
3. Draw. Within each stratum the rows are put in order of their reference (so the file's own
   order changes nothing), then shuffled by Python's `random.Random` (Mersenne Twister) seeded
   with "SEED:STRATUM". The first rows of the shuffle are the sample (simple random sampling
   without replacement); the next ones, in order, are the stratum's reserve. Replacing a case
   takes the first unused reserve of its stratum.
4. Representativeness. Per attribute, the sample's share of each value beside the extract's;
   a value is flagged where the shares differ by REPRESENTATIVE_GAP percentage points or more;
   Pearson's chi-square goodness-of-fit test of the sample's counts against the extract's
   proportions gives a p-value (`chi_square_p`).
"""

import math
import random
import secrets
from collections import Counter
from dataclasses import dataclass
from statistics import NormalDist

from inspection.framework.case_attributes import SentenceType

ALGORITHM = "largest-remainder allocation; simple random sampling within strata (v1)"
COMMUNITY, LICENCE = "community", "licence"
COMMUNITY_TYPES = {SentenceType.COMMUNITY_ORDER, SentenceType.SUSPENDED_SENTENCE_ORDER}
REPRESENTATIVE_GAP = 10  # percentage points
RESERVE_SHARE, RESERVE_MIN = 0.5, 3  # each stratum's reserve: half its quota, at least three


def new_seed() -> int:
    """A seed for a draw given none: random, and stored with the draw so it can be repeated."""
    return secrets.randbelow(2**31)


def stratum_of(sentence_type: str) -> str:
    return COMMUNITY if sentence_type in COMMUNITY_TYPES else LICENCE


def sample_size(population: int, *, confidence: float = 0.95, margin: float = 0.1) -> int:
    """Cases needed to estimate a proportion within `margin` (0.1: plus or minus ten points) at
    `confidence`, for a caseload of `population` cases: Cochran's n0 = z^2 p(1-p) / e^2 with the
    most cautious p = 0.5, then the finite population correction n = n0 / (1 + (n0 - 1) / N)."""
    if population <= 0:
        return 0
    if not 0 < confidence < 1 or not 0 < margin < 1:
        raise ValueError("confidence and margin are proportions between 0 and 1")
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    n0 = z * z * 0.25 / (margin * margin)
    return min(population, math.ceil(n0 / (1 + (n0 - 1) / population)))


def largest_remainder(sizes: dict[str, int], total: int) -> dict[str, int]:
    """`total` seats shared among strata of `sizes` in proportion (Hamilton's method), never
    more than a stratum holds."""
    population = sum(sizes.values())
    if total > population:
        raise ValueError(f"cannot draw {total} cases from {population}")
    if population == 0:
        return dict.fromkeys(sizes, 0)
    exact = {name: total * size / population for name, size in sizes.items()}
    seats = {name: math.floor(quota) for name, quota in exact.items()}
    left = total - sum(seats.values())
    by_remainder = sorted(sizes, key=lambda n: (-(exact[n] - seats[n]), -sizes[n], n))
    for name in by_remainder[:left]:
        seats[name] += 1
    return seats


@dataclass(frozen=True)
class Drawn:
    """One stratum's draw: its sample and its ordered reserve (references)."""

    stratum: str
    size: int
    sample: tuple[str, ...]
    reserve: tuple[str, ...]


def reserve_size(quota: int, available: int) -> int:
    return min(available, max(RESERVE_MIN, math.ceil(quota * RESERVE_SHARE)))


def draw(strata: dict[str, list[str]], total: int, seed: int) -> list[Drawn]:
    """Each stratum's sample and reserve, from the references in each stratum."""
    seats = largest_remainder({name: len(refs) for name, refs in strata.items()}, total)
    drawn = []
    for name in sorted(strata):
        refs = sorted(strata[name])
        shuffled = random.Random(f"{seed}:{name}").sample(refs, len(refs))
        quota = seats[name]
        reserve = reserve_size(quota, len(refs) - quota)
        drawn.append(
            Drawn(
                name, len(refs), tuple(shuffled[:quota]), tuple(shuffled[quota : quota + reserve])
            )
        )
    return drawn


def chi_square_p(statistic: float, degrees: int) -> float:
    """P(X >= statistic) for X chi-square with `degrees` degrees of freedom: the regularised upper
    incomplete gamma function Q(k/2, x/2), by its series below a + 1 and its continued fraction
    above (Numerical Recipes, 6.2)."""
    if degrees <= 0:
        return 1.0
    if statistic <= 0:
        return 1.0
    a, x = degrees / 2, statistic / 2
    log_front = -x + a * math.log(x) - math.lgamma(a)
    if x < a + 1:
        term = total = 1 / a
        n = a
        for _ in range(1000):
            n += 1
            term *= x / n
            total += term
            if abs(term) < abs(total) * 1e-15:
                break
        return max(0.0, 1 - total * math.exp(log_front))
    tiny = 1e-300
    b = x + 1 - a
    c, d = 1 / tiny, 1 / b
    h = d
    for i in range(1, 1000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        step = d * c
        h *= step
        if abs(step - 1) < 1e-15:
            break
    return min(1.0, math.exp(log_front) * h)


@dataclass(frozen=True)
class ValueShare:
    value: str
    extract_count: int
    sample_count: int
    extract_percent: float
    sample_percent: float
    label: str = ""  # as people read the value ("Community order"); the value if none

    @property
    def gap(self) -> float:
        return self.sample_percent - self.extract_percent

    @property
    def flagged(self) -> bool:
        return abs(self.gap) >= REPRESENTATIVE_GAP


@dataclass(frozen=True)
class AttributeFit:
    attribute: str
    shares: tuple[ValueShare, ...]
    chi_square: float
    degrees: int
    p_value: float
    name: str = ""  # as people read the attribute ("Sentence type")

    @property
    def flagged(self) -> bool:
        return any(s.flagged for s in self.shares)


def fit(
    attribute: str, extract: Counter, sample: Counter, *, name: str = "", labels=None
) -> AttributeFit:
    """How the sample's values of one attribute compare with the extract's (`name` and `labels`,
    {value: label}, say them in words)."""
    labels = labels or {}
    extract_total, sample_total = sum(extract.values()), sum(sample.values())
    values = sorted(extract, key=str)
    shares, statistic, categories = [], 0.0, 0
    for value in values:
        expected_share = extract[value] / extract_total if extract_total else 0
        shares.append(
            ValueShare(
                str(value),
                extract[value],
                sample[value],
                round(100 * expected_share, 1),
                round(100 * sample[value] / sample_total, 1) if sample_total else 0.0,
                labels.get(str(value), str(value)),
            )
        )
        expected = expected_share * sample_total
        if expected > 0:
            statistic += (sample[value] - expected) ** 2 / expected
            categories += 1
    degrees = max(categories - 1, 0)
    return AttributeFit(
        attribute,
        tuple(shares),
        round(statistic, 4),
        degrees,
        chi_square_p(statistic, degrees),
        name or attribute,
    )
