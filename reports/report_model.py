"""The one results model: everything an inspection's report states, built in one place.

Ratings, score (with the framework's points), every count, findings in the report's words,
domain-1 ratings and text, recommendations numbered once, breakdowns with disclosure control.
The report page, the PDF, the XLSX workbook, the figures CSV and `inspection_summary` only render
a Report; none of them computes. It is plain data (reports/plain_data.py), so it is stored at
publication and a published inspection's pages read what was stored (reports/publication.py).
Built in a fixed number of queries whatever the number of cases.
"""

import datetime
from dataclasses import dataclass, replace

from django.utils.text import slugify

from cases.aggregation import answer_counts
from cases.summary import InspectionSummary, QuestionResult, StandardResult, summarise_counts
from inspection.choices import Addressee, QuestionKind, Rating, Scope
from inspection.framework.rating_engine import Band, percent_half_up
from inspection.framework.spec import StandardSpec, load_framework_spec
from inspection.models import (
    Domain1Judgement,
    EvidenceTally,
    Inspection,
    PreviousProgress,
    Recommendation,
)

from .breakdowns import Breakdown, key_question_breakdowns
from .findings import (
    Wording,
    finding_sentence,
    key_questions_in_words,
    rating_basis,
    rating_sentence,
)
from .pooling import NotPooled, PooledInspection, pool
from .statistics import Interval, wilson_interval
from .written import WrittenReport, build_written_report, point_texts


@dataclass(frozen=True)
class Figure(QuestionResult):
    """A yes / relevant count as shown: percentage, relevant cases, 95% interval, sentence."""

    @property
    def interval(self) -> Interval | None:
        return wilson_interval(self.count.yes, self.count.relevant)

    @property
    def sentence(self) -> str:
        return finding_sentence(Wording.for_question(self.question), self.count)


@dataclass(frozen=True)
class KeyQuestionRow:
    figure: Figure
    drives_rating: bool
    prompts: tuple[Figure, ...]


@dataclass(frozen=True)
class CaseStandardSection:
    result: StandardResult
    rows: tuple[KeyQuestionRow, ...]
    rating_sentence: str | None

    @property
    def standard(self) -> StandardSpec:
        return self.result.standard

    @property
    def rating(self) -> str | None:
        return self.result.rating

    @property
    def based_on(self) -> str:
        """ "the key question", "three key questions"."""
        return key_questions_in_words(len(self.rows))

    @property
    def rating_basis(self) -> str:
        return rating_basis(len(self.rows))


@dataclass(frozen=True)
class OrganisationSection:
    standard: StandardSpec
    rating: str | None
    strengths: tuple[str, ...]
    areas_for_improvement: tuple[str, ...]
    limits: tuple[str, ...]
    # The judgement in words, for a standard judged but not rated.
    judgement: str = ""


@dataclass(frozen=True)
class DomainPart:
    """One domain of the report, as the framework orders them: the lead's judgements, or the
    standards rated (or reported) from the cases."""

    code: str
    name: str
    judged: bool
    organisation: tuple[OrganisationSection, ...] = ()
    case_standards: tuple[CaseStandardSection, ...] = ()

    @property
    def anchor(self) -> str:
        return "domain-" + slugify(self.code)

    @property
    def title(self) -> str:
        return f"{self.code}. {self.name}"


@dataclass(frozen=True)
class ItemGroup:
    title: str
    slug: str
    figures: tuple[Figure, ...]
    # Which cases the group's items are asked of, in words ("" for every case).
    applies_to: str = ""


@dataclass(frozen=True)
class NumberedRecommendation:
    number: int
    addressee: str
    text: str


@dataclass(frozen=True)
class RecommendationGroup:
    addressee: str
    heading: str
    items: tuple[NumberedRecommendation, ...]

    @property
    def start(self) -> int:
        return self.items[0].number


@dataclass(frozen=True)
class PreviousRecommendation:
    """A recommendation of the same place's previous inspection with the progress recorded on
    its action plan, as the lead took it into this report (reports/previous_progress.py)."""

    number: int
    addressee: str
    text: str
    state: str
    progress: str
    latest_update: str
    latest_update_on: datetime.date | None
    actions_done: int
    actions_total: int


def previous_recommendations(inspection: Inspection) -> tuple[PreviousRecommendation, ...]:
    return tuple(
        PreviousRecommendation(
            p.number,
            p.addressee,
            p.text,
            p.state,
            p.progress,
            p.latest_update,
            p.latest_update_on,
            p.actions_done,
            p.actions_total,
        )
        for p in PreviousProgress.objects.filter(inspection=inspection).order_by("number")
    )


@dataclass(frozen=True)
class SampleWindow:
    start: datetime.date
    end: datetime.date


