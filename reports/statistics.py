"""Confidence intervals for a yes / relevant proportion, pure.

Samples are small (about 20 cases), so the Wilson score interval is used: unlike the normal
approximation it stays inside 0 to 100% and behaves at 0 or all yes.
"""

import math
from dataclasses import dataclass

Z_95 = 1.959963984540054  # two-sided 95%


@dataclass(frozen=True)
class Interval:
    """Lower and upper bounds as proportions from 0 to 1."""

    lower: float
    upper: float

    @property
    def lower_percent(self) -> int:
        return _whole_percent(self.lower)

    @property
    def upper_percent(self) -> int:
        return _whole_percent(self.upper)

    def __str__(self) -> str:
        return f"{self.lower_percent}% to {self.upper_percent}%"


def _whole_percent(proportion: float) -> int:
    return math.floor(proportion * 100 + 0.5)


def wilson_interval(yes: int, relevant: int, z: float = Z_95) -> Interval | None:
    """The Wilson score interval for yes out of relevant; None with no relevant cases."""
    if relevant < 0 or yes < 0 or yes > relevant:
        raise ValueError(f"impossible count {yes}/{relevant}")
    if relevant == 0:
        return None
    p = yes / relevant
    z2 = z * z
    denominator = 1 + z2 / relevant
    centre = (p + z2 / (2 * relevant)) / denominator
    margin = z * math.sqrt(p * (1 - p) / relevant + z2 / (4 * relevant * relevant)) / denominator
    # With no yes (or all yes) the bound is exactly 0 (or 1); say so rather than keep float noise.
    lower = 0.0 if yes == 0 else max(0.0, centre - margin)
    upper = 1.0 if yes == relevant else min(1.0, centre + margin)
    return Interval(lower=lower, upper=upper)
