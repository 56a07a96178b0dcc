"""A framework read once from the database into plain values the rating engine understands."""

import threading
from dataclasses import dataclass, field

from inspection.choices import ALWAYS, QuestionKind, RatedBy
from inspection.models import (
    CaseCondition,
    Framework,
    ItemGroup,
    LimitingRule,
    OverallBand,
    Question,
    RatingBand,
    Standard,
)

from . import rating_engine as engine

# A condition as plain values: ((case attribute, (values that make it apply)), ...), sorted by
# attribute; () for a question asked of every case.
Condition = tuple[tuple[str, tuple[object, ...]], ...]


def condition_from(when: dict) -> Condition:
    return tuple(sorted((attribute, tuple(values)) for attribute, values in when.items()))


@dataclass(frozen=True)
class ConditionSpec:
    framework_id: int
    code: str
    description: str
    when: Condition
    not_applicable_reason: str

    @classmethod
    def from_row(cls, row: CaseCondition) -> "ConditionSpec":
        return cls(
            framework_id=row.framework_id,
            code=row.code,
            description=row.description,
            when=condition_from(row.when),
            not_applicable_reason=row.not_applicable_reason,
        )


@dataclass(frozen=True)
class QuestionSpec:
    id: int
    code: str
    text: str
    kind: str
    applies_when: str
    standard_code: str | None
    parent_code: str | None
    # (subject, met, not met) as the report words a finding; empty where the framework has none.
    finding: tuple[str, ...] = ()
    # Which cases it is asked of, resolved from applies_when (cases.counting.applies reads it).
    when: Condition = ()
    group_code: str | None = None
    # ((framework code, that framework's code for the same question), ...)
    equivalents: tuple[tuple[str, str], ...] = ()
    pooled_from: str = ""


@dataclass(frozen=True)
class StandardSpec:
    id: int
    code: str
    name: str
    headline: str
    domain_code: str
    domain_name: str
    rated: bool
    judged: bool
    applies_when: str
    key_questions: tuple[QuestionSpec, ...] = field(default=())
    scored: bool = True
    # Rated from the summed counts of the region's PDU inspections (region frameworks).
    pooled: bool = False
    when: Condition = ()

    @property
    def has_rating_sentence(self) -> bool:
        """Whether the report says why the standard has its rating in a sentence (made from the
        results, or worded by the lead): a rated standard, rated from cases rather than by
        judgement, with key questions (the sentence states their lowest score). The one answer
        for the writing pages, report_writing, the bundle and the written report."""
        return self.rated and not self.judged and bool(self.key_questions)


@dataclass(frozen=True)
class ItemGroupSpec:
    code: str
    name: str
    report_title: str
    applies_when: str
    when: Condition
    items: tuple[QuestionSpec, ...]


@dataclass(frozen=True)
class FrameworkSpec:
    id: int
    code: str
    name: str
    standards: tuple[StandardSpec, ...]
    questions: tuple[QuestionSpec, ...]
    bands: tuple[engine.Band, ...]
    overall_bands: tuple[engine.OverallBand, ...]
    limiting_rules: tuple[engine.LimitingRule, ...]
    scope: str = "pdu"
    pools_from: str = ""
    version: int = 1
    conditions: tuple[ConditionSpec, ...] = ()
    item_groups: tuple[ItemGroupSpec, ...] = ()

    @property
    def rated_standard_codes(self) -> list[str]:
        return [s.code for s in self.standards if s.rated]

    @property
    def scored_standard_codes(self) -> list[str]:
        return [s.code for s in self.standards if s.rated and s.scored]

    @property
    def findings_items(self) -> list[QuestionSpec]:
        return [q for q in self.questions if q.kind != QuestionKind.KEY_QUESTION]

    @property
    def max_score(self) -> int:
        return engine.max_score(self.scored_standard_codes, self.bands)

    @property
    def has_scores(self) -> bool:
        return bool(self.scored_standard_codes and self.bands)

    def condition(self, code: str) -> ConditionSpec | None:
        return next((c for c in self.conditions if c.code == code), None)

    def standard(self, code: str) -> StandardSpec:
        return next(s for s in self.standards if s.code == code)