@dataclass(frozen=True)
class EvidenceFigure:
    """A domain-1 evidence tally as the report states it, cited as {evidence:KEY}: yes out of
    relevant (percent worked out from them), relevant alone (a count), or percent alone."""

    key: str
    label: str
    source: str
    yes: int | None
    relevant: int | None
    percent: int | None


def evidence_figures(inspection: Inspection) -> tuple[EvidenceFigure, ...]:
    """The inspection's recorded tallies in the framework's order (one query)."""
    return tuple(
        EvidenceFigure(
            key=tally.question.code,
            label=tally.question.text,
            source=tally.question.source,
            yes=tally.yes,
            relevant=tally.relevant,
            percent=(
                percent_half_up(tally.yes, tally.relevant)
                if tally.yes is not None
                else tally.percent
            ),
        )
        for tally in EvidenceTally.objects.filter(inspection=inspection)
        .select_related("question")
        .order_by("question__order")
    )


@dataclass(frozen=True)
class Facts:
    """Where and when, as the report states them: a PDU renamed later leaves the record alone.

    An inspection of a region has `scope` "region" and no `pdu` (""); records stored before
    region inspections load with scope "pdu"."""

    inspection_id: int
    pdu: str
    region: str
    framework_code: str
    framework_name: str
    fieldwork_start: datetime.date
    status: str
    case_total: int
    sample_windows: tuple[SampleWindow, ...]
    scope: str = Scope.PDU.value
    programme: str = ""

    @property
    def of_region(self) -> bool:
        return self.scope == Scope.REGION

    @property
    def place(self) -> str:
        """What was inspected: "Blackburn with Darwen PDU", "North West region"."""
        return f"{self.region} region" if self.of_region else f"{self.pdu} PDU"

    @property
    def place_in_full(self) -> str:
        return self.place if self.of_region else f"{self.pdu} PDU, {self.region} region"


@dataclass(frozen=True)
class Report:
    facts: Facts
    standards: tuple[StandardResult, ...]
    items: tuple[QuestionResult, ...]
    score: int | None
    max_score: int
    overall_rating: str | None
    breaches: tuple[str, ...]
    # The framework's rating bands, for the points each rating scores.
    bands: tuple[Band, ...]
    organisation: tuple[OrganisationSection, ...]
    case_supervision: tuple[CaseStandardSection, ...]
    item_groups: tuple[ItemGroup, ...]
    recommendations: tuple[RecommendationGroup, ...]
    breakdowns: tuple[Breakdown, ...]
    # Whether the framework turns the score into an overall rating (it has overall bands).
    rates_overall: bool = True
    # A region inspection's pooled standards: the PDU inspections pooled, and those of the
    # region and programme left out with the reason (reports/pooling.py).
    pooled_inspections: tuple[PooledInspection, ...] = ()
    not_pooled: tuple[NotPooled, ...] = ()
    # Domain-1 evidence tallies (practitioner interviews, surveys, staff profile).
    evidence: tuple[EvidenceFigure, ...] = ()
    # The lead's written report, its citations resolved (reports/written.py); empty in a
    # record stored before there was one.
    text: WrittenReport = WrittenReport()
    # "Progress on previous recommendations": the copy the lead took in; empty when none was
    # (and in a record stored before there was such a section).
    previous_recommendations: tuple[PreviousRecommendation, ...] = ()

    def standard(self, code: str) -> StandardResult:
        return next(s for s in self.standards if s.code == code)

    def item(self, code: str) -> QuestionResult:
        return next(i for i in self.items if i.code == code)

    def evidence_figure(self, key: str) -> EvidenceFigure | None:
        return next((e for e in self.evidence if e.key == key), None)

    def points(self, rating: str | None) -> int | None:
        return next((b.points for b in self.bands if b.rating == rating), None)

    @property
    def rated_standard_count(self) -> int:
        return sum(1 for s in self.standards if s.standard.rated)

    @property
    def scored_standard_count(self) -> int:
        return sum(1 for s in self.standards if s.standard.rated and s.standard.scored)

    @property
    def has_score(self) -> bool:
        """The framework scores something: without bands or scored standards there is no score
        (and no "out of 0") anywhere."""
        return self.max_score > 0

    @property
    def shows_overall_rating(self) -> bool:
        return self.has_score and self.rates_overall

    @property
    def any_rated(self) -> bool:
        return self.rated_standard_count > 0

    @property
    def rated_unscored(self) -> list[StandardSpec]:
        """Standards rated but left out of the score (only where there is a score)."""
        if not self.has_score:
            return []
        return [s.standard for s in self.standards if s.standard.rated and not s.standard.scored]

    @property
    def unrated_case_standards(self) -> list[StandardSpec]:
        return [
            s.standard for s in self.standards if not s.standard.rated and not s.standard.judged
        ]

    @property
    def case_rated(self) -> bool:
        """Some standard is rated from the cases' answers."""
        return any(s.standard.rated and not s.standard.judged for s in self.standards)

    @property
    def domains(self) -> list[DomainPart]:
        parts: list[DomainPart] = []
        organisation = {s.standard.code: s for s in self.organisation}
        cases = {s.standard.code: s for s in self.case_supervision}
        for result in self.standards:
            spec = result.standard
            if not parts or parts[-1].code != spec.domain_code:
                parts.append(DomainPart(spec.domain_code, spec.domain_name, spec.judged))
            part = parts[-1]
            if spec.code in organisation:
                part = replace(part, organisation=(*part.organisation, organisation[spec.code]))
            elif spec.code in cases:
                part = replace(part, case_standards=(*part.case_standards, cases[spec.code]))
            parts[-1] = part
        return parts

    @property
    def numbered_recommendations(self) -> list[NumberedRecommendation]:
        return [item for group in self.recommendations for item in group.items]

    def as_summary_dict(self) -> dict:
        """The `inspection_summary --format json` shape (design.md's command contract)."""
        facts = self.facts
        return {
            "inspection": {
                "id": facts.inspection_id,
                "pdu": facts.pdu,
                "region": facts.region,
                "framework": facts.framework_code,
                "fieldwork_start": facts.fieldwork_start.isoformat(),
                "status": facts.status,
            },
            "standards": {s.code: s.as_dict() for s in self.standards},
            "prompts": {i.code: i.as_dict() for i in self.items},
            "score": self.score,
            "max_score": self.max_score,
            "overall_rating": self.overall_rating,
            "limiting_rule_breaches": list(self.breaches),
            # A region inspection's extras; a PDU inspection's shape is design.md's contract.
            **(
                {
                    "scope": facts.scope,
                    "programme": facts.programme,
                    "pooled_inspections": [p.inspection_id for p in self.pooled_inspections],
                }
                if facts.of_region
                else {}
            ),
        }


