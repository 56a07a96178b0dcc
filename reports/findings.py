"""Findings in the published report's words: "... did not take place in 9 out of 17 relevant cases".

Pure: a prompt's wording and its yes / relevant count in, an English sentence out.
"""

from dataclasses import dataclass

from inspection.framework.rating_engine import Count

from .prose import in_words


@dataclass(frozen=True)
class Wording:
    """How a finding reads: subject, then what happened or did not, then the cases.

    Wording("Child safeguarding information sharing", "took place", "did not take place").
    """

    subject: str
    happened: str
    did_not_happen: str

    @classmethod
    def for_question(cls, question) -> "Wording":
        """The framework's own finding wording for this question, else its text as a criterion."""
        if question.finding:
            return cls(*question.finding)
        return cls.from_prompt(question.text)

    @classmethod
    def from_prompt(cls, text: str) -> "Wording":
        """A framework prompt is worded as a criterion ("Home visit undertaken where necessary"),
        with no verb to negate, so the finding says whether the criterion was met."""
        return cls(subject=text.strip().rstrip(".") + ":", happened="met", did_not_happen="not met")


def _cases(n: int) -> str:
    return "case" if n == 1 else "cases"


def finding_sentence(wording: Wording, count: Count, *, negative: bool | None = None) -> str:
    """One sentence for a prompt's count.

    negative=True states the cases answered no, False the cases answered yes; None (the default)
    states whichever the report would lead with: the failing cases when fewer than half passed.
    With no relevant cases the sentence says so instead of giving a count.
    """
    if not count.has_relevant_cases:
        return f"{wording.subject.rstrip(':')}: none of the cases inspected was relevant."
    if negative is None:
        negative = count.yes * 2 < count.relevant
    number, verb = (count.no, wording.did_not_happen) if negative else (count.yes, wording.happened)
    return (
        f"{wording.subject} {verb} in {number} out of {count.relevant} relevant "
        f"{_cases(count.relevant)}."
    )


def rating_sentence(
    unit: str, standard: str, rating_label: str, lowest: Count, key_question_total: int
) -> str:
    """Why a case-rated standard has its rating: its lowest key question's score, in the
    published report's words ("... as the lowest score of the three questions was 67 per cent.").
    """
    if not lowest.has_relevant_cases:
        return f"{standard} cannot be rated yet: no relevant cases have been answered."
    if key_question_total == 1:
        reason = f"its key question scored {lowest.percent} per cent"
    else:
        reason = (
            f"the lowest score of the {in_words(key_question_total)} questions was "
            f"{lowest.percent} per cent"
        )
    return f"{unit} is rated as '{rating_label}' for {standard.lower()} as {reason}."


def rating_basis(key_question_total: int) -> str:
    """How a case-rated standard is rated: the report's footnote to "Our rating for ..."."""
    if key_question_total == 1:
        return (
            "The rating for the standard is driven by the score for the key question, which is "
            "placed in a rating band."
        )
    return (
        "The rating for the standard is driven by the lowest score on each of the key "
        "questions, which is placed in a rating band, indicated in bold in the table."
    )


def key_questions_in_words(key_question_total: int) -> str:
    """ "the key question", "three key questions": what a standard's rating is based on."""
    if key_question_total == 1:
        return "the key question"
    return f"{in_words(key_question_total)} key questions"
