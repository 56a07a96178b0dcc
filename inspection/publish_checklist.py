"""What stops an inspection being published, as the publish page lists it: every check's reasons
(reports/publishing.py calls them) under the check's heading, each linking to where it is put
right when a page exists.

A check returns plain sentences; one that knows the page to link returns Blockers, which are
sentences too (lifecycle.move refuses with them, the admin joins them), carrying the link.
"""

from dataclasses import dataclass


class Blocker(str):
    """A reason publishing is refused, and the address of the page where it is put right."""

    url: str

    def __new__(cls, reason: str, url: str = ""):
        blocker = super().__new__(cls, reason)
        blocker.url = url
        return blocker


def link_of(reason: str) -> str:
    """Where a reason is put right: its link if it is a Blocker, "" if a plain sentence."""
    return getattr(reason, "url", "")


@dataclass(frozen=True)
class BlockerGroup:
    heading: str
    # (reason, where it is put right or ""), in the order the checks found them.
    blockers: tuple[tuple[str, str], ...]