def _rating_label(rating: str | None) -> str:
    return Rating(rating).label if rating else ""


def case_standard_sections(
    summary: InspectionSummary, facts: Facts
) -> tuple[CaseStandardSection, ...]:
    unit = facts.place
    prompts_by_parent: dict[str, list[Figure]] = {}
    for item in summary.items:
        if item.question.kind == QuestionKind.PROMPT and item.question.parent_code:
            prompts_by_parent.setdefault(item.question.parent_code, []).append(
                Figure(item.question, item.count)
            )
    sections = []
    for result in summary.standards:
        if result.standard.judged:
            continue
        rated = result.standard.rated
        lowest = result.lowest
        sentence = None
        if rated and lowest is not None:
            sentence = rating_sentence(
                unit,
                result.standard.name,
                _rating_label(result.rating),
                lowest.count,
                len(result.key_questions),
            )
        rows = tuple(
            KeyQuestionRow(
                figure=Figure(kq.question, kq.count),
                drives_rating=rated and kq.is_lowest,
                prompts=tuple(prompts_by_parent.get(kq.code, ())),
            )
            for kq in result.key_questions
        )
        sections.append(CaseStandardSection(result=result, rows=rows, rating_sentence=sentence))
    return tuple(sections)


def organisation_sections(
    summary: InspectionSummary, judgements: list[Domain1Judgement], text: WrittenReport
) -> tuple[OrganisationSection, ...]:
    by_code = {j.standard.code: j for j in judgements}
    ratings = summary.ratings
    # A limiting rule that is in force explains the rating, as the report does for leadership.
    limits: dict[str, list[str]] = {}
    for rule in summary.framework.limiting_rules:
        if ratings.get(rule.if_standard) == rule.has_rating:
            limits.setdefault(rule.then_standard, []).append(rule.description)
    sections = []
    for result in summary.standards:
        if not result.standard.judged:
            continue
        judgement = by_code.get(result.code)
        written = text.standard(result.code)
        # The written report's first unheaded sub-section holds the standard's strengths and
        # areas (migration 0018 moved the judgement's old lists there).
        if written and any(not s.heading for s in written.subsections):
            strengths, areas = point_texts(written.subsections)
        else:
            strengths = areas = ()
        sections.append(
            OrganisationSection(
                standard=result.standard,
                rating=result.rating,
                strengths=strengths,
                areas_for_improvement=areas,
                limits=tuple(limits.get(result.code, ())),
                judgement=judgement.judgement if judgement else "",
            )
        )
    return tuple(sections)


