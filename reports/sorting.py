"""Server-side table sorting from GET parameters, with the aria-sort each header needs."""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

ASCENDING, DESCENDING = "asc", "desc"


@dataclass(frozen=True)
class SortOrder:
    key: str
    descending: bool
    # Names read best A to Z; figures best highest first.
    ascending_first: frozenset[str] = field(default=frozenset())

    def aria_sort(self, key: str) -> str:
        if key != self.key:
            return "none"
        return "descending" if self.descending else "ascending"

    def next_order(self, key: str) -> str:
        """What a header's link sorts by: the other direction when already sorted by it."""
        if key == self.key:
            return ASCENDING if self.descending else DESCENDING
        return ASCENDING if key in self.ascending_first else DESCENDING

    def query_for(self, key: str) -> str:
        return "?" + urlencode({"sort": key, "order": self.next_order(key)})


def parse_sort(
    params: Mapping[str, str],
    allowed: Iterable[str],
    default: str,
    ascending_first: Iterable[str] = (),
) -> SortOrder:
    """Unknown keys fall back to the default; anything but order=desc is ascending."""
    key = params.get("sort", default)
    if key not in set(allowed):
        key = default
    return SortOrder(
        key=key,
        descending=params.get("order") == DESCENDING,
        ascending_first=frozenset(ascending_first),
    )


def sort_rows(rows: Sequence, value: Callable[[object], object], descending: bool) -> list:
    """Sorted by value, ties kept in their given order; rows without a value always last."""
    present = [row for row in rows if value(row) is not None]
    missing = [row for row in rows if value(row) is None]
    return sorted(present, key=value, reverse=descending) + missing
