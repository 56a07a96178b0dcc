"""Everything the inspection report page shows, assembled in a fixed number of queries.

Follows the published report: ratings, recommendations, background, organisational delivery
(strengths and areas for improvement), then each case-supervision standard with its key questions
and prompt findings. Adds what the printed report leaves out: relevant cases and a confidence
interval beside every percentage, and breakdowns by case characteristics.
"""

from dataclasses import dataclass

from cases.aggregation import answer_counts
from cases.summary import InspectionSummary, StandardResult, summarise_counts
from inspection.choices import Addressee, QuestionKind, Rating
from inspection.framework.rating_engine import Count
from inspection.framework.spec import QuestionSpec, StandardSpec, load_framework_spec
from inspection.models import Domain1Judgement, Inspection, Recommendation

from .breakdowns import Breakdown, key_question_breakdowns
from .findings import Wording, finding_sentence, rating_sentence
from .statistics import Interval, wilson_interval

ITEM_GROUP_TITLES = {
    QuestionKind.RESETTLEMENT: "Resettlement",
    QuestionKind.CASE_LEVEL: "Case-level findings",
}


@dataclass(frozen=True)
class Figure:
    """A yes / relevant count as shown: percentage, relevant cases, 95% interval, sentence."""

    question: QuestionSpec
    count: Count

    @property
    def code(self) -> str:
        return self.question.code

    @property
    def percent(self) -> int | None:
        return self.count.percent

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


@dataclass(frozen=True)
class OrganisationSection:
    standard: StandardSpec
    rating: str | None
    strengths: tuple[str, ...]
    areas_for_improvement: tuple[str, ...]
    limits: tuple[str, ...]


@dataclass(frozen=True)
class ItemGroup:
    title: str
    slug: str
    figures: tuple[Figure, ...]


@dataclass(frozen=True)
class RecommendationGroup:
    heading: str
    start: int
    texts: tuple[str, ...]


@dataclass(frozen=True)
class InspectionReport:
    inspection: Inspection
    summary: InspectionSummary
    case_total: int
    sample_windows: tuple
    organisation: tuple[OrganisationSection, ...]
    case_supervision: tuple[CaseStandardSection, ...]
    item_groups: tuple[ItemGroup, ...]
    recommendations: tuple[RecommendationGroup, ...]
    breakdowns: tuple[Breakdown, ...]


def _rating_label(rating: str | None) -> str:
    return Rating(rating).label if rating else ""


def case_standard_sections(summary: InspectionSummary) -> tuple[CaseStandardSection, ...]:
    unit = f"{summary.inspection.pdu.name} PDU"
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
    summary: InspectionSummary, judgements: list[Domain1Judgement]
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
        sections.append(
            OrganisationSection(
                standard=result.standard,
                rating=result.rating,
                strengths=tuple(judgement.strengths) if judgement else (),
                areas_for_improvement=tuple(judgement.areas_for_improvement) if judgement else (),
                limits=tuple(limits.get(result.code, ())),
            )
        )
    return tuple(sections)


def item_groups(summary: InspectionSummary) -> tuple[ItemGroup, ...]:
    groups = []
    for kind, title in ITEM_GROUP_TITLES.items():
        figures = tuple(
            Figure(item.question, item.count)
            for item in summary.items
            if item.question.kind == kind
        )
        if figures:
            groups.append(ItemGroup(title=title, slug=kind.replace("_", "-"), figures=figures))
    return tuple(groups)


def recommendation_groups(
    inspection: Inspection, recommendations: list[Recommendation]
) -> tuple[RecommendationGroup, ...]:
    """Grouped by addressee as the report does, numbered on from one group to the next."""
    headings = {
        Addressee.PDU: f"{inspection.pdu.name} PDU should:",
        Addressee.REGION: f"{inspection.pdu.region.name} region should:",
        Addressee.NATIONAL: "HM Prison and Probation Service (HMPPS) should:",
    }
    groups, number = [], 1
    for addressee, heading in headings.items():
        texts = tuple(r.text for r in recommendations if r.addressee == addressee)
        if texts:
            groups.append(RecommendationGroup(heading=heading, start=number, texts=texts))
            number += len(texts)
    return tuple(groups)


def build_report(inspection: Inspection) -> InspectionReport:
    judgements = list(
        Domain1Judgement.objects.filter(inspection=inspection).select_related("standard")
    )
    # The judgements are read once, for their text and for the summary's ratings.
    summary = summarise_counts(
        inspection,
        load_framework_spec(inspection.framework),
        answer_counts(inspection.pk),
        {j.standard.code: j.rating or None for j in judgements},
    )
    recommendations = list(Recommendation.objects.filter(inspection=inspection).order_by("order"))
    return InspectionReport(
        inspection=inspection,
        summary=summary,
        case_total=inspection.cases.count(),
        sample_windows=tuple(inspection.sample_windows.all()),
        organisation=organisation_sections(summary, judgements),
        case_supervision=case_standard_sections(summary),
        item_groups=item_groups(summary),
        recommendations=recommendation_groups(inspection, recommendations),
        breakdowns=tuple(key_question_breakdowns(inspection.pk, summary.framework)),
    )
