"""The written report's required parts (reports/required_parts.py), written through the
services, for tests that publish an inspection made without a report."""

from inspection.framework.spec import load_framework_spec
from inspection.models import ReportPart, Standard
from reports import report_writing

WORDS = "Written for the test."
ISBN = "978-0-306-40615-7"  # a valid ISBN-13 (check digit 7), assigned to no report
# A rating sentence for 2.5 typing a number that is no figure of 2.5: the number check flags it.
LOWEST_SCORE_TYPED = "Rated '{2.5:rating}': the lowest score was 99.5 per cent."


def write_required_parts(inspection, by) -> None:
    """A paragraph in each required part, a signatory, an ISBN, and a strength for each standard
    rated by judgement: what publishing needs of the written report, and nothing more."""
    for part in (
        ReportPart.FOREWORD,
        ReportPart.BACKGROUND,
        ReportPart.ACKNOWLEDGEMENTS,
        ReportPart.ANNEXE,
    ):
        subsection = report_writing.add_subsection(inspection, part=part, by=by)
        report_writing.add_item(subsection, list="body", kind="text", text=WORDS, by=by)
    report_writing.set_signing(inspection, signatory="Sam Signer", signatory_title="Chief", by=by)
    report_writing.set_isbn(inspection, isbn=ISBN, by=by)
    for spec in load_framework_spec(inspection.framework).standards:
        if spec.judged and spec.rated:
            standard = Standard.objects.get(pk=spec.id)
            subsection = report_writing.add_subsection(
                inspection, part=ReportPart.STANDARD, standard=standard, by=by
            )
            report_writing.add_item(subsection, list="strengths", kind="text", text=WORDS, by=by)


def word_rating_sentence(inspection, code: str, text: str, by) -> None:
    """The lead's wording of standard `code`'s rating sentence, through the service."""
    standard = Standard.objects.get(framework=inspection.framework, code=code)
    report_writing.set_rating_wording(inspection, standard, text=text, by=by)