def item_groups(summary: InspectionSummary) -> tuple[ItemGroup, ...]:
    groups = []
    for group in summary.framework.item_groups:
        condition = summary.framework.condition(group.applies_when)
        groups.append(
            ItemGroup(
                title=group.report_title,
                slug=slugify(group.report_title),
                figures=tuple(
                    Figure(item.question, item.count)
                    for item in summary.items
                    if item.question.group_code == group.code
                ),
                applies_to=condition.description if condition else "",
            )
        )
    return tuple(groups)


ADDRESSEE_ORDER = (Addressee.PDU, Addressee.REGION, Addressee.NATIONAL)


def numbered(recommendations) -> list[tuple[int, Recommendation]]:
    """The report's numbering, the one every page shows: grouped by addressee as the report
    groups them (PDU, region, HMPPS), by order within each group, numbered on from one group to
    the next."""
    ordered = sorted(
        recommendations, key=lambda r: (ADDRESSEE_ORDER.index(r.addressee), r.order, r.pk)
    )
    return list(enumerate(ordered, start=1))


def recommendation_groups(
    facts: Facts, recommendations: list[Recommendation]
) -> tuple[RecommendationGroup, ...]:
    headings = {
        Addressee.PDU: "The region's PDUs should:" if facts.of_region else f"{facts.place} should:",
        Addressee.REGION: f"{facts.region} region should:",
        Addressee.NATIONAL: "HM Prison and Probation Service (HMPPS) should:",
    }
    groups: dict[str, list[NumberedRecommendation]] = {}
    for number, recommendation in numbered(recommendations):
        addressee = str(recommendation.addressee)
        groups.setdefault(addressee, []).append(
            NumberedRecommendation(number, addressee, recommendation.text)
        )
    return tuple(
        RecommendationGroup(addressee, headings[addressee], tuple(items))
        for addressee, items in groups.items()
    )


def build_report(
    inspection: Inspection,
    *,
    names: tuple[str, str] | None = None,
    pooled_as_of: datetime.datetime | None = None,
) -> Report:
    """The report of the inspection as its data stands now.

    `names` (PDU, region) replaces the current names: verifying a published report recomputes
    it under the names it was published with, since a later renaming is not a change of results.
    `pooled_as_of` pools a region inspection's PDU results as they were published by then (the
    moment its own record was stored), for the same reason.
    """
    judgements = list(
        Domain1Judgement.objects.filter(inspection=inspection).select_related("standard")
    )
    # The judgements are read once, for their text and for the summary's ratings.
    framework = load_framework_spec(inspection.framework)
    # A region's own cases' counts, and its pooled standards' sums of its PDUs' counts.
    pooling = pool(inspection, framework, as_of=pooled_as_of)
    summary = summarise_counts(
        inspection,
        framework,
        {**answer_counts(inspection.pk, framework.conditions), **pooling.counts},
        {j.standard.code: j.rating or None for j in judgements},
    )
    recommendations = list(
        Recommendation.objects.filter(inspection=inspection).order_by("order", "pk")
    )
    # The domain-1 evidence tallies the text cites as {evidence:KEY}.
    evidence = evidence_figures(inspection)
    text = build_written_report(inspection, summary.standards, summary.items, evidence)
    facts = Facts(
        inspection_id=inspection.pk,
        pdu=names[0] if names else (inspection.pdu.name if inspection.pdu_id else ""),
        region=names[1] if names else inspection.region_of.name,
        framework_code=summary.framework.code,
        framework_name=summary.framework.name,
        fieldwork_start=inspection.fieldwork_start,
        status=inspection.status,
        case_total=inspection.cases.count(),
        sample_windows=tuple(SampleWindow(w.start, w.end) for w in inspection.sample_windows.all()),
        scope=(Scope.REGION if inspection.is_of_region else Scope.PDU).value,
        programme=inspection.programme,
    )
    return Report(
        facts=facts,
        standards=summary.standards,
        items=summary.items,
        score=summary.score,
        max_score=summary.max_score,
        overall_rating=summary.overall_rating,
        breaches=tuple(b.message for b in summary.breaches),
        bands=summary.framework.bands,
        organisation=organisation_sections(summary, judgements, text),
        case_supervision=case_standard_sections(summary, facts),
        item_groups=item_groups(summary),
        recommendations=recommendation_groups(facts, recommendations),
        breakdowns=tuple(key_question_breakdowns(inspection.pk, summary.framework)),
        rates_overall=bool(summary.framework.overall_bands),
        pooled_inspections=pooling.pooled,
        not_pooled=pooling.not_pooled,
        evidence=evidence,
        text=text,
        previous_recommendations=previous_recommendations(inspection),
    )
