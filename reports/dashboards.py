"""What the PDU, region and national dashboards show.

Two kinds of figure, on purpose:
- Listings (a PDU's own inspections; a region's PDUs, each by its latest inspection) name
  inspections, so they show only those the user may see (access.visible_inspections).
- Region and national averages, and every figure of the national overview, are the same whoever
  looks: they pool each PDU's latest *published* inspection, including PDUs the user cannot
  otherwise see, and never an unpublished one. They are totals only: they name no inspection and
  carry no case detail, so "national" means national even for a manager scoped to one PDU.
Only each PDU's latest inspection counts, so a PDU inspected twice is not counted twice; averages
pool the counts (sum of yes over sum of relevant cases). A page's listings and averages come from
one query, so the number of queries stays fixed.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import BooleanField, ExpressionWrapper, Q

from cases.blinding import blind_inspection_ids
from cases.summary import InspectionSummary
from inspection.access import visible_inspections
from inspection.choices import InspectionStatus, Rating
from inspection.framework.rating_engine import Count
from inspection.framework.spec import FrameworkSpec, QuestionSpec, StandardSpec
from inspection.models import PDU, Inspection, Region

from .charts import Chart, bar_chart, stacked_bar_chart
from .like_with_like import (
    Matcher,
    NotComparable,
    frameworks_left_out,
    lines_over_time,
    pool,
    scoring_note,
)
from .publication import with_record_ids
from .results import key_question_count, latest_per_pdu, summaries_for
from .sorting import SortOrder, parse_sort, sort_rows

NOT_YET_RATED = "Not yet rated"
RATING_CHART_CLASSES = tuple(f"app-chart__rating--{value}" for value in Rating.values) + (
    "app-chart__rating--none",
)


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


@dataclass(frozen=True)
class Inclusion:
    """Which inspections a page's figures rest on, so the page can say so."""

    inspections: int
    pdus: int
    regions: int
    unpublished: int

    @classmethod
    def of(cls, inspections: Sequence[Inspection]) -> "Inclusion":
        return cls(
            inspections=len(inspections),
            pdus=len({i.pdu_id for i in inspections}),
            regions=len({i.pdu.region_id for i in inspections}),
            unpublished=sum(1 for i in inspections if i.status != InspectionStatus.PUBLISHED),
        )

    @property
    def sentence(self) -> str:
        if not self.inspections:
            return "There are no inspections here that you are allowed to see."
        text = (
            f"Includes {_plural(self.inspections, 'inspection')} of {_plural(self.pdus, 'PDU')} "
            f"in {_plural(self.regions, 'region')}."
        )
        if self.unpublished == 1 and self.inspections == 1:
            text += " It is not yet published, so its figures may still change."
        elif self.unpublished == 1:
            text += " 1 of them is not yet published, so its figures may still change."
        elif self.unpublished:
            text += (
                f" {self.unpublished} of them are not yet published, so their figures may "
                "still change."
            )
        return text

    @property
    def published_phrase(self) -> str:
        """How many inspections an average over published inspections rests on."""
        if not self.inspections:
            return "no published inspections"
        return (
            f"{_plural(self.inspections, 'published inspection')} of {_plural(self.pdus, 'PDU')} "
            f"in {_plural(self.regions, 'region')}"
        )


def counted_for(user):
    """The inspections whose figures the dashboards show this user: those they may see, less
    any in which they mark a case second while it is blind (cases.blinding)."""
    return visible_inspections(user).exclude(pk__in=blind_inspection_ids(user))


def visible_and_published(user, **filters) -> tuple[list[Inspection], list[Inspection]]:
    """(inspections the user may see, every published inspection), each newest first.

    One query: each row is marked with whether the user may see it, so listings and averages
    together cost what the listings alone did.
    """
    may_see = ExpressionWrapper(
        Q(pk__in=counted_for(user).values("pk")), output_field=BooleanField()
    )
    inspections = list(
        with_record_ids(Inspection.objects.with_place())
        .filter(**filters)
        .annotate(may_see=may_see)
        .filter(Q(may_see=True) | Q(status=InspectionStatus.PUBLISHED))
        .order_by("-fieldwork_start", "-pk")
    )
    return (
        [i for i in inspections if i.may_see],
        [i for i in inspections if i.status == InspectionStatus.PUBLISHED],
    )


