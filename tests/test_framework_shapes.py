"""Frameworks of other shapes, end to end: load the file, import a case sample, answer, judge,
publish through the lifecycle, then read every rendering (report page, PDF, XLSX, figures CSV,
answers CSV, inspection_summary) and check what it says against figures worked out here from the
answers and the framework file alone.

The shapes (tests/frameworks/ and two shipped files):

- test-five-case-standards: one domain only (rated from cases), five case standards, no judged
  standard, no limiting rule, one rated but unscored standard (max score 4 x 3 = 12), a key
  question only for post-sentence supervision cases and another only for high / very high RoSH;
- test-unrated: no bands at all (nothing rated, no score), a judged unrated standard whose
  judgement is words, unrated case standards, a post-sentence-supervision-only key question, an
  item group;
- hmip-pdu-2023 (shipped): 3 judged and 4 case standards, max 21, no limiting rule;
- hmip-public-protection-2025 (shipped): no bands, a judged unrated Chief Inspector's judgement,
  questions that apply by sentence type.
"""

import io
import json
import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from bundles.importer import import_bundle
from cases.choices import CaseStatus
from cases.models import Case
from inspection.choices import InspectionStatus
from inspection.framework.loader import load_framework, read_framework_file
from inspection.models import AuditEntry, Domain1Judgement, Framework
from reports.domain1 import Domain1Refused, save_judgements
from reports.publishing import move, publish_blockers
from tests.case_helpers import team_member
from tests.csv_helpers import read_shown_dicts
from tests.page_text import page_text, texts_by_id
from tests.report_helpers import write_required_parts

FRAMEWORKS = Path(__file__).resolve().parent / "frameworks"
SHIPPED = ("hmip-pdu-2023", "hmip-public-protection-2025")
TEST_FILES = ("test-five-case-standards", "test-unrated")

# (ref, sentence type, RoSH): two post-sentence-supervision cases, three high or very high RoSH.
CASES = (
    ("SH-01", "community_order", "low"),
    ("SH-02", "post_sentence_supervision", "high"),
    ("SH-03", "licence", "very_high"),
    ("SH-04", "post_sentence_supervision", "medium"),
    ("SH-05", "suspended_sentence_order", "high"),
    ("SH-06", "community_order", "medium"),
)
JUDGED_RATING = "good"
JUDGEMENT_TEXT = "Public protection work was sound in most cases, with gaps in reviewing."


def framework_data(code: str) -> dict:
    if code in SHIPPED:
        return read_framework_file(code)
    return json.loads((FRAMEWORKS / f"{code}.json").read_text(encoding="utf-8"))


# The framework as the file states it, read here without the app's own code.


def case_attributes(index: int) -> dict:
    ref, sentence_type, rosh = CASES[index]
    return {
        "sentence_type": sentence_type,
        "rosh": rosh,
        "court_work": index % 2 == 0,
        "resettlement": sentence_type in ("licence", "post_sentence_supervision"),
        "gender": "female" if index % 3 == 0 else "male",
        "ethnicity": "white",
        "disability": False,
        "age_band": "26-35",
    }


def condition_applies(data: dict, code: str, attributes: dict) -> bool:
    if code == "always":
        return True
    condition = next(c for c in data["conditions"] if c["code"] == code)
    return all(attributes[name] in values for name, values in condition["when"].items())


def questions_of(data: dict):
    """(question, kind, parent key question or None, applies-when codes, group or None)."""
    for domain in data["domains"]:
        if domain["rated_by"] != "cases":
            continue
        for standard in domain["standards"]:
            for kq in standard.get("key_questions", []):
                conditions = (standard["applies_when"], kq["applies_when"])
                yield kq, "key_question", None, conditions
                for prompt in kq.get("prompts", []):
                    yield prompt, "prompt", kq, conditions
    for group in data.get("item_groups", []):
        for item in group["items"]:
            yield item, "item", None, (group["applies_when"],)


