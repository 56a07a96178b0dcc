"""The sections of a case page: each case-rated standard, then resettlement and case-level items."""

from dataclasses import dataclass

from inspection.choices import AppliesWhen, QuestionKind
from inspection.framework.spec import FrameworkSpec, QuestionSpec

ITEM_SECTIONS = {
    QuestionKind.RESETTLEMENT: ("R", "Resettlement"),
    QuestionKind.CASE_LEVEL: ("C", "Case-level items"),
}
NOT_APPLICABLE_REASONS = {
    AppliesWhen.COURT_WORK: (
        "Court work does not apply to this case: the PDU gave no pre-sentence information or "
        "advice to court."
    ),
    AppliesWhen.RESETTLEMENT: (
        "Resettlement does not apply to this case: the person was not released from custody."
    ),
}


@dataclass(frozen=True)
class QuestionNode:
    """A key question with its prompts, or a resettlement / case-level item (no prompts)."""

    question: QuestionSpec
    prompts: tuple[QuestionSpec, ...] = ()

    @property
    def questions(self) -> tuple[QuestionSpec, ...]:
        return (self.question, *self.prompts)


@dataclass(frozen=True)
class Section:
    code: str
    title: str
    applies_when: str
    nodes: tuple[QuestionNode, ...]

    @property
    def questions(self) -> list[QuestionSpec]:
        return [q for node in self.nodes for q in node.questions]

    @property
    def key_questions(self) -> list[QuestionSpec]:
        return [n.question for n in self.nodes if n.question.kind == QuestionKind.KEY_QUESTION]

    @property
    def not_applicable_reason(self) -> str:
        return NOT_APPLICABLE_REASONS.get(self.applies_when, "")


def case_sections(spec: FrameworkSpec) -> list[Section]:
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
                QuestionNode(kq, tuple(prompts_by_parent.get(kq.code, ())))
                for kq in standard.key_questions
            ),
        )
        for standard in spec.standards
        if not standard.judged
    ]
    for kind, (code, title) in ITEM_SECTIONS.items():
        items = [q for q in spec.questions if q.kind == kind]
        if items:
            sections.append(
                Section(
                    code=code,
                    title=title,
                    applies_when=items[0].applies_when,
                    nodes=tuple(QuestionNode(item) for item in items),
                )
            )
    return sections


def section_by_code(sections: list[Section], code: str) -> Section | None:
    return next((s for s in sections if s.code == code), None)


def field_id(code: str, part: str = "value") -> str:
    """HTML id / name stem for a question's field: 2.2.1 -> q2-2-1-value."""
    return f"q{code.replace('.', '-')}-{part}"