def published_newest_first(**filters) -> list[Inspection]:
    return list(
        with_record_ids(Inspection.objects.with_place())
        .filter(status=InspectionStatus.PUBLISHED, **filters)
        .order_by("-fieldwork_start", "-pk")
    )


def rated_standards(framework: FrameworkSpec) -> tuple[StandardSpec, ...]:
    return tuple(s for s in framework.standards if s.rated)


def case_key_questions(framework: FrameworkSpec) -> tuple[QuestionSpec, ...]:
    return tuple(kq for s in framework.standards if not s.judged for kq in s.key_questions)


def _percent(count: Count | None) -> int | None:
    return count.percent if count else None


# --- PDU ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    question: QuestionSpec
    pdu: Count
    region: Count
    national: Count
    # Inspections left out of each average: their framework has no equivalent question.
    region_left_out: int = 0
    national_left_out: int = 0


@dataclass(frozen=True)
class TrendRow:
    label: str
    code: str
    # ratings (str | None) or Counts, one per inspection, oldest first; NOT_COMPARABLE where the
    # inspection's framework has no equivalent (reports/like_with_like.py)
    cells: tuple
    note: str = ""  # why some cells are not comparable
    framework: str = ""  # the framework the row's code belongs to, when not the latest's


@dataclass(frozen=True)
class PduDashboard:
    pdu: PDU
    latest: InspectionSummary | None
    history: tuple[InspectionSummary, ...]
    rating_trend: tuple[TrendRow, ...]
    key_question_trend: tuple[TrendRow, ...]
    comparisons: tuple[Comparison, ...]
    inclusion: Inclusion
    region_inclusion: Inclusion
    national_inclusion: Inclusion
    score_chart: Chart | None
    comparison_chart: Chart | None
    # (summary, whether its score and overall rating compare with the latest's), oldest first
    score_cells: tuple[tuple[InspectionSummary, bool], ...] = ()
    score_note: str = ""


def _trend_row(line, latest: FrameworkSpec, label: str) -> TrendRow:
    framework = line.framework.code if line.framework.id != latest.id else ""
    return TrendRow(label, line.item.code, line.cells, line.note, framework)


def pdu_dashboard(user, pdu: PDU) -> PduDashboard:
    visible, published = visible_and_published(user)
    own = [i for i in visible if i.pdu_id == pdu.pk]
    latest_each = latest_per_pdu(published)
    in_region = [i for i in latest_each if i.pdu.region_id == pdu.region_id]
    summaries = summaries_for(own + latest_each)
    history = tuple(summaries[i.pk] for i in reversed(own))
    latest = history[-1] if history else None

    comparisons: tuple[Comparison, ...] = ()
    rating_trend: tuple[TrendRow, ...] = ()
    key_question_trend: tuple[TrendRow, ...] = ()
    score_chart = comparison_chart = None
    score_cells: tuple = ()
    score_note = ""
    if latest:
        framework = latest.framework
        matcher = Matcher()
        region_summaries = [summaries[i.pk] for i in in_region]
        national_summaries = [summaries[i.pk] for i in latest_each]
        comparisons = []
        for kq in case_key_questions(framework):
            region = pool(framework, kq.code, region_summaries, matcher)
            national = pool(framework, kq.code, national_summaries, matcher)
            comparisons.append(
                Comparison(
                    question=kq,
                    pdu=key_question_count(latest, kq.code) or Count(0, 0),
                    region=region.count,
                    national=national.count,
                    region_left_out=region.left_out,
                    national_left_out=national.left_out,
                )
            )
        comparisons = tuple(comparisons)
        rating_trend = tuple(
            _trend_row(line, framework, line.item.name)
            for line in lines_over_time(
                history, rated_standards, matcher.rating, matcher.standard, "standard"
            )
        )
        key_question_trend = tuple(
            _trend_row(line, framework, line.item.text)
            for line in lines_over_time(
                history, case_key_questions, matcher.count, matcher.question
            )
        )
        score_cells = tuple((s, matcher.score_comparable(framework, s)) for s in history)
        score_note = scoring_note(framework, history, matcher)
        score_chart = bar_chart(
            "score-trend",
            f"Score out of {latest.max_score} at each inspection of {pdu.name} PDU",
            "Horizontal bar chart, one bar per inspection scored the same way as the latest, "
            "oldest first. The table of ratings at each inspection gives the same scores.",
            [
                (f"{s.inspection.fieldwork_start:%b %Y}", [s.score])
                for s, comparable in score_cells
                if comparable
            ],
            ["Score"],
            maximum=latest.max_score,
            unit="",
            ticks=3,
        )
        comparison_chart = bar_chart(
            "key-question-comparison",
            f"Key questions: {pdu.name} PDU against the region and national averages",
            "Horizontal bar chart of the percentage of relevant cases answered yes, three bars "
            "per key question: this PDU's latest inspection, the region's average and the "
            "national average. The table that follows gives the same figures.",
            [
                (c.question.code, [_percent(c.pdu), _percent(c.region), _percent(c.national)])
                for c in comparisons
            ],
            ["This PDU", f"{pdu.region.name} region", "National"],
            maximum=100,
        )
    return PduDashboard(
        pdu=pdu,
        latest=latest,
        history=history,
        rating_trend=rating_trend,
        key_question_trend=key_question_trend,
        comparisons=comparisons,
        inclusion=Inclusion.of(own),
        region_inclusion=Inclusion.of(in_region),
        national_inclusion=Inclusion.of(latest_each),
        score_chart=score_chart,
        comparison_chart=comparison_chart,
        score_cells=score_cells,
        score_note=score_note,
    )