def value_for(case_index: int, question_index: int, kind: str, parent_value: str | None) -> str:
    """A fixed spread of yes, no and not applicable."""
    if parent_value == "na":
        return "na"
    if kind == "key_question" and (case_index + question_index) % 7 == 3:
        return "na"
    return "no" if (case_index * 5 + question_index * 3) % 4 == 0 else "yes"


def case_answers(data: dict, case_index: int) -> tuple[dict, dict]:
    attributes = case_attributes(case_index)
    answers, notes = {}, {}
    for index, (question, kind, parent, conditions) in enumerate(questions_of(data)):
        if not all(condition_applies(data, c, attributes) for c in conditions):
            continue
        value = value_for(case_index, index, kind, answers.get(parent["code"]) if parent else None)
        answers[question["code"]] = value
        if value == "no" and kind != "prompt":
            notes[question["code"]] = f"Evidence for {question['code']}: not done."
    return answers, notes


def bundle(data: dict) -> dict:
    cases = []
    for index, (ref, sentence_type, _) in enumerate(CASES):
        attributes = case_attributes(index)
        answers, notes = case_answers(data, index)
        cases.append(
            {
                "ref": ref,
                "sentence_type": sentence_type,
                "start_date": "2025-01-10",
                "court_work": attributes["court_work"],
                "resettlement": attributes["resettlement"],
                "practitioners": 1,
                "attributes": {
                    k: attributes[k] for k in ("gender", "ethnicity", "disability", "age_band")
                }
                | {"rosh": attributes["rosh"]},
                "answers": answers,
                "notes": notes,
            }
        )
    return {
        "format": "inspection-bundle/1",
        "framework": data["code"],
        "inspection": {
            "region": "Shape Region",
            "pdu": "Shape Town",
            "fieldwork_start": "2025-03-03",
            "sample_windows": [["2025-01-01", "2025-01-31"]],
        },
        "cases": cases,
    }


def expected_counts(data: dict) -> dict[str, tuple[int, int]]:
    """{question code: (yes, relevant)} over the cases the question applies to."""
    counts: dict[str, list[int]] = {}
    for question, _kind, _parent, _conditions in questions_of(data):
        counts[question["code"]] = [0, 0]
    for index in range(len(CASES)):
        answers, _ = case_answers(data, index)
        for code, value in answers.items():
            if value in ("yes", "no"):
                counts[code][1] += 1
                counts[code][0] += value == "yes"
    return {code: tuple(count) for code, count in counts.items()}


def expected_ratings(data: dict) -> dict[str, str | None]:
    counts = expected_counts(data)
    bands = sorted(data.get("rating_bands", []), key=lambda b: -b["min_percent"])
    ratings = {}
    for domain in data["domains"]:
        for standard in domain["standards"]:
            if not standard["rated"]:
                ratings[standard["code"]] = None
            elif domain["rated_by"] == "judgement":
                ratings[standard["code"]] = JUDGED_RATING
            else:
                fractions = [
                    Fraction(*counts[kq["code"]])
                    for kq in standard["key_questions"]
                    if counts[kq["code"]][1]
                ]
                lowest = min(fractions)
                ratings[standard["code"]] = next(
                    b["rating"] for b in bands if lowest * 100 >= Decimal(str(b["min_percent"]))
                )
    return ratings


def expected_score(data: dict) -> tuple[int | None, int]:
    ratings = expected_ratings(data)
    points = {b["rating"]: b["points"] for b in data.get("rating_bands", [])}
    scored = [
        s["code"]
        for d in data["domains"]
        for s in d["standards"]
        if s["rated"] and s.get("scored", True)
    ]
    if not scored or not points:
        return None, 0
    return sum(points[ratings[c]] for c in scored), len(scored) * max(points.values())


def judged_standards(data: dict) -> list[dict]:
    return [s for d in data["domains"] if d["rated_by"] == "judgement" for s in d["standards"]]


# The journey.


