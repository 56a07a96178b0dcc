"""The sections of a case page: each standard rated from cases, then each item group, in the
framework's order."""

from dataclasses import dataclass

from inspection.choices import QuestionKind
from inspection.framework.spec import Condition, FrameworkSpec, QuestionSpec


@dataclass(frozen=True)
class QuestionNode:
    """A key question with its prompts, or an item of an item group (no prompts)."""

    question: QuestionSpec
    prompts: tuple[QuestionSpec, ...] = ()
    # Why the question is not asked of a case its condition leaves out ("" for every case).
    not_applicable_reason: str = ""

    @property
    def questions(self) -> tuple[QuestionSpec, ...]:
        return (self.question, *self.prompts)


@dataclass(frozen=True)
class Section:
    code: str
    title: str
    applies_when: str
    nodes: tuple[QuestionNode, ...]
    when: Condition = ()
    not_applicable_reason: str = ""

    @property
    def questions(self) -> list[QuestionSpec]:
        return [q for node in self.nodes for q in node.questions]

    @property
    def key_questions(self) -> list[QuestionSpec]:
        return [n.question for n in self.nodes if n.question.kind == QuestionKind.KEY_QUESTION]


def _reason(spec: FrameworkSpec, applies_when: str) -> str:
    condition = spec.condition(applies_when)
    return condition.not_applicable_reason if condition else ""


def case_sections(spec: FrameworkSpec) -> list[Section]:
    """Standards rated from the cases read (not by judgement, not pooled from PDUs)."""
    prompts_by_parent: dict[str, list[QuestionSpec]] = {}
    for question in spec.questions:
        if question.kind == QuestionKind.PROMPT:
            prompts_by_parent.setdefault(question.parent_code, []).append(question)

    sections = [
        Section(
            code=standard.code,
            title=standard.name,
            applies_when=standard.applies_when,
            nodes=tuple(
                QuestionNode(
                    kq,
                    tuple(prompts_by_parent.get(kq.code, ())),
                    _reason(spec, kq.applies_when),
                )
                for kq in standard.key_questions
            ),
            when=standard.when,
            not_applicable_reason=_reason(spec, standard.applies_when),
        )
        for standard in spec.standards
        if not standard.judged and not standard.pooled
    ]
    sections += [
        Section(
            code=group.code,
            title=group.name,
            applies_when=group.applies_when,
            nodes=tuple(QuestionNode(item) for item in group.items),
            when=group.when,
            not_applicable_reason=_reason(spec, group.applies_when),
        )
        for group in spec.item_groups
    ]
    return sections


def section_by_code(sections: list[Section], code: str) -> Section | None:
    return next((s for s in sections if s.code == code), None)


def field_id(code: str, part: str = "value") -> str:
    """HTML id / name stem for a question's field: 2.2.1 -> q2-2-1-value."""
    return f"q{code.replace('.', '-')}-{part}"