# --- Region -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    hidden_label: str
    aria_sort: str
    href: str
    numeric: bool


@dataclass(frozen=True)
class RowFigures:
    """One PDU's figures in the columns of the framework shown: NOT_COMPARABLE where its own
    framework has no equivalent."""

    summary: InspectionSummary
    ratings: tuple
    counts: tuple
    score_comparable: bool


@dataclass(frozen=True)
class RegionDashboard:
    region: Region
    rows: tuple[InspectionSummary, ...]
    # Inspections of the region itself that the user may see, newest first.
    region_inspections: tuple[InspectionSummary, ...]
    standards: tuple[StandardSpec, ...]
    key_questions: tuple[QuestionSpec, ...]
    rating_columns: tuple[Column, ...]
    key_question_columns: tuple[Column, ...]
    averages: tuple[Count, ...]  # over average_inclusion, not only the rows listed
    sort: SortOrder
    inclusion: Inclusion
    average_inclusion: Inclusion
    score_chart: Chart | None
    figures: tuple[RowFigures, ...] = ()  # the rows' figures, in the rows' order
    average_left_out: tuple[int, ...] = ()  # one per key question, as averages
    score_note: str = ""
    framework: FrameworkSpec | None = None  # whose columns are shown: the newest row's
    other_frameworks: str = ""  # the frameworks of rows or averaged inspections besides it

    @property
    def average_cells(self) -> tuple[tuple[Count, int], ...]:
        return tuple(zip(self.averages, self.average_left_out, strict=True))


def newest_framework(summaries: Sequence[InspectionSummary]) -> FrameworkSpec | None:
    """The framework of the most recent inspection: the one a page's columns follow."""
    if not summaries:
        return None
    return max(summaries, key=lambda s: (s.inspection.fieldwork_start, s.inspection.pk)).framework


def _rank(framework: FrameworkSpec):
    points = {band.rating: band.points for band in framework.bands}
    return lambda rating: points.get(rating) if rating else None


def _fraction(count: Count | None) -> Fraction | None:
    return count.fraction if count else None


def region_sort_values(framework: FrameworkSpec, matcher: Matcher | None = None) -> dict:
    """{sort key: function of a summary giving the value to sort by (None sorts last)}.

    A figure not comparable with the framework shown sorts as if missing."""
    matcher = matcher or Matcher()
    rank = _rank(framework)

    def comparable(figure):
        return None if isinstance(figure, NotComparable) else figure

    def scored(s, value):
        return value if matcher.score_comparable(framework, s) else None

    values = {
        "pdu": lambda s: s.inspection.pdu.name.lower(),
        "fieldwork": lambda s: s.inspection.fieldwork_start,
        "score": lambda s: scored(s, s.score),
        "overall": lambda s: scored(s, rank(s.overall_rating)),
    }
    for standard in rated_standards(framework):
        values[standard.code] = lambda s, code=standard.code: rank(
            comparable(matcher.rating(framework, code, s))
        )
    for kq in case_key_questions(framework):
        values[kq.code] = lambda s, code=kq.code: _fraction(
            comparable(matcher.count(framework, code, s))
        )
    return values