def run_inspection(code: str):
    """Load (test files), import, judge, publish; returns (inspection, lead, framework data)."""
    data = framework_data(code)
    if code in TEST_FILES:
        load_framework(data)
    assert Framework.objects.newest(code) is not None
    inspection = import_bundle(bundle(data))
    assert set(Case.objects.filter(inspection=inspection).values_list("status", flat=True)) == {
        CaseStatus.COMPLETE
    }
    lead = team_member(inspection, "lead", "Lee", "Lead")
    inspection.lead_inspector = lead
    inspection.save()
    move(inspection, InspectionStatus.MODERATION, lead)
    judged = judged_standards(data)
    if judged:
        rated = [s["code"] for s in judged if s["rated"]]
        blockers = publish_blockers(inspection)
        if rated:
            assert any(", ".join(rated) in b for b in blockers), blockers
        else:
            assert not any("not yet rated" in b for b in blockers), blockers
        save_judgements(
            inspection,
            {
                s["code"]: {
                    "rating": JUDGED_RATING if s["rated"] else "",
                    "judgement": "" if s["rated"] else JUDGEMENT_TEXT,
                }
                for s in judged
            },
            lead,
        )
    write_required_parts(inspection, lead)
    assert publish_blockers(inspection) == []
    move(inspection, InspectionStatus.PUBLISHED, lead)
    return inspection, lead, data


@pytest.fixture
def journey(request, db):
    return run_inspection(request.param)


