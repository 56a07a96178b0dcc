"""An inspection's results: counts from the database, ratings from the engine.

`summarise_counts` rates a framework from counts, for the results model (reports/report_model.py,
which every rendering reads), the dashboards and the case list's preview; `summarise` also reads
the counts, for the publishing checks and the admin.
"""

from dataclasses import dataclass

from inspection.framework import rating_engine as engine
from inspection.framework.spec import FrameworkSpec, QuestionSpec, StandardSpec, load_framework_spec
from inspection.models import Domain1Judgement, Inspection

from .aggregation import answer_counts


@dataclass(frozen=True)
class QuestionResult:
    question: QuestionSpec
    count: engine.Count
    is_lowest: bool = False

    @property
    def code(self) -> str:
        return self.question.code

    @property
    def percent(self) -> int | None:
        return self.count.percent

    def as_dict(self) -> dict:
        return {"yes": self.count.yes, "relevant": self.count.relevant, "percent": self.percent}


@dataclass(frozen=True)
class StandardResult:
    standard: StandardSpec
    rating: str | None
    key_questions: tuple[QuestionResult, ...]

    @property
    def code(self) -> str:
        return self.standard.code

    @property
    def lowest(self) -> QuestionResult | None:
        return next((kq for kq in self.key_questions if kq.is_lowest), None)

    def as_dict(self) -> dict:
        return {
            "name": self.standard.name,
            "rated": self.standard.rated,
            "rating": self.rating,
            "key_questions": {kq.code: kq.as_dict() for kq in self.key_questions},
        }


@dataclass(frozen=True)
class InspectionSummary:
    inspection: Inspection
    framework: FrameworkSpec
    standards: tuple[StandardResult, ...]
    items: tuple[QuestionResult, ...]
    score: int | None
    max_score: int
    overall_rating: str | None
    breaches: tuple[engine.RuleBreach, ...]

    def standard(self, code: str) -> StandardResult:
        return next(s for s in self.standards if s.code == code)

    def item(self, code: str) -> QuestionResult:
        return next(i for i in self.items if i.code == code)

    @property
    def ratings(self) -> dict[str, str | None]:
        return {s.code: s.rating for s in self.standards}


def summarise_counts(
    inspection: Inspection,
    framework: FrameworkSpec,
    counts: dict[str, engine.Count],
    judged_ratings: dict[str, str | None],
) -> InspectionSummary:
    """Pure assembly of a summary from counts already fetched (used for one or many inspections)."""
    standards = []
    for spec in framework.standards:
        kq_counts = {kq.code: counts.get(kq.code, engine.NO_CASES) for kq in spec.key_questions}
        lowest = engine.lowest_key_question(kq_counts)
        if spec.judged:
            rating = judged_ratings.get(spec.code)
        elif spec.rated:
            rating = engine.standard_rating(kq_counts, framework.bands)
        else:
            rating = None  # outcomes: shown, never rated
        standards.append(
            StandardResult(
                standard=spec,
                rating=rating,
                key_questions=tuple(
                    QuestionResult(kq, kq_counts[kq.code], is_lowest=kq.code == lowest)
                    for kq in spec.key_questions
                ),
            )
        )
    ratings = {s.code: s.rating for s in standards}
    total = engine.score(ratings, framework.scored_standard_codes, framework.bands)
    return InspectionSummary(
        inspection=inspection,
        framework=framework,
        standards=tuple(standards),
        items=tuple(
            QuestionResult(q, counts.get(q.code, engine.NO_CASES)) for q in framework.findings_items
        ),
        score=total,
        max_score=framework.max_score,
        overall_rating=engine.overall_rating(total, framework.overall_bands),
        breaches=tuple(engine.limiting_rule_breaches(ratings, framework.limiting_rules)),
    )


def judged_ratings(inspection_id: int) -> dict[str, str | None]:
    return {
        code: rating or None
        for code, rating in Domain1Judgement.objects.filter(
            inspection_id=inspection_id
        ).values_list("standard__code", "rating")
    }


def summarise(inspection: Inspection | int) -> InspectionSummary:
    """A fixed number of queries whatever the number of cases."""
    if isinstance(inspection, int):
        inspection = Inspection.objects.with_place().get(pk=inspection)
    framework = load_framework_spec(inspection.framework)
    return summarise_counts(
        inspection,
        framework,
        answer_counts(inspection.pk, framework.conditions),
        judged_ratings(inspection.pk),
    )
