"""Downloads: the XLSX workbook, the CSV of answers and the PDF report."""

import csv
import datetime
import io
import json
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from cases.models import Answer, Case
from inspection.choices import InspectionStatus, Rating
from inspection.csv_safe import neutralise
from inspection.models import ManagerScope, Question, Recommendation
from tests.csv_helpers import as_shown, read_csv, read_csv_dicts
from tests.factories import CaseFactory, InspectionFactory, UserFactory, answer_everything
from tests.reference_numbers import KEY_QUESTIONS, MAX_SCORE, OVERALL, SCORE

EXPORTS = ("exports:xlsx", "exports:csv", "exports:pdf")


@pytest.fixture
def inspector(reference_inspection):
    user = UserFactory(username="ines")
    reference_inspection.team.add(user)
    return user


@pytest.fixture
def logged_in(client, inspector):
    client.force_login(inspector)
    return client


def download(client, name: str, inspection) -> bytes:
    response = client.get(reverse(name, args=[inspection.pk]))
    assert response.status_code == 200, response
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def workbook(client, inspection):
    return load_workbook(io.BytesIO(download(client, "exports:xlsx", inspection)))


def rows_by_first_column(sheet) -> dict[str, dict]:
    """{first cell: {header: value}} for every row under the header row."""
    header = [c.value for c in sheet[1]]
    return {
        row[0]: dict(zip(header, row, strict=True))
        for row in sheet.iter_rows(min_row=2, values_only=True)
    }


