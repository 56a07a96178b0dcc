"""A whole case laid out for reading back: each section, and in it every question the case is
asked with its answer and evidence note (the check-your-answers and print pages)."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from inspection.framework.spec import QuestionSpec

from .answer_form import has_note_box
from .completeness import needing_answers
from .counting import attributes_of
from .models import Answer, Case
from .sections import Section, field_id


@dataclass(frozen=True)
class AnsweredQuestion:
    question: QuestionSpec
    value: str
    note: str
    has_note: bool

    @property
    def anchor(self) -> str:
        """The question's form group on its section page: its fieldset, legend and all, so a
        link lands with the question's heading in view."""
        return f"{field_id(self.question.code)}-group"


@dataclass
class SectionReview:
    section: Section
    applies: bool
    questions: list[AnsweredQuestion] = field(default_factory=list)


def review_case(
    case: Case, sections: list[Section], answers: Mapping[str, Answer]
) -> list[SectionReview]:
    """Every section in order; where it applies, every question the case is asked in it."""
    attributes = attributes_of(case)
    values = {code: a.value for code, a in answers.items()}
    asked: dict[str, list[QuestionSpec]] = {}
    for needed in needing_answers(sections, values, attributes):
        asked.setdefault(needed.section.code, []).append(needed.question)
    reviews = []
    for section in sections:
        review = SectionReview(section, case.applies(section.when))
        for question in asked.get(section.code, []) if review.applies else []:
            stored = answers.get(question.code)
            review.questions.append(
                AnsweredQuestion(
                    question,
                    stored.value if stored else "",
                    stored.note if stored else "",
                    has_note_box(question),
                )
            )
        reviews.append(review)
    return reviews
