"""For code that writes bundles of made-up cases (the demo, the tests' region inspections): the
questions such a case is asked, by the one definition of which questions apply
(cases.counting.applies), so a generated bundle never answers one the import would refuse."""

from collections.abc import Iterator

from cases.counting import applies
from inspection.framework.spec import FrameworkSpec, QuestionSpec


def questions_asked(spec: FrameworkSpec, case: dict) -> Iterator[QuestionSpec]:
    """The questions a bundle's case (its fields and its `attributes`) is asked, in the
    framework's order: its standard, its item group and the question itself all apply."""
    values = {**case, **case["attributes"]}
    groups = {group.code: group for group in spec.item_groups}
    for question in spec.questions:
        standard = spec.standard(question.standard_code) if question.standard_code else None
        group = groups.get(question.group_code) if question.group_code else None
        if all(
            applies(part.when, values) for part in (standard, question, group) if part is not None
        ):
            yield question