def summary_json(inspection) -> dict:
    out = io.StringIO()
    call_command("inspection_summary", inspection.pk, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def csv_rows(client, inspection) -> list[list[str]]:
    text = download(client, "exports:csv", inspection).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


# XLSX


@pytest.mark.django_db
def test_workbook_counts_equal_inspection_summary(logged_in, reference_inspection):
    expected = summary_json(reference_inspection)
    book = workbook(logged_in, reference_inspection)

    key_questions = rows_by_first_column(book["Key questions"])
    expected_kqs = {
        code: counts
        for standard in expected["standards"].values()
        for code, counts in standard["key_questions"].items()
    }
    assert set(key_questions) == set(expected_kqs)
    for code, counts in expected_kqs.items():
        row = key_questions[code]
        assert (row["Yes"], row["Relevant"], row["Percent"]) == (
            counts["yes"],
            counts["relevant"],
            counts["percent"],
        ), code
    assert {code: (r["Yes"], r["Relevant"], r["Percent"]) for code, r in key_questions.items()} == (
        KEY_QUESTIONS
    )

    prompts = rows_by_first_column(book["Prompts"])
    assert set(prompts) == set(expected["prompts"])
    for code, counts in expected["prompts"].items():
        row = prompts[code]
        assert (row["Yes"], row["Relevant"], row["Percent"]) == (
            counts["yes"],
            counts["relevant"],
            counts["percent"],
        ), code


@pytest.mark.django_db
def test_workbook_summary_has_every_rating_score_and_overall(logged_in, reference_inspection):
    expected = summary_json(reference_inspection)
    sheet = workbook(logged_in, reference_inspection)["Summary"]
    values = {row[0]: row[1:] for row in sheet.iter_rows(values_only=True) if row[0]}

    assert values["Score"][0] == expected["score"] == SCORE
    assert values["Max score"][0] == expected["max_score"] == MAX_SCORE
    assert values["Overall rating"][:2] == (OVERALL, Rating(OVERALL).label)
    assert values["PDU"][0] == "Blackburn with Darwen"
    assert values["Region"][0] == "North West"
    assert values["Cases in sample"][0] == 21
    for code, standard in expected["standards"].items():
        name, _domain, rated, rating, label, _points = values[code]
        assert (name, rated, rating) == (standard["name"], standard["rated"], standard["rating"])
        assert label == (Rating(rating).label if rating else None)


@pytest.mark.django_db
def test_workbook_cases_sheet_has_a_row_per_case_and_a_column_per_question(
    logged_in, reference_inspection
):
    sheet = workbook(logged_in, reference_inspection)["Cases"]
    header = [c.value for c in sheet[1]]
    codes = list(
        Question.objects.filter(framework=reference_inspection.framework)
        .order_by("order")
        .values_list("code", flat=True)
    )
    assert header[0] == "Case reference"
    assert header[-len(codes) :] == codes
    rows = rows_by_first_column(sheet)
    assert len(rows) == 21
    values = {v for row in rows.values() for code, v in row.items() if code in codes}
    assert values <= {"yes", "no", "na", None}

    stored = Answer.objects.select_related("case", "question").get(
        case__inspection=reference_inspection, case__ref="BWD-01", question__code="2.2.3.c"
    )
    assert rows["BWD-01"]["2.2.3.c"] == stored.value
    no_court_work = Case.objects.filter(inspection=reference_inspection, court_work=False).first()
    assert rows[no_court_work.ref]["2.1.1"] == "na"
    assert rows["BWD-01"]["Start date"].date() == datetime.date(2022, 8, 30)


@pytest.mark.django_db
def test_workbook_numbers_are_numeric_cells_and_headers_bold_and_frozen(
    logged_in, reference_inspection
):
    book = workbook(logged_in, reference_inspection)
    assert book.sheetnames == [
        "Summary",
        "Key questions",
        "Prompts",
        "Cases",
        "Domain 1",
        "Recommendations",
        "Breakdowns",
    ]
    key_questions = book["Key questions"]
    for row in key_questions.iter_rows(min_row=2, min_col=5, max_col=7):
        assert all(cell.data_type == "n" and isinstance(cell.value, int) for cell in row)
    for row in book["Prompts"].iter_rows(min_row=2, min_col=7, max_col=8):
        assert all(cell.data_type == "n" and isinstance(cell.value, int) for cell in row)
    score = next(row for row in book["Summary"].iter_rows() if row[0].value == "Score")[1]
    assert score.data_type == "n"
    for name in book.sheetnames[1:]:
        sheet = book[name]
        assert sheet.freeze_panes in ("A2", "B2"), name
        assert all(cell.font.bold for cell in sheet[1]), name
        assert sheet.column_dimensions["A"].width >= 8, name


@pytest.mark.django_db
def test_workbook_domain1_findings_and_recommendations(
    logged_in, reference_inspection, reference_bundle_data
):
    book = workbook(logged_in, reference_inspection)
    findings = list(book["Domain 1"].iter_rows(min_row=2, values_only=True))
    # Each domain-1 standard's strengths and areas: its first sub-section's bullets.
    standards = reference_bundle_data["report"]["parts"]["standards"]
    firsts = {code: standards[code][0] for code in reference_bundle_data["domain1"]}
    assert len(findings) == sum(
        len([i for i in first["strengths"] + first["areas"] if "text" in i])
        for first in firsts.values()
    )
    first = findings[0]
    assert first[:7] == (
        "1.1",
        "Leadership",
        "requires_improvement",
        "Requires improvement",
        "strength",
        "Strength",
        1,
    )
    assert first[7] == firsts["1.1"]["strengths"][0]["text"]

    recommendations = list(book["Recommendations"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in recommendations] == list(range(1, 10))
    assert recommendations[0][1:3] == ("pdu", "The PDU")
    assert {r[1] for r in recommendations} == {"pdu", "region", "national"}
    assert [r[3] for r in recommendations] == [
        r["text"] for r in reference_bundle_data["recommendations"]
    ]


@pytest.mark.django_db
def test_workbook_text_that_looks_like_a_formula_stays_text(logged_in, reference_inspection):
    Recommendation.objects.filter(inspection=reference_inspection, order=1).update(
        text="=HYPERLINK(1)"
    )
    sheet = workbook(logged_in, reference_inspection)["Recommendations"]
    assert (sheet["D2"].value, sheet["D2"].data_type) == ("=HYPERLINK(1)", "s")


@pytest.mark.django_db
def test_inspection_without_answers_exports_blank_percentages_and_no_score(client, admin_user):
    inspection = InspectionFactory()
    CaseFactory(inspection=inspection)
    client.force_login(admin_user)
    book = workbook(client, inspection)
    key_questions = rows_by_first_column(book["Key questions"]).values()
    assert all(row["Percent"] is None and row["Relevant"] == 0 for row in key_questions)
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row[0]}
    assert summary["Score"] is None
    assert summary["Overall rating"] is None
    assert download(client, "exports:pdf", inspection).startswith(b"%PDF")


@pytest.mark.django_db
def test_download_names_and_types(logged_in, reference_inspection):
    for name, extension, content_type in (
        ("exports:xlsx", "xlsx", "application/vnd.openxmlformats"),
        ("exports:csv", "csv", "text/csv"),
        ("exports:pdf", "pdf", "application/pdf"),
    ):
        response = logged_in.get(reverse(name, args=[reference_inspection.pk]))
        assert response["Content-Type"].startswith(content_type)
        assert response["Content-Disposition"] == (
            f'attachment; filename="blackburn-with-darwen-2023-03-27.{extension}"'
        )
        assert "no-store" in response["Cache-Control"]


# CSV


@pytest.mark.django_db
def test_csv_has_one_row_per_answer(logged_in, reference_inspection, inspector):
    answer = Answer.objects.get(
        case__inspection=reference_inspection, case__ref="BWD-01", question__code="2.2.1"
    )
    answer.updated_by = inspector
    answer.save()

    rows = csv_rows(logged_in, reference_inspection)
    assert rows[0] == [
        "case_ref",
        "question_code",
        "question_kind",
        "value",
        "evidence_note",
        "updated_by",
        "updated_at",
    ]
    assert len(rows) - 1 == Answer.objects.filter(case__inspection=reference_inspection).count()
    row = next(r for r in rows if r[:2] == ["BWD-01", "'2.2.1"])  # a code Excel keeps as text
    assert row[2:4] == ["key_question", answer.value]
    assert row[4] == answer.note
    assert row[5] == "ines"
    assert datetime.datetime.fromisoformat(row[6]) == answer.updated_at


@pytest.mark.django_db
def test_csv_neutralises_formulas_in_notes(logged_in, reference_inspection):
    Answer.objects.filter(
        case__inspection=reference_inspection, case__ref="BWD-01", question__code="2.2.1"
    ).update(note="=SUM(1)")
    rows = csv_rows(logged_in, reference_inspection)
    row = next(r for r in rows if r[:2] == ["BWD-01", "'2.2.1"])
    assert row[4] == "'=SUM(1)"


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(1)", "\tx", "\rx", "'=x", "'quoted'"])
def test_neutralise_prefixes_an_apostrophe_to_formula_starts_and_its_own(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize(
    "text", ["", "plain", "1 of 2", "2.2.3.d", "BWD-01", "it's", "May", "March review", "truly"]
)
def test_neutralise_leaves_other_text_alone(text):
    assert neutralise(text) == text


# Where a reader that splits the cell (on ';' or a tab, or by line: Text to Columns, a legacy
# import) would start a new cell with a formula, the formula is marked there too (OWASP).
INSIDE = {
    '1;=HYPERLINK("http://x")': '1;\'=HYPERLINK("http://x")',
    "x\n=cmd|' /C calc'!A0": "x\n'=cmd|' /C calc'!A0",
    "x\r\n+1": "x\r\n'+1",
    "a\t=1": "a\t'=1",
    "a\r=1": "a\r'=1",
    "a, -1": "a, '-1",
    "a; @SUM(1)": "a; '@SUM(1)",
    'say "=1"': 'say "\'=1"',
    " =1": "' =1",  # a reader may trim the spaces
    "\t=1": "'\t'=1",
}


@pytest.mark.parametrize("text", INSIDE)
def test_neutralise_marks_a_formula_wherever_a_cell_could_start(text):
    assert neutralise(text) == INSIDE[text]


# Excel turns these into numbers or dates (2.10 into 2.1, 1.1 into 1 January in some locales):
# the apostrophe keeps each text.
@pytest.mark.parametrize(
    "text",
    [
        "1.1",
        "2.10",
        "2.1.1",
        "10",
        "007",
        "1,000",
        "86%",
        "2023-03-27",
        "27/03/2023",
        "10:30",
        "(5)",
        "£5",
        "1e5",
        "1-2",
        "Dec-21",
        "27 March 2023",
        "Jan 1, 2023",
        "1-jan",
        "12:30 pm",
        "9am",
        "TRUE",
        "false",
    ],
)
def test_neutralise_keeps_a_code_or_date_excel_would_convert_as_text(text):
    assert neutralise(text) == "'" + text


@pytest.mark.django_db
def test_every_csv_quotes_text_and_marks_formulas_inside_cells(logged_in, reference_inspection):
    notes = {"2.2.1": '1;=HYPERLINK("http://x")', "2.2.2": "x\n=cmd", "2.2.3": "a\t=1"}
    for code, note in notes.items():
        Answer.objects.filter(
            case__inspection=reference_inspection, case__ref="BWD-01", question__code=code
        ).update(note=note)
    content = download(logged_in, "exports:csv", reference_inspection)
    rows = read_csv(content)
    by_code = {row[1]: row for row in rows if row[0] == "BWD-01"}
    assert by_code["'2.2.1"][4] == '1;\'=HYPERLINK("http://x")'
    assert by_code["'2.2.2"][4] == "x\n'=cmd"
    assert by_code["'2.2.3"][4] == "a\t'=1"
    # In quotes, so Excel splitting on ';' (its list separator in many locales) keeps it whole.
    assert '"1;\'=HYPERLINK(""http://x"")"' in content.decode()
    # Every text cell of every line is quoted; numbers are bare.
    line = next(line for line in content.decode().splitlines() if "'2.2.1" in line)
    assert line.startswith('"BWD-01","\'2.2.1","key_question",')


@pytest.mark.django_db
def test_the_figures_csv_keeps_codes_as_text_and_the_score_in_its_own_columns(
    logged_in, reference_inspection
):
    rows = read_csv_dicts(download(logged_in, "exports:figures_csv", reference_inspection))
    assert list(rows[0])[4:9] == ["yes", "relevant", "percent", "score", "max_score"]
    (score,) = (row for row in rows if row["section"] == "score")
    assert (score["score"], score["max_score"], score["rating"]) == (str(SCORE), "27", OVERALL)
    assert score["yes"] == score["relevant"] == score["percent"] == ""
    for row in rows:
        if row["section"] != "score":
            assert row["score"] == row["max_score"] == "", row
    standards = [row["code"] for row in rows if row["section"] == "standard"]
    assert standards[:2] == ["'1.1", "'1.2"]
    assert {as_shown(row["code"]) for row in rows if row["section"] == "key question"} == set(
        KEY_QUESTIONS
    )


@pytest.mark.django_db
def test_workbook_cells_that_look_like_formulas_or_numbers_are_text(
    logged_in, reference_inspection
):
    """openpyxl stores a string starting with '=' as a formula: the workbook types it as text.
    A string cell is never evaluated, so '+', '-' and '@' need nothing; codes stay text."""
    for order, text in enumerate(("=HYPERLINK(1)", "+1+1", "-1", "@SUM(1)", "1;=1"), start=1):
        Recommendation.objects.filter(inspection=reference_inspection, order=order).update(
            text=text
        )
    book = workbook(logged_in, reference_inspection)
    texts = {
        cell.value: cell.data_type
        for row in book["Recommendations"].iter_rows(min_row=2, min_col=4, max_col=4)
        for cell in row
    }
    for text in ("=HYPERLINK(1)", "+1+1", "-1", "@SUM(1)", "1;=1"):
        assert texts.get(text) == "s", (text, texts)
    codes = [row[0] for row in book["Key questions"].iter_rows(min_row=2, max_col=1)]
    assert codes and all(c.data_type == "s" and isinstance(c.value, str) for c in codes)
    assert codes[0].value == "2.1.1"


# PDF


@pytest.mark.django_db
def test_pdf_report_has_title_ratings_score_and_recommendations(logged_in, reference_inspection):
    content = download(logged_in, "exports:pdf", reference_inspection)
    assert content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)

    assert "Blackburn with Darwen PDU" in text
    assert "North West region" in text
    for label in ("Requires improvement", "Inadequate", "Good", "Score 10/27"):
        assert label in text
    for name in ("Leadership", "Court work", "Assessment", "Planning", "Reviewing", "Outcomes"):
        assert name in text
    assert "2.2.3" in text and "52%" in text
    assert "Strengths" in text and "Areas for improvement" in text
    assert "Blackburn with Darwen PDU should:" in text
    assert "HM Prison and Probation Service (HMPPS) should:" in text
    assert "improve the quality of court reports to inform sentencing" in text
    # What the page gives screen readers only, a PDF reader sees: the breakdown rows' questions.
    assert "By gender" in text
    assert text.count("Does assessment focus sufficiently on keeping other people safe?") >= 2
    assert (
        reader.metadata.title == "An inspection of probation services in Blackburn with Darwen PDU"
    )


@pytest.mark.django_db
def test_pdf_is_tagged_with_its_language_title_contents_and_bookmarks(logged_in, published):
    """Tagged PDF/UA: a structure tree, marked content, language en-GB and a title shown in the
    window; bookmarks from the headings and a contents list with page numbers."""
    reader = PdfReader(io.BytesIO(download(logged_in, "exports:pdf", published)))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en-GB"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title == (
        "An inspection of probation services in Blackburn with Darwen PDU"
    )
    titles = [item.title for item in _flatten(reader.outline)]
    # (Footnotes are at the foot of the pages citing them: tests/test_pdf_layout.py.)
    headings = (
        "Ratings",
        "Recommendations",
        "Background",
        "2.2 Assessment",
        "Annexe one – Web links",
    )
    for heading in headings:
        assert any(title.strip() == heading for title in titles), heading
    contents = " ".join(reader.pages[1].extract_text().split())
    # Each section with the page it starts on, and every page numbered in its footer.
    assert re.search(r"Background[ .]*\d+", contents)
    last = len(reader.pages)
    assert f"Page {last} of {last}" in reader.pages[-1].extract_text()


