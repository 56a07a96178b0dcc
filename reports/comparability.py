"""Which figures of one framework may stand beside which of another: like with like only.

Pure: framework specs in, answers out; nothing here reads the database.

- A question is comparable with the question of the other framework that asks the same thing:
  a mapping in either framework's file (`equivalents`: {other framework code: its code there})
  says which; without one, versions of the same framework (same code) keep their codes. Between
  different frameworks, no mapping means no comparison. A key question only ever corresponds to a
  key question (a prompt or item is not a figure of the same kind).
- A case-rated standard's rating is the band of its lowest key question, so two standards'
  ratings compare only when the frameworks band the same way and the one standard's key questions
  correspond exactly to the other's. A judged standard has no questions to map: it compares only
  with the standard of the same code in another version of the same framework.
- Scores and overall ratings compare only when both frameworks score out of the same maximum with
  the same rating bands, points and overall bands.
"""

from dataclasses import dataclass

from inspection.choices import QuestionKind
from inspection.framework.spec import FrameworkSpec, QuestionSpec, StandardSpec

DIFFERENT_SCORING = "not comparable: different scoring"


@dataclass(frozen=True)
class Verdict:
    comparable: bool
    reason: str = ""  # why not, in words for the page; empty when comparable


def _question(framework: FrameworkSpec, code: str) -> QuestionSpec | None:
    return next((q for q in framework.questions if q.code == code), None)


def _is_key(question: QuestionSpec) -> bool:
    return question.kind == QuestionKind.KEY_QUESTION


def question_counterpart(source: FrameworkSpec, code: str, target: FrameworkSpec) -> str | None:
    """The code in `target` of the question `code` of `source` asks, or None: no comparison.

    A mapping in `source`'s file wins; then one in `target`'s file (only if exactly one of its
    questions claims the code, else it is ambiguous); then, within one framework (same code), the
    same code. A mapping to a question `target` does not have, or of another kind, maps to nothing.
    """
    question = _question(source, code)
    if question is None:
        return None
    if source.id == target.id:
        return code

    def same_kind(candidate: QuestionSpec | None) -> str | None:
        if candidate is None or _is_key(candidate) != _is_key(question):
            return None
        return candidate.code

    mapped = dict(question.equivalents).get(target.code)
    if mapped is not None:
        return same_kind(_question(target, mapped))
    claims = [q for q in target.questions if dict(q.equivalents).get(source.code) == code]
    if claims:
        return same_kind(claims[0]) if len(claims) == 1 else None
    if source.code == target.code:
        return same_kind(_question(target, code))
    return None


def _band_rule(framework: FrameworkSpec) -> frozenset:
    return frozenset((b.rating, b.min_percent, b.points) for b in framework.bands)


def standard_counterpart(source: FrameworkSpec, code: str, target: FrameworkSpec) -> str | None:
    """The code of the rated standard of `target` whose rating means what `code`'s does in
    `source`, or None."""
    standard = next((s for s in source.standards if s.code == code and s.rated), None)
    if standard is None:
        return None
    if source.id == target.id:
        return code
    if standard.judged:
        other = next((s for s in target.standards if s.code == code), None)
        same = source.code == target.code and other is not None
        return code if same and other.rated and other.judged else None
    if not standard.key_questions or _band_rule(source) != _band_rule(target):
        return None
    mapped = {question_counterpart(source, kq.code, target) for kq in standard.key_questions}
    if None in mapped or len(mapped) != len(standard.key_questions):
        return None
    other = _standard_asking(target, mapped)
    return other.code if other and other.rated and not other.judged else None


def _standard_asking(framework: FrameworkSpec, codes: set) -> StandardSpec | None:
    return next(
        (s for s in framework.standards if {kq.code for kq in s.key_questions} == codes), None
    )


def scoring(first: FrameworkSpec, second: FrameworkSpec) -> Verdict:
    """Whether scores and overall ratings under the two frameworks may be compared."""
    if first.id == second.id:
        return Verdict(True)
    for framework in (first, second):
        if not framework.has_scores:
            return Verdict(False, f"{DIFFERENT_SCORING}: {framework.code} gives no score")
    if first.max_score != second.max_score:
        return Verdict(
            False,
            f"{DIFFERENT_SCORING}: {first.code} scores out of {first.max_score}, "
            f"{second.code} out of {second.max_score}",
        )
    same_overall = set(first.overall_bands) == set(second.overall_bands)
    if _band_rule(first) != _band_rule(second) or not same_overall:
        return Verdict(
            False,
            f"{DIFFERENT_SCORING}: {first.code} and {second.code} both score out of "
            f"{first.max_score} but with different bands",
        )
    return Verdict(True)
