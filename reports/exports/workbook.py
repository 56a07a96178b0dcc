"""The XLSX data workbook: ratings, every count, every case's answers, domain-1 findings.

The report's figures, ratings, domain-1 text and recommendations come from the one results model
(reports/report_model.py), rendered, never recomputed; the case sheet adds every case's answers.
A fixed number of queries whatever the number of cases.
"""

import datetime
from collections.abc import Iterable, Sequence
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from cases.choices import AgeBand, CaseStatus, Ethnicity, Gender, RoshLevel, SentenceType
from cases.models import Answer, Case
from inspection.choices import Addressee, InspectionStatus, QuestionKind, Rating
from inspection.framework.spec import FrameworkSpec, load_framework_spec
from inspection.models import Inspection

from ..report_model import Report
from .safe_text import printable

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
WRAP = Alignment(wrap_text=True, vertical="top")
DATE_FORMAT = "DD/MM/YYYY"
MIN_WIDTH, MAX_WIDTH, TEXT_WIDTH = 8, 60, 90
# Excel holds at most this many characters in a cell, and "repairs" (empties) a file with more.
EXCEL_CELL_LIMIT = 32_767
CUT = " [cut to fit the cell: the full text is in the app]"

FINDING_KINDS = (
    ("strengths", "strength", "Strength"),
    ("areas_for_improvement", "area_for_improvement", "Area for improvement"),
)
CASE_COLUMNS = (
    "Case reference",
    "Sentence type",
    "Start date",
    "Court work",
    "Resettlement",
    "Gender",
    "Ethnicity",
    "Disability",
    "Age band",
    "RoSH level",
    "Allocated practitioners",
    "Status",
)


def build_workbook(inspection: Inspection, report: Report) -> bytes:
    cases = list(Case.objects.filter(inspection=inspection).order_by("ref"))
    book = Workbook()
    book.remove(book.active)
    _summary_sheet(book, report)
    _key_questions_sheet(book, report)
    _prompts_sheet(book, report)
    _cases_sheet(book, inspection, load_framework_spec(inspection.framework), cases)
    _domain1_sheet(book, report)
    _recommendations_sheet(book, report)
    _breakdowns_sheet(book, report)
    _pooling_sheet(book, report)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _label(choices, value: str | None) -> str | None:
    return choices(value).label if value else None


def _cell_text(value):
    if not isinstance(value, str):
        return value
    text = printable(value)  # openpyxl refuses control characters
    if len(text) > EXCEL_CELL_LIMIT:
        text = text[: EXCEL_CELL_LIMIT - len(CUT)] + CUT
    return text