def _flatten(outline):
    for item in outline:
        if isinstance(item, list):
            yield from _flatten(item)
        else:
            yield item


@pytest.mark.django_db
def test_published_pdf_holds_no_case_level_detail(logged_in, published):
    content = download(logged_in, "exports:pdf", published)
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() for page in reader.pages)
    refs = list(published.cases.values_list("ref", flat=True))
    assert refs and not [ref for ref in refs if ref in text]
    links = [
        annotation.get_object()["/A"].get("/URI", "")
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if "/A" in annotation.get_object()
    ]
    assert not [link for link in links if "/cases/" in str(link) or "drill" in str(link)]
    assert b"/cases/" not in content


@pytest.mark.django_db
def test_pdf_escapes_markup_in_stored_text(logged_in, reference_inspection):
    Recommendation.objects.filter(inspection=reference_inspection, order=1).update(
        text="use <b>bold</b> & <unclosed"
    )
    content = download(logged_in, "exports:pdf", reference_inspection)
    text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages
    )
    assert "use <b>bold</b> & <unclosed" in text


# Queries and access


def _inspection_with_cases(count: int):
    inspection = InspectionFactory()
    cases = CaseFactory.create_batch(count, inspection=inspection)
    answer_everything(cases, lambda case, q: "yes" if (case.pk + len(q.code)) % 3 else "no")
    return inspection