def region_dashboard(user, region: Region, params) -> RegionDashboard:
    visible, published = visible_and_published(user, pdu__region=region)
    latest = sorted(latest_per_pdu(visible), key=lambda i: i.pdu.name.lower())
    latest_published = latest_per_pdu(published)
    own = list(
        with_record_ids(counted_for(user)).filter(region=region).order_by("-fieldwork_start", "-pk")
    )
    summaries = summaries_for(latest + latest_published + own)
    rows = [summaries[i.pk] for i in latest]
    published_summaries = [summaries[i.pk] for i in latest_published]
    # Columns follow the newest PUBLISHED framework, so a fieldwork inspection on a trial version
    # does not reshape the page; the unpublished rows' framework only where none is published.
    framework = newest_framework(published_summaries) or newest_framework(rows)
    matcher = Matcher()
    values = region_sort_values(framework, matcher) if framework else {"pdu": None}
    sort = parse_sort(params, values, "pdu", ascending_first=["pdu"])
    if framework:
        rows = sort_rows(rows, values[sort.key], sort.descending)

    def column(key, label, hidden_label="", numeric=True):
        return Column(key, label, hidden_label, sort.aria_sort(key), sort.query_for(key), numeric)

    standards = rated_standards(framework) if framework else ()
    key_questions = case_key_questions(framework) if framework else ()
    rating_columns = (
        column("pdu", "PDU", numeric=False),
        column("fieldwork", "Fieldwork", numeric=False),
        column("score", "Score"),
        column("overall", "Overall", " rating", numeric=False),
        *(column(s.code, s.code, f" {s.name}", numeric=False) for s in standards),
    )
    key_question_columns = (
        column("pdu", "PDU", numeric=False),
        *(column(kq.code, kq.code, f" {kq.text}") for kq in key_questions),
    )
    figures = tuple(
        RowFigures(
            summary=s,
            ratings=tuple(matcher.rating(framework, st.code, s) for st in standards),
            counts=tuple(matcher.count(framework, kq.code, s) for kq in key_questions),
            score_comparable=matcher.score_comparable(framework, s),
        )
        for s in rows
    )
    averages = tuple(pool(framework, kq.code, published_summaries, matcher) for kq in key_questions)
    score_chart = None
    if rows:
        score_chart = bar_chart(
            "region-scores",
            f"Score out of {framework.max_score} of each PDU in {region.name} region",
            "Horizontal bar chart, one bar per PDU's latest inspection scored the same way as "
            "the newest, in the table's order. The ratings table gives the same scores.",
            [
                (f.summary.inspection.pdu.name, [f.summary.score])
                for f in figures
                if f.score_comparable
            ],
            ["Score"],
            maximum=framework.max_score,
            unit="",
            label_width=210,
            ticks=3,
        )
    return RegionDashboard(
        region=region,
        rows=tuple(rows),
        region_inspections=tuple(summaries[i.pk] for i in own),
        standards=standards,
        key_questions=key_questions,
        rating_columns=rating_columns,
        key_question_columns=key_question_columns,
        averages=tuple(average.count for average in averages),
        sort=sort,
        inclusion=Inclusion.of(latest),
        average_inclusion=Inclusion.of(latest_published),
        score_chart=score_chart,
        figures=figures,
        average_left_out=tuple(average.left_out for average in averages),
        score_note=scoring_note(framework, rows, matcher) if framework else "",
        framework=framework,
        other_frameworks=frameworks_left_out(framework, rows + published_summaries)
        if framework
        else "",
    )


# --- National -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DistributionRow:
    label: str  # short, beside the chart's bar
    name: str  # in full, in the table
    counts: tuple[int, ...]  # one per rating in Rating order, then not yet rated
    left_out: int = 0  # PDUs whose framework has no equivalent (or scores differently)


@dataclass(frozen=True)
class RegionLine:
    region: Region
    pdus: int
    overall: tuple[int, ...]  # as DistributionRow.counts
    left_out: int = 0  # PDUs not counted in `overall`: their framework scores differently


