"""Disclosure control of the breakdowns: primary and complementary suppression, and what the HTML
gives away. The report publishes every key question's total, so a row hiding exactly one group
would let anyone work that group out; no row may do so."""

import itertools
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from cases.models import Answer
from inspection.framework.rating_engine import Count
from inspection.framework.spec import load_framework_spec
from reports.breakdowns import (
    ATTRIBUTES,
    MIN_RELEVANT_CASES,
    Reason,
    counts_by_attributes,
    key_question_breakdowns,
    suppression,
)

SMALL, OTHER = Reason.FEWER_THAN_MINIMUM, Reason.COMPLEMENTARY
# Rows of the reference report that would give a hidden group away without complementary
# suppression: the 28 that hid exactly one group (13 by sentence type, 13 by gender with 2 women
# in the sample, 1 by disability) and 2 that hid one group with cases beside empty ones (2.1.1 by
# sentence type and by ethnicity: licence cases have no court work).
ROWS_NEEDING_COMPLEMENTARY = 30


def row_of(*relevant: int) -> list[Count]:
    """A row of groups with these relevant cases; the yes counts never matter for suppression."""
    return [Count(r // 2, r) for r in relevant]


# --- The pure rule ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "relevant, expected",
    [
        pytest.param((10, 8, 5), (None, None, None), id="no small group: all shown"),
        pytest.param((10, 3, 8), (None, SMALL, OTHER), id="one small: the next smallest too"),
        pytest.param((3, 10), (SMALL, OTHER), id="one small of two: both hidden"),
        pytest.param((10, 3, 2, 8), (None, SMALL, SMALL, None), id="two small hide each other"),
        pytest.param((3, 4, 0), (SMALL, SMALL, SMALL), id="all small"),
        pytest.param((3,), (SMALL,), id="the only group, small"),
        pytest.param((12,), (None,), id="the only group, large"),
        pytest.param((), (), id="no groups"),
        pytest.param((4, 6, 6), (SMALL, OTHER, None), id="tie: the first in order"),
        pytest.param((6, 4, 6), (OTHER, SMALL, None), id="tie: the first in order, before it"),
        pytest.param((7, 4, 6), (None, SMALL, OTHER), id="the smallest, not the first"),
        pytest.param((0, 9), (SMALL, OTHER), id="no relevant cases counts as small"),
        pytest.param((0, 3, 9), (SMALL, SMALL, OTHER), id="an empty hidden group protects nothing"),
        pytest.param((5, 4), (OTHER, SMALL), id="exactly the minimum is shown"),
    ],
)
def test_suppression(relevant, expected):
    assert suppression(row_of(*relevant)) == expected


def test_suppression_ignores_the_yes_counts():
    assert suppression([Count(0, 9), Count(1, 3)]) == suppression([Count(9, 9), Count(3, 3)])


def test_no_row_ever_leaves_exactly_one_group_hidden():
    """Every row of up to four groups, sizes around the threshold: the rule holds for all."""
    sizes = (0, 1, MIN_RELEVANT_CASES - 1, MIN_RELEVANT_CASES, MIN_RELEVANT_CASES + 1, 20)
    for width in range(1, 5):
        for relevant in itertools.product(sizes, repeat=width):
            reasons = suppression(row_of(*relevant))
            hidden = [r for r in reasons if r is not None]
            assert len(hidden) != 1 or width == 1, relevant
            for size, reason in zip(relevant, reasons, strict=True):
                assert (reason is SMALL) == (size < MIN_RELEVANT_CASES), relevant
            assert reasons.count(OTHER) <= 1, relevant


# --- The reference inspection -------------------------------------------------------------------


def hidden_one_group(cells) -> bool:
    return len(cells) > 1 and sum(1 for cell in cells if cell.suppressed) == 1


@pytest.mark.django_db
def test_no_breakdown_row_of_the_reference_inspection_hides_exactly_one_group(
    reference_inspection,
):
    spec = load_framework_spec(reference_inspection.framework)
    breakdowns = key_question_breakdowns(reference_inspection.pk, spec)
    rows = [(b.attribute.field, row) for b in breakdowns for row in b.rows]
    assert not [(field, row.question.code) for field, row in rows if hidden_one_group(row.cells)]
    complementary = {
        (field, row.question.code)
        for field, row in rows
        if any(cell.reason is OTHER for cell in row.cells)
    }
    # Exactly the rows where small groups alone would have left one hidden, worked out afresh.
    needing = set()
    by_attribute = counts_by_attributes(reference_inspection.pk)
    for attribute in ATTRIBUTES:
        counts = by_attribute[attribute.field]
        groups = {value for _, value in counts}
        for code in {code for code, _ in counts}:
            relevant = {g: counts.get((code, g), Count(0, 0)).relevant for g in groups}
            small = [g for g in groups if relevant[g] < 5]
            small_with_cases = [g for g in small if relevant[g]]
            if len(groups) > len(small) and (len(small) == 1 or len(small_with_cases) == 1):
                needing.add((attribute.field, code))
    print(f"breakdown rows needing complementary suppression: {len(complementary)} of {len(rows)}")
    assert complementary == needing
    assert len(complementary) == ROWS_NEEDING_COMPLEMENTARY


class BreakdownTables(HTMLParser):
    """{caption: [(row header, [cell text, ...]), ...]} for each breakdown table on a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[tuple[str, list[str]]]] = {}
        self.in_table = False
        self.caption: str | None = None
        self.text: list[str] | None = None
        self.row: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "table" and "app-breakdown-table" in classes:
            self.in_table, self.caption = True, None
        elif self.in_table and tag in ("caption", "th", "td"):
            self.text = []
        elif self.in_table and tag == "tr":
            self.row = []
        elif self.text is not None and tag == "br":
            self.text.append(" ")

    def handle_endtag(self, tag):
        if not self.in_table:
            return
        if tag in ("caption", "th", "td") and self.text is not None:
            text = " ".join("".join(self.text).split())
            self.text = None
            if tag == "caption":
                self.caption = text
                self.tables[text] = []
            elif self.row is not None:
                self.row.append(text)
        elif tag == "tr" and self.row is not None:
            if len(self.row) > 1 and self.row[0] != "Key question":
                self.tables[self.caption].append((self.row[0], self.row[1:]))
            self.row = None
        elif tag == "table":
            self.in_table = False

    def handle_data(self, data):
        if self.text is not None:
            self.text.append(data)


def breakdown_tables(html: str) -> dict[str, list[tuple[str, list[str]]]]:
    parser = BreakdownTables()
    parser.feed(html)
    return parser.tables


PRIMARY_TEXT = f"Fewer than {MIN_RELEVANT_CASES}"
COMPLEMENTARY_TEXT = f"Hidden to protect a group of fewer than {MIN_RELEVANT_CASES}"


@pytest.fixture
def reference_report_html(client, admin_user, reference_inspection) -> str:
    client.force_login(admin_user)
    response = client.get(reverse("reports:report", args=[reference_inspection.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_the_reference_report_page_never_hides_exactly_one_group(reference_report_html):
    tables = breakdown_tables(reference_report_html)
    assert len(tables) == len(ATTRIBUTES)
    complementary = 0
    for caption, rows in tables.items():
        for header, cells in rows:
            hidden = [c for c in cells if c in (PRIMARY_TEXT, COMPLEMENTARY_TEXT)]
            shown = [c for c in cells if re.fullmatch(r"\d+% \d+ of \d+", c)]
            assert len(hidden) + len(shown) == len(cells), (caption, header, cells)
            assert len(hidden) != 1 or len(cells) == 1, (caption, header, cells)
            complementary += COMPLEMENTARY_TEXT in cells
    assert complementary == ROWS_NEEDING_COMPLEMENTARY
    # "Hidden" is explained beside the rule for small groups.
    rule = " ".join(reference_report_html.split())
    assert "the next smallest group is hidden too (“Hidden”)" in rule


@pytest.mark.django_db
def test_a_hidden_cells_figures_are_nowhere_in_the_html(
    reference_inspection, reference_report_html
):
    """By gender, 2.2.1: 2 women (primary) and so the 19 men (complementary) are both hidden."""
    answers = Answer.objects.filter(
        case__inspection=reference_inspection, question__code="2.2.1", value__in=["yes", "no"]
    )
    men = answers.filter(case__gender="male")
    assert (men.filter(value="yes").count(), men.count()) == (16, 19)  # 84%
    assert answers.filter(case__gender="female").count() == 2

    tables = breakdown_tables(reference_report_html)
    engaging = dict(tables["By gender"])[
        "2.2.1 Does assessment focus sufficiently on engaging the person on probation?"
    ]
    assert engaging == [COMPLEMENTARY_TEXT, PRIMARY_TEXT]
    # The row's markup holds no number but its code and the threshold: nothing in a hidden span,
    # a title or a data attribute.
    gender = reference_report_html[reference_report_html.index('id="breakdown-gender"') :]
    gender = gender[: gender.index("</table>")]
    row = next(tr for tr in gender.split("<tr") if ">2.2.1<" in tr)
    markup = re.sub(f"(?i)fewer than {MIN_RELEVANT_CASES}", "", row.replace("2.2.1", ""))
    assert not re.search(r"\d", markup), markup
    assert "16 of 19" not in gender and "84%" not in gender