@pytest.mark.django_db
@pytest.mark.parametrize("name", EXPORTS)
def test_query_count_does_not_grow_with_cases(client, name):
    user = UserFactory()
    client.force_login(user)
    counts = []
    for size in (5, 50):
        inspection = _inspection_with_cases(size)
        inspection.team.add(user)
        with CaptureQueriesContext(connection) as queries:
            download(client, name, inspection)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


@pytest.mark.django_db
@pytest.mark.parametrize("name", EXPORTS)
def test_someone_not_on_the_team_gets_404(client, reference_inspection, name):
    client.force_login(UserFactory(username="outsider"))
    assert client.get(reverse(name, args=[reference_inspection.pk])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name", EXPORTS)
def test_anonymous_is_sent_to_log_in(client, reference_inspection, name):
    url = reverse(name, args=[reference_inspection.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/login/")


@pytest.mark.django_db
@pytest.mark.parametrize("name", EXPORTS)
def test_unknown_inspection_is_404(client, admin_user, name):
    client.force_login(admin_user)
    assert client.get(reverse(name, args=[999999])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, status", [("exports:pdf", 200), ("exports:xlsx", 404), ("exports:csv", 404)]
)
def test_manager_gets_the_report_but_not_case_level_data(
    client, reference_inspection, name, status
):
    reference_inspection.status = InspectionStatus.PUBLISHED
    reference_inspection.save(update_fields=["status"])
    manager = UserFactory(username="manager")
    ManagerScope.objects.create(user=manager, pdu=reference_inspection.pdu)
    client.force_login(manager)
    assert client.get(reverse(name, args=[reference_inspection.pk])).status_code == status


@pytest.mark.django_db
def test_exports_refuse_post(logged_in, reference_inspection):
    for name in EXPORTS:
        assert logged_in.post(reverse(name, args=[reference_inspection.pk])).status_code == 405