def _append(sheet: Worksheet, values: Iterable, *, font: Font | None = None) -> None:
    sheet.append([_cell_text(value) for value in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            # openpyxl would store this as a formula: free text must stay inert text.
            cell.data_type = "s"
        elif isinstance(cell.value, datetime.date):
            cell.number_format = DATE_FORMAT
        if font:
            cell.font = font


def _size_columns(sheet: Worksheet, text_columns: Sequence[int] = ()) -> None:
    """Fit columns to their content within bounds; long free-text columns wrap at a fixed width."""
    for index, column in enumerate(sheet.iter_cols(), start=1):
        letter = get_column_letter(index)
        if index in text_columns:
            sheet.column_dimensions[letter].width = TEXT_WIDTH
            for cell in column[1:]:
                cell.alignment = WRAP
            continue
        longest = max((len(str(c.value)) for c in column if c.value is not None), default=0)
        sheet.column_dimensions[letter].width = min(max(longest + 2, MIN_WIDTH), MAX_WIDTH)


def _table(
    book: Workbook,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    *,
    text_columns: Sequence[int] = (),
) -> Worksheet:
    sheet = book.create_sheet(title)
    _append(sheet, headers, font=BOLD)
    for row in rows:
        _append(sheet, row)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    _size_columns(sheet, text_columns)
    return sheet


def _summary_sheet(book: Workbook, summary: Report) -> None:
    facts = summary.facts
    sheet = book.create_sheet("Summary")
    _append(sheet, [facts.place_in_full], font=TITLE)
    for label, *values in (
        ("Inspection ID", facts.inspection_id),
        ("Inspection of", "A region" if facts.of_region else "A PDU"),
        ("PDU", facts.pdu or None),
        ("Region", facts.region),
        ("Programme", facts.programme or None),
        ("Framework", facts.framework_code, facts.framework_name),
        ("Fieldwork start", facts.fieldwork_start),
        ("Status", facts.status, _label(InspectionStatus, facts.status)),
        ("Cases in sample", facts.case_total),
        *(
            (("Score", summary.score), ("Max score", summary.max_score))
            if summary.has_score
            else ()
        ),
        *(
            (("Overall rating", summary.overall_rating, _label(Rating, summary.overall_rating)),)
            if summary.shows_overall_rating
            else ()
        ),
        *(("Limiting rule broken", breach) for breach in summary.breaches),
    ):
        _append(sheet, [label, *values])
        sheet.cell(sheet.max_row, 1).font = BOLD
    sheet.append([])
    # Points only where the framework has a score (none for a standard rated but not scored).
    scoring = ["Points"] if summary.has_score else []
    _append(
        sheet,
        ["Standard code", "Standard", "Domain", "Rated", "Rating code", "Rating", *scoring],
        font=BOLD,
    )
    for result in summary.standards:
        spec = result.standard
        scored = spec.rated and spec.scored
        points = [summary.points(result.rating) if scored else None]
        _append(
            sheet,
            [
                spec.code,
                spec.name,
                f"{spec.domain_code}. {spec.domain_name}",
                spec.rated,
                result.rating,
                _label(Rating, result.rating),
                *(points if summary.has_score else []),
            ],
        )
    sheet.freeze_panes = "A2"
    _size_columns(sheet)
    sheet.column_dimensions["A"].width = 22


def _key_questions_sheet(book: Workbook, summary: Report) -> None:
    rows = (
        [
            kq.code,
            kq.question.text,
            standard.code,
            standard.standard.name,
            kq.count.yes,
            kq.count.relevant,
            kq.percent,
            kq.is_lowest and standard.standard.rated,
        ]
        for standard in summary.standards
        for kq in standard.key_questions
    )
    _table(
        book,
        "Key questions",
        [
            "Code",
            "Key question",
            "Standard code",
            "Standard",
            "Yes",
            "Relevant",
            "Percent",
            "Sets the standard's rating",
        ],
        rows,
        text_columns=[2],
    )


def _prompts_sheet(book: Workbook, summary: Report) -> None:
    rows = (
        [
            item.code,
            item.question.text,
            item.question.kind,
            _label(QuestionKind, item.question.kind),
            item.question.parent_code,
            item.question.standard_code,
            item.count.yes,
            item.count.relevant,
            item.percent,
        ]
        for item in summary.items
    )
    _table(
        book,
        "Prompts",
        [
            "Code",
            "Wording",
            "Kind code",
            "Kind",
            "Parent",
            "Standard code",
            "Yes",
            "Relevant",
            "Percent",
        ],
        rows,
        text_columns=[2],
    )


def _cases_sheet(
    book: Workbook, inspection: Inspection, framework: FrameworkSpec, cases: list[Case]
) -> None:
    questions = framework.questions
    values: dict[tuple[int, int], str] = {
        (case_id, question_id): value
        for case_id, question_id, value in Answer.objects.filter(case__inspection=inspection)
        .order_by()
        .values_list("case_id", "question_id", "value")
    }

    def answer(case: Case, question) -> str | None:
        # Applicability follows from the case's flags, so show "na" where it does not apply (as
        # the counts treat it), and a blank only where an applicable question is unanswered.
        if not case.applies(question.when):
            return "na"
        return values.get((case.pk, question.id)) or None

    rows = (
        [
            case.ref,
            _label(SentenceType, case.sentence_type),
            case.start_date,
            case.court_work,
            case.resettlement,
            _label(Gender, case.gender),
            _label(Ethnicity, case.ethnicity),
            case.disability,
            _label(AgeBand, case.age_band),
            _label(RoshLevel, case.rosh),
            case.practitioners,
            _label(CaseStatus, case.status),
            *(answer(case, q) for q in questions),
        ]
        for case in cases
    )
    sheet = _table(book, "Cases", [*CASE_COLUMNS, *(q.code for q in questions)], rows)
    sheet.freeze_panes = "B2"  # keep the case reference in view while scrolling right


def _domain1_sheet(book: Workbook, summary: Report) -> None:
    """The lead's judgements: one sheet named for the domain rated by judgement ("Domain 1" in the
    PDU frameworks), none where the framework has no such domain."""
    judged = [domain for domain in summary.domains if domain.judged]
    if not judged:
        return
    title = f"Domain {judged[0].code}" if len(judged) == 1 else "Judgements"
    rows = []
    for section in summary.organisation:
        standard = [
            section.standard.code,
            section.standard.name,
            section.rating,
            _label(Rating, section.rating),
        ]
        lists = {
            "strengths": section.strengths,
            "areas_for_improvement": section.areas_for_improvement,
        }
        standard_rows = [
            [*standard, kind, label, order, text]
            for field, kind, label in FINDING_KINDS
            for order, text in enumerate(lists[field], start=1)
        ]
        if section.judgement:
            standard_rows.insert(0, [*standard, "judgement", "Judgement", 1, section.judgement])
        rows += standard_rows or [standard]
    _table(
        book,
        title,
        [
            "Standard code",
            "Standard",
            "Rating code",
            "Rating",
            "Finding code",
            "Finding",
            "Order",
            "Text",
        ],
        rows,
        text_columns=[8],
    )


def _recommendations_sheet(book: Workbook, summary: Report) -> None:
    rows = (
        [r.number, r.addressee, _label(Addressee, r.addressee), r.text]
        for r in summary.numbered_recommendations
    )
    _table(
        book,
        "Recommendations",
        ["Number", "Addressee code", "Addressee", "Text"],
        rows,
        text_columns=[4],
    )


def _breakdowns_sheet(book: Workbook, summary: Report) -> None:
    """As on the report page: a hidden cell's figures are not in the workbook either."""
    rows = (
        [
            breakdown.attribute.name,
            row.question.code,
            label,
            None if cell.suppressed else cell.count.yes,
            None if cell.suppressed else cell.count.relevant,
            None if cell.suppressed else cell.count.percent,
            cell.hidden_label or None,
        ]
        for breakdown in summary.breakdowns
        for row in breakdown.rows
        for label, cell in zip(breakdown.group_labels, row.cells, strict=True)
    )
    _table(
        book,
        "Breakdowns",
        ["By", "Key question", "Group", "Yes", "Relevant", "Percent", "Note"],
        rows,
    )


def _pooling_sheet(book: Workbook, summary: Report) -> None:
    """A region inspection's pool: each PDU inspection pooled, and each left out with why."""
    if not summary.pooled_inspections and not summary.not_pooled:
        return
    rows = [
        (p.inspection_id, p.pdu, p.fieldwork_start, "Pooled", "")
        for p in summary.pooled_inspections
    ] + [
        (n.inspection_id, n.pdu, n.fieldwork_start, "Not pooled", n.reason)
        for n in summary.not_pooled
    ]
    _table(
        book,
        "PDU inspections pooled",
        ["Inspection ID", "PDU", "Fieldwork start", "Pooled", "Reason"],
        rows,
        text_columns=[5],
    )