_cache: dict[tuple[int, int], FrameworkSpec] = {}
_cache_lock = threading.Lock()
CACHE_SIZE = 16


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


def load_framework_spec(framework: Framework | int) -> FrameworkSpec:
    """The framework as plain values: from this process's cache while its revision is current.

    Given a Framework already loaded (e.g. through select_related) this costs no query when
    cached; given an id, one. Reading it from the database takes seven, whatever its size.
    """
    if isinstance(framework, int):
        framework = Framework.objects.get(pk=framework)
    key = (framework.pk, framework.revision)
    spec = _cache.get(key)
    if spec is None:
        spec = _read_framework_spec(framework)
        with _cache_lock:
            if len(_cache) >= CACHE_SIZE:
                _cache.clear()
            _cache[key] = spec
    return spec


def _read_framework_spec(framework: Framework) -> FrameworkSpec:
    framework_id = framework.pk
    conditions = tuple(
        ConditionSpec.from_row(c) for c in CaseCondition.objects.filter(framework_id=framework_id)
    )
    when = {c.code: c.when for c in conditions}
    when[ALWAYS] = ()

    questions = [
        QuestionSpec(
            id=q.id,
            code=q.code,
            text=q.text,
            kind=q.kind,
            applies_when=q.applies_when,
            standard_code=q.standard.code if q.standard_id else None,
            parent_code=q.parent.code if q.parent_id else None,
            finding=(
                (q.finding_subject, q.finding_met, q.finding_not_met) if q.finding_subject else ()
            ),
            when=when[q.applies_when],
            group_code=q.group.code if q.group_id else None,
            equivalents=tuple(sorted(q.equivalents.items())),
            pooled_from=q.pooled_from,
        )
        for q in Question.objects.filter(framework_id=framework_id)
        .select_related("standard", "parent", "group")
        .order_by("order")
    ]
    item_groups = tuple(
        ItemGroupSpec(
            code=g.code,
            name=g.name,
            report_title=g.report_title or g.name,
            applies_when=g.applies_when,
            when=when[g.applies_when],
            items=tuple(q for q in questions if q.group_code == g.code),
        )
        for g in ItemGroup.objects.filter(framework_id=framework_id).order_by("order")
    )
    standards = tuple(
        StandardSpec(
            id=s.id,
            code=s.code,
            name=s.name,
            headline=s.headline,
            domain_code=s.domain.code,
            domain_name=s.domain.name,
            rated=s.rated,
            judged=s.domain.rated_by == RatedBy.JUDGEMENT,
            applies_when=s.applies_when,
            key_questions=tuple(
                q
                for q in questions
                if q.standard_code == s.code and q.kind == QuestionKind.KEY_QUESTION
            ),
            scored=s.scored,
            pooled=s.domain.rated_by == RatedBy.POOLED,
            when=when[s.applies_when],
        )
        for s in Standard.objects.filter(framework_id=framework_id)
        .select_related("domain")
        .order_by("domain__order", "order")
    )
    return FrameworkSpec(
        id=framework_id,
        code=framework.code,
        name=framework.name,
        scope=framework.scope,
        pools_from=framework.pools_from,
        version=framework.version,
        conditions=conditions,
        item_groups=item_groups,
        standards=standards,
        questions=tuple(questions),
        bands=tuple(
            engine.Band(rating=b.rating, min_percent=b.min_percent, points=b.points)
            for b in RatingBand.objects.filter(framework_id=framework_id)
        ),
        overall_bands=tuple(
            engine.OverallBand(rating=b.rating, min_score=b.min_score, max_score=b.max_score)
            for b in OverallBand.objects.filter(framework_id=framework_id)
        ),
        limiting_rules=tuple(
            engine.LimitingRule(
                if_standard=r.if_standard.code,
                has_rating=r.has_rating,
                then_standard=r.then_standard.code,
                forbidden_ratings=frozenset(r.forbidden_ratings),
                description=r.description,
            )
            for r in LimitingRule.objects.filter(framework_id=framework_id).select_related(
                "if_standard", "then_standard"
            )
        ),
    )
