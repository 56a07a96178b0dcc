"""Every rendering of a report states the same figures, ratings and recommendation numbers.

The report page, the PDF, the XLSX workbook, the figures CSV and inspection_summary all render the
one results model; this reads each of them back and compares, for the reference inspection and a
generated one, both with recommendations interleaved by addressee.
"""

import io
import json
import random

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from cases.models import Case
from inspection.choices import Addressee, InspectionStatus, Rating
from inspection.models import Domain1Judgement, Recommendation, Standard
from reports.publication import report_for
from tests.csv_helpers import read_shown_dicts
from tests.factories import CaseFactory, InspectionFactory, answer_everything

pytestmark = pytest.mark.django_db

INTERLEAVED = [Addressee.PDU, Addressee.NATIONAL, Addressee.PDU, Addressee.REGION]


def interleave_recommendations(inspection) -> None:
    Recommendation.objects.filter(inspection=inspection).delete()
    for order, addressee in enumerate(INTERLEAVED, start=1):
        Recommendation.objects.create(
            inspection=inspection, addressee=addressee, order=order, text=f"Do thing {order}"
        )


@pytest.fixture
def generated(admin_user):
    """A generated inspection: 12 cases answered at random (seeded), domain 1 rated."""
    inspection = InspectionFactory(status=InspectionStatus.FIELDWORK)
    cases = CaseFactory.create_batch(12, inspection=inspection)
    rng = random.Random(9)
    answer_everything(cases, lambda case, q: rng.choice(["yes", "yes", "no", "na"]))
    for standard in Standard.objects.filter(framework=inspection.framework, domain__code="1"):
        Domain1Judgement.objects.create(
            inspection=inspection, standard=standard, rating=Rating.REQUIRES_IMPROVEMENT
        )
    Case.objects.filter(inspection=inspection).update(status="complete")
    return inspection


def page_text(client, inspection) -> str:
    return client.get(reverse("reports:report", args=[inspection.pk])).content.decode()


def pdf_text(client, inspection) -> str:
    content = client.get(reverse("exports:pdf", args=[inspection.pk])).content
    return " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(content)).pages
    )


def workbook(client, inspection):
    content = client.get(reverse("exports:xlsx", args=[inspection.pk])).content
    return load_workbook(io.BytesIO(content))


def figure_rows(client, inspection) -> list[dict[str, str]]:
    response = client.get(reverse("exports:figures_csv", args=[inspection.pk]))
    return read_shown_dicts(b"".join(response.streaming_content))


def summary_json(inspection) -> dict:
    out = io.StringIO()
    call_command("inspection_summary", inspection.pk, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.parametrize("which", ["reference", "generated"])
def test_every_rendering_states_the_same_figures_ratings_and_numbers(
    request, client, admin_user, which
):
    inspection = request.getfixturevalue(
        "reference_inspection" if which == "reference" else "generated"
    )
    interleave_recommendations(inspection)
    client.force_login(admin_user)
    report = report_for(inspection)

    ratings = {s.code: s.rating for s in report.standards}
    key_questions = {
        kq.code: (kq.count.yes, kq.count.relevant)
        for s in report.standards
        for kq in s.key_questions
    }
    numbers = {r.text: r.number for r in report.numbered_recommendations}
    # Grouped as the report groups them (PDU, region, HMPPS), numbered on once.
    assert numbers == {"Do thing 1": 1, "Do thing 3": 2, "Do thing 4": 3, "Do thing 2": 4}

    # inspection_summary
    summary = summary_json(inspection)
    assert {code: s["rating"] for code, s in summary["standards"].items()} == ratings
    assert summary["score"] == report.score and summary["max_score"] == report.max_score
    assert {
        code: (kq["yes"], kq["relevant"])
        for s in summary["standards"].values()
        for code, kq in s["key_questions"].items()
    } == key_questions

    # the report page
    page = page_text(client, inspection)
    for text, number in numbers.items():
        assert f'<li value="{number}">{text}</li>' in page
    if report.score is not None:
        assert f"<strong>{report.score}/{report.max_score}</strong>" in page
    for code, rating in ratings.items():
        if rating:
            cell = page.split(f'id="standard-{code.replace(".", "-")}-rating">', 1)[1]
            assert Rating(rating).label in cell.split("</td>", 1)[0], code

    # the PDF
    text = pdf_text(client, inspection)
    for text_, number in numbers.items():
        assert f"{number}. {text_}" in text
    for code, rating in ratings.items():
        standard = report.standard(code).standard
        if rating:
            # The ratings table: each standard's row, then its rating.
            assert f"{code} {standard.name} {Rating(rating).label}" in text, code
    if report.score is not None:
        assert f"Score {report.score}/{report.max_score}" in text

    # the XLSX workbook
    book = workbook(client, inspection)
    rows = list(book["Summary"].iter_rows(values_only=True))
    header = rows.index(
        ("Standard code", "Standard", "Domain", "Rated", "Rating code", "Rating", "Points")
    )
    assert {row[0]: row[4] for row in rows[header + 1 :]} == ratings
    assert {
        row[0]: (row[4], row[5]) for row in book["Key questions"].iter_rows(2, values_only=True)
    } == key_questions
    assert {
        row[3]: row[0] for row in book["Recommendations"].iter_rows(2, values_only=True)
    } == numbers

    # the figures CSV
    figures = figure_rows(client, inspection)
    assert {
        r["code"]: r["rating"] or None for r in figures if r["section"] == "standard"
    } == ratings
    assert {
        r["code"]: (int(r["yes"]), int(r["relevant"]))
        for r in figures
        if r["section"] == "key question"
    } == key_questions
    assert {
        r["note"]: int(r["code"]) for r in figures if r["section"] == "recommendation"
    } == numbers