@dataclass(frozen=True)
class NationalOverview:
    rating_labels: tuple[str, ...]
    regions: tuple[RegionLine, ...]
    distribution: tuple[DistributionRow, ...]
    averages: tuple[tuple[QuestionSpec, Count], ...]
    inclusion: Inclusion
    distribution_chart: Chart | None
    averages_chart: Chart | None
    average_left_out: tuple[int, ...] = ()  # one per average: inspections with no equivalent
    framework: FrameworkSpec | None = None  # whose standards and questions are shown
    other_frameworks: str = ""
    score_note: str = ""

    @property
    def average_rows(self) -> tuple[tuple[QuestionSpec, Count, int], ...]:
        return tuple(
            (question, count, left_out)
            for (question, count), left_out in zip(
                self.averages, self.average_left_out, strict=True
            )
        )


def rating_counts(ratings: Sequence[str | None]) -> tuple[int, ...]:
    return tuple(sum(1 for r in ratings if r == value) for value in Rating.values) + (
        sum(1 for r in ratings if r is None),
    )


def national_overview(user, regions: Sequence[Region]) -> NationalOverview:
    """Totals by region and nationally over each PDU's latest published inspection.

    The same for every user, so `user` goes unused: nothing here names an inspection.
    """
    latest = latest_per_pdu(published_newest_first())
    summaries = summaries_for(latest)
    included = [summaries[i.pk] for i in latest]
    labels = (*Rating.labels, NOT_YET_RATED)
    # The newest inspection's framework is the one shown; others count only where comparable.
    framework = newest_framework(included)
    matcher = Matcher()
    scored_alike = [s for s in included if matcher.score_comparable(framework, s)]
    region_rows = []
    for region in regions:
        in_region = [s for s in included if s.inspection.pdu.region_id == region.pk]
        alike = [s for s in scored_alike if s.inspection.pdu.region_id == region.pk]
        region_rows.append(
            RegionLine(
                region,
                len(in_region),
                rating_counts([s.overall_rating for s in alike]),
                left_out=len(in_region) - len(alike),
            )
        )
    region_rows = tuple(region_rows)
    if not included:
        return NationalOverview(labels, region_rows, (), (), Inclusion.of(latest), None, None)

    distribution = []
    for standard in rated_standards(framework):
        ratings = [matcher.rating(framework, standard.code, s) for s in included]
        comparable = [r for r in ratings if not isinstance(r, NotComparable)]
        distribution.append(
            DistributionRow(
                label=standard.code,
                name=f"{standard.code} {standard.name}",
                counts=rating_counts(comparable),
                left_out=len(ratings) - len(comparable),
            )
        )
    distribution = tuple(distribution) + (
        DistributionRow(
            label="Overall",
            name="Overall rating",
            counts=rating_counts([s.overall_rating for s in scored_alike]),
            left_out=len(included) - len(scored_alike),
        ),
    )
    pools = [
        (kq, pool(framework, kq.code, included, matcher)) for kq in case_key_questions(framework)
    ]
    averages = tuple((kq, average.count) for kq, average in pools)
    distribution_chart = stacked_bar_chart(
        "rating-distribution",
        "How many PDUs have each rating, by standard and overall",
        "Stacked bar chart: one bar per standard and one for the overall rating, split by "
        "rating, with the number of PDUs in each part. The table that follows gives the same "
        "figures.",
        [(row.label, row.counts) for row in distribution],
        labels,
        RATING_CHART_CLASSES,
    )
    averages_chart = bar_chart(
        "national-key-questions",
        "National average for each key question",
        "Horizontal bar chart of the percentage of relevant cases answered yes for each key "
        "question, pooled across the inspections included. The table that follows gives the "
        "same figures.",
        [(kq.code, [_percent(count)]) for kq, count in averages],
        ["National"],
        maximum=100,
    )
    return NationalOverview(
        rating_labels=labels,
        regions=region_rows,
        distribution=distribution,
        averages=averages,
        inclusion=Inclusion.of(latest),
        distribution_chart=distribution_chart,
        averages_chart=averages_chart,
        average_left_out=tuple(average.left_out for _, average in pools),
        framework=framework,
        other_frameworks=frameworks_left_out(framework, included),
        score_note=scoring_note(framework, included, matcher),
    )
