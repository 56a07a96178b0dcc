"""The rating arithmetic, pure: counts and framework bands in, ratings and score out.

Nothing here touches the database, so every band edge can be unit-tested directly. Ratings are the
string values of inspection.choices.Rating ("good", ...); the engine does not import Django.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction


@dataclass(frozen=True)
class Count:
    """How many relevant cases (answered yes or no) and how many of them were yes."""

    yes: int
    relevant: int

    def __post_init__(self):
        if self.yes < 0 or self.relevant < 0 or self.yes > self.relevant:
            raise ValueError(f"impossible count {self.yes}/{self.relevant}")

    @property
    def has_relevant_cases(self) -> bool:
        return self.relevant > 0

    @property
    def fraction(self) -> Fraction | None:
        return Fraction(self.yes, self.relevant) if self.relevant else None

    @property
    def percent(self) -> int | None:
        return percent_half_up(self.yes, self.relevant)

    @property
    def no(self) -> int:
        return self.relevant - self.yes


NO_CASES = Count(0, 0)


@dataclass(frozen=True)
class Band:
    rating: str
    min_percent: Decimal
    points: int


@dataclass(frozen=True)
class OverallBand:
    rating: str
    min_score: int
    max_score: int


@dataclass(frozen=True)
class LimitingRule:
    if_standard: str
    has_rating: str
    then_standard: str
    forbidden_ratings: frozenset[str]
    description: str


@dataclass(frozen=True)
class RuleBreach:
    rule: LimitingRule
    rating: str

    @property
    def message(self) -> str:
        return f"{self.rule.then_standard} cannot be rated {self.rating}: {self.rule.description}"


def percent_half_up(yes: int, relevant: int) -> int | None:
    """Whole percentage, halves rounded up (11/21 -> 52, 1/8 -> 13); None with no relevant cases."""
    if relevant == 0:
        return None
    return (200 * yes + relevant) // (2 * relevant)


def band_rating(count: Count, bands: Sequence[Band]) -> str | None:
    """The highest band whose threshold the exact fraction reaches (never the rounded percent)."""
    if not count.has_relevant_cases:
        return None
    for band in sorted(bands, key=lambda b: b.min_percent, reverse=True):
        if Decimal(count.yes * 100) >= band.min_percent * count.relevant:
            return band.rating
    return None


def lowest_key_question(counts: Mapping[str, Count]) -> str | None:
    """Code of the key question with the lowest yes proportion; the first listed wins a tie."""
    lowest_code, lowest = None, None
    for code, count in counts.items():
        if count.has_relevant_cases and (lowest is None or count.fraction < lowest):
            lowest_code, lowest = code, count.fraction
    return lowest_code


def standard_rating(counts: Mapping[str, Count], bands: Sequence[Band]) -> str | None:
    """A case-rated standard takes the band of its lowest key question."""
    code = lowest_key_question(counts)
    return band_rating(counts[code], bands) if code else None


def limiting_rule_breaches(
    ratings: Mapping[str, str | None], rules: Iterable[LimitingRule]
) -> list[RuleBreach]:
    breaches = []
    for rule in rules:
        limited = ratings.get(rule.then_standard)
        if ratings.get(rule.if_standard) == rule.has_rating and limited in rule.forbidden_ratings:
            breaches.append(RuleBreach(rule=rule, rating=limited))
    return breaches


def max_score(scored_standards: Sequence[str], bands: Sequence[Band]) -> int:
    """0 for a framework that scores nothing (no scored standards, or no bands)."""
    return len(scored_standards) * max((band.points for band in bands), default=0)


def score(
    ratings: Mapping[str, str | None], scored_standards: Sequence[str], bands: Sequence[Band]
) -> int | None:
    """Sum of points over the scored standards; None while any of them has no rating, and for a
    framework that scores nothing."""
    if not scored_standards or not bands:
        return None
    points = {band.rating: band.points for band in bands}
    total = 0
    for code in scored_standards:
        rating = ratings.get(code)
        if rating is None:
            return None
        total += points[rating]
    return total


def overall_rating(total: int | None, overall_bands: Sequence[OverallBand]) -> str | None:
    if total is None:
        return None
    for band in overall_bands:
        if band.min_score <= total <= band.max_score:
            return band.rating
    return None