def download(client, name: str, inspection) -> bytes:
    response = client.get(reverse(name, args=[inspection.pk]))
    assert response.status_code == 200, response
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def renderings(client, inspection, lead) -> dict:
    client.force_login(lead)
    page = client.get(reverse("reports:report", args=[inspection.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    pdf = PdfReader(io.BytesIO(download(client, "exports:pdf", inspection)))
    book = load_workbook(io.BytesIO(download(client, "exports:xlsx", inspection)))
    figures = read_shown_dicts(download(client, "exports:figures_csv", inspection))
    answers = read_shown_dicts(download(client, "exports:csv", inspection))
    text, as_json = io.StringIO(), io.StringIO()
    call_command("inspection_summary", inspection.pk, stdout=text)
    call_command("inspection_summary", inspection.pk, "--format", "json", stdout=as_json)
    return {
        "html": html,
        "page": page_text(html),
        "ids": texts_by_id(html),
        "pdf": "\n".join(p.extract_text() for p in pdf.pages),
        "xlsx": book,
        "xlsx_text": "\n".join(
            " ".join(str(c) for c in row if c is not None)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
        ),
        "figures": figures,
        "answers": answers,
        "text": text.getvalue(),
        "json": json.loads(as_json.getvalue()),
    }


ALL = (*TEST_FILES, *SHIPPED)


@pytest.mark.parametrize("journey", ALL, indirect=True)
def test_every_rendering_states_the_counts_worked_out_from_the_answers(client, journey):
    inspection, lead, data = journey
    out = renderings(client, inspection, lead)
    expected = expected_counts(data)
    kinds = {q["code"]: kind for q, kind, _, _ in questions_of(data)}
    key_questions = {c for c, k in kinds.items() if k == "key_question"}

    stated = {}
    for standard in out["json"]["standards"].values():
        for code, count in standard["key_questions"].items():
            stated[code] = (count["yes"], count["relevant"])
    for code, count in out["json"]["prompts"].items():
        stated[code] = (count["yes"], count["relevant"])
    assert stated == expected

    figures = {
        r["code"]: (int(r["yes"]), int(r["relevant"]))
        for r in out["figures"]
        if r["section"] in ("key question", "finding")
    }
    assert figures == expected

    sheet = out["xlsx"]["Key questions"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert {r["Code"]: (r["Yes"], r["Relevant"]) for r in rows} == {
        c: v for c, v in expected.items() if c in key_questions
    }
    for code in key_questions:
        yes, relevant = expected[code]
        assert f"{code} {yes}/{relevant}" in " ".join(out["text"].split()) or not relevant

    # Every answer given is in the answers CSV, and no question that does not apply to a case.
    given = {
        (ref, code): value
        for index, (ref, _, _) in enumerate(CASES)
        for code, value in case_answers(data, index)[0].items()
    }
    assert {(r["case_ref"], r["question_code"]): r["value"] for r in out["answers"]} == given


@pytest.mark.parametrize("journey", ALL, indirect=True)
def test_ratings_score_and_maximum_come_from_the_file(client, journey):
    inspection, lead, data = journey
    out = renderings(client, inspection, lead)
    ratings = expected_ratings(data)
    score, maximum = expected_score(data)
    assert {c: s["rating"] for c, s in out["json"]["standards"].items()} == ratings
    assert out["json"]["score"] == score
    assert out["json"]["max_score"] == maximum
    for code, rating in ratings.items():
        row = next(r for r in out["figures"] if r["section"] == "standard" and r["code"] == code)
        assert row["rating"] == (rating or "")
    if score is None:
        return
    assert out["ids"]["score"] == f"{score}/{maximum}"
    assert f"Score {score}/{maximum}" in " ".join(out["pdf"].split())
    assert f"Score: {score} out of {maximum}" in out["text"]
    assert "out of 27" not in out["page"] + out["pdf"] + out["text"] or maximum == 27


@pytest.mark.parametrize("journey", ["test-five-case-standards"], indirect=True)
def test_an_unscored_rated_standard_is_rated_but_not_in_the_score(client, journey):
    inspection, lead, data = journey
    out = renderings(client, inspection, lead)
    ratings = expected_ratings(data)
    assert ratings["K.5"] is not None
    points = {b["rating"]: b["points"] for b in data["rating_bands"]}
    assert out["json"]["score"] == sum(points[ratings[c]] for c in ("K.1", "K.2", "K.3", "K.4"))
    assert out["json"]["max_score"] == 12
    assert out["json"]["overall_rating"] is not None
    # Rated on every rendering, and marked as not scored where points are shown.
    label = {"outstanding": "Outstanding", "good": "Good"}.get(ratings["K.5"], "")
    assert label in out["ids"]["standard-k-5-rating"]
    assert "not scored" in out["ids"]["standard-k-5-rating"].lower()
    summary_rows = list(out["xlsx"]["Summary"].iter_rows(values_only=True))
    k5 = next(r for r in summary_rows if r and r[0] == "K.5")
    assert k5[4] == ratings["K.5"] and k5[6] is None
    assert "scored standards" in out["page"] and "4 scored standards" in out["page"]


@pytest.mark.parametrize("journey", ["test-five-case-standards", "hmip-pdu-2023"], indirect=True)
def test_no_limiting_rule_and_no_judged_domain_text_where_the_framework_has_none(client, journey):
    inspection, lead, data = journey
    out = renderings(client, inspection, lead)
    everything = out["page"] + out["pdf"] + out["text"] + out["xlsx_text"]
    assert "limiting" not in everything.lower()
    assert "Outcomes are reported" not in everything
    assert "out of 27" not in everything
    if not judged_standards(data):
        assert "Domain 1" not in everything
        assert "Organisational delivery" not in out["page"]
        assert "Domain 1" not in out["xlsx"].sheetnames


@pytest.mark.parametrize("journey", ["test-unrated", "hmip-public-protection-2025"], indirect=True)
def test_without_bands_nothing_shows_a_score_or_an_overall_rating(client, journey):
    inspection, lead, data = journey
    out = renderings(client, inspection, lead)
    assert out["json"]["score"] is None and out["json"]["overall_rating"] is None
    for name in ("page", "pdf", "text", "xlsx_text"):
        text = out[name]
        assert "out of 0" not in text, name
        assert not re.search(r"\d/0\b", text), name  # no "12/0"
        assert "Overall rating" not in text, name
        assert "Score" not in text.replace("Wilson score", ""), name
        assert "Not yet rated" not in text and "not yet rated" not in text, name
    assert "score" not in out["ids"] and "overall-rating" not in out["ids"]
    assert not [r for r in out["figures"] if r["section"] == "score"]
    # The judged, unrated standard states the lead's judgement in words, not a rating.
    (judged,) = judged_standards(data)
    assert JUDGEMENT_TEXT in out["page"]
    assert JUDGEMENT_TEXT in " ".join(out["pdf"].split())
    assert JUDGEMENT_TEXT in out["xlsx_text"]
    assert (
        "Not rated" not in out["ids"][f"standard-{judged['code'].replace('.', '-').lower()}-rating"]
    )


def na_question(code: str) -> tuple[str, str, str]:
    """(question code, a case it does not apply to, the reason the page shows)."""
    if code == "test-five-case-standards":
        return "K.1.2", "SH-01", "asked only of cases on post-sentence supervision"
    return "P.1.2", "SH-03", "Asked only of cases on post-sentence supervision"


@pytest.mark.parametrize("journey", ["test-five-case-standards", "test-unrated"], indirect=True)
def test_a_question_for_some_cases_is_counted_on_them_and_collapsed_on_the_others(client, journey):
    inspection, lead, data = journey
    out = renderings(client, inspection, lead)
    question, other_case, reason = na_question(data["code"])
    pss = [i for i, c in enumerate(CASES) if c[1] == "post_sentence_supervision"]
    yes, relevant = expected_counts(data)[question]
    assert 0 < relevant <= len(pss)
    assert {r["case_ref"] for r in out["answers"] if r["question_code"] == question} <= {
        CASES[i][0] for i in pss
    }
    case = Case.objects.get(inspection=inspection, ref=other_case)
    section = question.rsplit(".", 1)[0]
    page = client.get(reverse("cases:section", args=[case.pk, section]))
    html = page.content.decode()
    assert page.status_code == 200
    assert f'name="q{question.replace(".", "-")}-value"' not in html
    text = page_text(html)
    assert f"{question}" in text and reason in text
    assert 'class="govuk-details' in html
    matching = Case.objects.get(inspection=inspection, ref=CASES[pss[0]][0])
    html = client.get(reverse("cases:section", args=[matching.pk, section])).content.decode()
    assert f'name="q{question.replace(".", "-")}-value"' in html
    if data["code"] == "test-five-case-standards":
        yes, relevant = expected_counts(data)["K.2.2"]
        high = [i for i, c in enumerate(CASES) if c[2] in ("high", "very_high")]
        assert 0 < relevant <= len(high)


def test_the_lead_writes_a_judgement_for_an_unrated_standard_on_the_page(client, db):
    """The public-protection Chief Inspector's judgement: words through the lead's page, audited;
    a rating for it is refused, and publishing waits for the words, not for a rating."""
    data = framework_data("hmip-public-protection-2025")
    inspection = import_bundle(bundle(data))
    lead = team_member(inspection, "lead", "Lee", "Lead")
    inspection.lead_inspector = lead
    inspection.save()
    write_required_parts(inspection, lead)
    (judged,) = judged_standards(data)
    code = judged["code"]
    assert publish_blockers(inspection) == [f"Judgements not yet written: {code}"]
    with pytest.raises(Domain1Refused):
        save_judgements(
            inspection,
            {code: {"rating": "good"}},
            lead,
        )

    client.force_login(lead)
    url = reverse("reports:domain1_edit", args=[inspection.pk, code])
    page = client.get(url).content.decode()
    assert 'name="judgement"' in page and 'name="rating"' not in page
    response = client.post(url, {"judgement": JUDGEMENT_TEXT})
    assert response.status_code == 302
    assert Domain1Judgement.objects.get(inspection=inspection).judgement == JUDGEMENT_TEXT
    entry = AuditEntry.objects.get(inspection_id=inspection.pk, subject=f"{code} judgement")
    assert (entry.old_value, entry.new_value, entry.user) == ("", JUDGEMENT_TEXT, lead)
    overview = page_text(
        client.get(reverse("reports:domain1", args=[inspection.pk])).content.decode()
    )
    assert JUDGEMENT_TEXT in overview and "Not yet rated" not in overview
    assert publish_blockers(inspection) == []
