"""The bundle's report section (docs/report-text.md): the reference bundle carries the whole
written report, it round-trips, and a bad section is refused by place with nothing written."""

import json
import re
from pathlib import Path

import pytest

from bundles.exporter import export_bundle
from bundles.importer import import_bundle
from bundles.report import validate_report
from bundles.validation import BundleError
from inspection.choices import AuditKind, InspectionStatus, Rating
from inspection.framework.spec import load_framework_spec
from inspection.input_rules import REPORT_TEXT_MAX
from inspection.models import (
    AuditEntry,
    ConfirmedNumber,
    ContextFact,
    Domain1Judgement,
    Footnote,
    Inspection,
    RatingWording,
    ReportImprint,
    ReportItem,
    ReportPart,
    ReportSigning,
    ReportSubsection,
    Standard,
)
from reports import prose
from reports import report_writing as writing
from reports.confirmed_numbers import confirm_number
from reports.number_check import check_numbers
from reports.publishing import move
from reports.report_model import build_report
from reports.report_texts import report_texts
from tests.case_helpers import team_member
from tests.reference_numbers import RATINGS
from tests.report_helpers import LOWEST_SCORE_TYPED, word_rating_sentence

pytestmark = pytest.mark.django_db

# Where each sub-section of the published report sits, in order, with its heading.
SUBSECTIONS = [
    ("foreword", None, ""),
    ("background", None, ""),
    ("standard", "1.1", ""),
    ("standard", "1.2", ""),
    ("standard", "1.3", ""),
    ("standard", "1.3", "Resettlement work"),
    ("standard", "1.4", ""),
    ("standard", "1.4", "Feedback from people on probation"),
    ("standard", "1.4", "Diversity and inclusion"),
    ("standard", "2.1", ""),
    ("standard", "2.2", ""),
    ("standard", "2.3", ""),
    ("standard", "2.4", ""),
    ("standard", "2.5", ""),
    ("standard", "2.6", ""),
    ("acknowledgements", None, ""),
    ("annexe", None, ""),
]
TABLES = (
    Inspection,
    ReportSubsection,
    ReportItem,
    ContextFact,
    Footnote,
    ReportSigning,
    ConfirmedNumber,
    ReportImprint,
    RatingWording,
)


def as_file(bundle: dict) -> str:
    """As export_inspection writes it."""
    return json.dumps(bundle, indent=2, ensure_ascii=False)


def items(inspection, code, heading="", list_name="strengths") -> list[tuple[str, str]]:
    return list(
        ReportItem.objects.filter(
            subsection__inspection=inspection,
            subsection__standard__code=code,
            subsection__heading=heading,
            list=list_name,
        )
        .order_by("order")
        .values_list("kind", "text")
    )


def test_the_reference_bundle_imports_the_whole_report(reference_inspection):
    subsections = ReportSubsection.objects.filter(inspection=reference_inspection)
    placed = sorted(
        subsections.select_related("standard"),
        key=lambda s: (
            ["foreword", "background", "standard", "acknowledgements", "annexe"].index(s.part),
            s.standard.order if s.standard else 0,
            s.order,
        ),
    )
    assert [(s.part, s.standard and s.standard.code, s.heading) for s in placed] == SUBSECTIONS
    found = ReportItem.objects.filter(subsection__inspection=reference_inspection)
    # (The Inspectorate's role, printed in every report, is not the report's text: it is
    # reports/front_matter.py's.)
    assert found.count() == 119
    assert {name: found.filter(list=name).count() for name in ("body", "strengths", "areas")} == {
        "body": 18,
        "strengths": 58,
        "areas": 43,
    }
    assert found.filter(kind="quote").count() == 2
    assert ContextFact.objects.filter(inspection=reference_inspection).count() == 7
    assert list(
        Footnote.objects.filter(inspection=reference_inspection).values_list("key", flat=True)
    ) == ["prioritisation"]
    signing = ReportSigning.objects.get(inspection=reference_inspection)
    assert (signing.signatory, signing.signatory_title) == (
        "Justin Russell",
        "Chief Inspector of Probation",
    )
    assert ReportImprint.objects.get(inspection=reference_inspection).isbn == "978-1-915468-66-6"
    # The published report words three rating sentences itself, citing their figures.
    wordings = dict(
        RatingWording.objects.filter(inspection=reference_inspection).values_list(
            "standard__code", "text"
        )
    )
    assert sorted(wordings) == ["2.2", "2.4", "2.5"]
    assert wordings["2.4"] == (
        "The PDU is rated as '{2.4:rating}' for implementation and delivery as the lowest score "
        "of the key questions was {2.4.2}, relating to desistance."
    )

    # Order kept, quotes after the bullet they belong to, figures cited by code.
    feedback = items(reference_inspection, "1.4", "Feedback from people on probation")
    assert [kind for kind, _ in feedback] == ["text", "text", "text", "quote"]
    assert feedback[3][1].startswith("My PO has been very accommodating")
    assert items(reference_inspection, "2.2", list_name="areas")[0][1].startswith(
        "Child safeguarding information sharing did not take place in {2.2.3.d:no_count} "
    )
    assert len(items(reference_inspection, "1.2")) == 12
    assert items(reference_inspection, "1.1", list_name="body") == [
        (
            "text",
            "Despite the strengths that have been identified below court work was rated as "
            "'{2.1:rating}' which rules out a rating of 'Good' or 'Outstanding' for leadership. "
            "This has resulted in a rating of '{1.1:rating}' for this standard.",
        )
    ]
    reoffending = ContextFact.objects.get(inspection=reference_inspection, key="reoffending")
    assert reoffending.value == "28.7"
    assert reoffending.source.startswith("Source: Ministry of Justice. (January 2023).")
    # Domain 1 keeps its ratings; its lists are report items now.
    assert dict(
        Domain1Judgement.objects.filter(inspection=reference_inspection).values_list(
            "standard__code", "rating"
        )
    ) == {code: RATINGS[code] for code in ("1.1", "1.2", "1.3", "1.4")}


def test_each_row_of_the_report_is_in_the_audit_trail(reference_inspection):
    entries = AuditEntry.objects.filter(inspection=reference_inspection, kind=AuditKind.REPORT_TEXT)
    # The signatory, the ISBN, 7 facts, 1 footnote, 3 rating sentences, 17 sub-sections, 119
    # items and 13 confirmed numbers, each as imported.
    assert entries.count() == 1 + 1 + 7 + 1 + 3 + 17 + 119 + 13
    assert set(entries.values_list("reason", flat=True)) == {"Imported from bundle"}
    assert entries.filter(
        subject="1.3 Resettlement work: strengths 2",
        new_value__contains="{R.c:yes} out of {R.c:relevant} relevant post-release cases",
    ).exists()
    assert entries.filter(subject="Fact reoffending", new_value__startswith="Proven").exists()


def test_export_import_export_is_byte_identical(reference_inspection, reference_bundle):
    first = export_bundle(reference_inspection)
    again = import_bundle(json.loads(as_file(first)).copy())
    assert as_file(export_bundle(again)) == as_file(first)

    # The export is the report section that was imported (the evidence tallies are imported and
    # exported with the domain-1 evidence: tests of bundles/evidence.py).
    def written(report):
        return {key: value for key, value in report.items() if key != "evidence"}

    assert written(first["report"]) == written(reference_bundle["report"])
    assert all(set(j) == {"rating"} for j in first["domain1"].values())


def test_a_confirmation_travels_while_its_text_stands(reference_inspection):
    """Changing a text after its number was confirmed leaves the confirmation confirming
    nothing: the export leaves it out (import would refuse it), and keeps the others."""
    exported = export_bundle(reference_inspection)["report"]["confirmed_numbers"]
    assert len(exported) == 13
    assert exported[3] == {
        "place": "1.2 Staff: strength 5",
        "number": "6.2",
        "text_sha256": "809ac165f0aa80a3d5dcde79a1931765f7bfcffe1188ed0777483f3eb6009694",
    }
    item = ReportItem.objects.get(
        subsection__inspection=reference_inspection, text__startswith="Sickness in the PDU"
    )
    item.text += " (2022)"
    item.save()
    again = export_bundle(reference_inspection)["report"]["confirmed_numbers"]
    assert again == exported[:3] + exported[5:]
    assert ConfirmedNumber.objects.filter(inspection=reference_inspection).count() == 13
    import_bundle(json.loads(as_file(export_bundle(reference_inspection))))


def test_the_bundle_reads_the_texts_a_stored_report_has(reference_inspection, reference_bundle):
    """What the import checks a confirmation against is what the app and the export read."""
    problems = []
    valid = validate_report(
        reference_bundle["report"],
        load_framework_spec(reference_inspection.framework),
        {},
        problems,
    )
    assert problems == []
    assert sorted(valid.texts()) == sorted(report_texts(reference_inspection).texts())


def flagged_in(inspection, place: str):
    check = check_numbers(inspection, build_report(inspection))
    return next(n for n in check.flagged if n.where == place)


def confirmed_entry(number) -> dict:
    return {"place": number.where, "number": number.written, "text_sha256": number.text_digest}


def test_a_confirmed_number_in_a_rating_sentence_travels_and_the_copy_publishes(
    reference_inspection, lead
):
    """The import read a rating sentence's confirmation, but the export left it out: the
    imported copy had the number flagged and could not publish."""
    word_rating_sentence(reference_inspection, "2.5", LOWEST_SCORE_TYPED, lead)
    number = flagged_in(reference_inspection, "2.5 Reviewing: rating sentence")
    confirm_number(
        reference_inspection, place=number.where, written=number.written, text=number.text, by=lead
    )
    first = export_bundle(reference_inspection)
    assert confirmed_entry(number) in first["report"]["confirmed_numbers"]
    copy = import_bundle(json.loads(as_file(first)))
    assert as_file(export_bundle(copy)) == as_file(first)
    assert check_numbers(copy, build_report(copy)).to_confirm == []
    team_member(copy, "lead")
    copy.lead_inspector, copy.status = lead, InspectionStatus.MODERATION
    copy.save()
    move(copy, InspectionStatus.PUBLISHED, lead)


def test_a_confirmed_pair_across_a_line_break_travels(reference_inspection, lead):
    """The number is kept on one line, as the check reads it; a bundle giving it across the
    line break, as its text has it, means the same number."""
    subsection = writing.add_subsection(
        reference_inspection,
        part=ReportPart.STANDARD,
        standard=Standard.objects.get(framework=reference_inspection.framework, code="2.2"),
        heading="Checked",
        by=lead,
    )
    writing.add_item(
        subsection, list="body", kind="text", text="Seen in six\nout of ten cases.", by=lead
    )
    number = flagged_in(reference_inspection, "2.2 Assessment (Checked): paragraph 1")
    confirm_number(
        reference_inspection, place=number.where, written=number.written, text=number.text, by=lead
    )
    first = export_bundle(reference_inspection)
    entry = confirmed_entry(number)
    assert entry["number"] == "six out of ten"
    assert entry in first["report"]["confirmed_numbers"]
    copy = import_bundle(json.loads(as_file(first)))
    assert as_file(export_bundle(copy)) == as_file(first)
    assert check_numbers(copy, build_report(copy)).to_confirm == []

    given = json.loads(as_file(first))
    at = given["report"]["confirmed_numbers"].index(entry)
    given["report"]["confirmed_numbers"][at]["number"] = "six\nout of ten"
    again = import_bundle(given)
    assert check_numbers(again, build_report(again)).to_confirm == []


def test_an_inspection_without_a_written_report_exports_no_report_section(reference_bundle):
    del reference_bundle["report"]
    for judgement in reference_bundle["domain1"].values():
        judgement.pop("strengths", None)
    inspection = import_bundle(reference_bundle)
    assert not ReportSubsection.objects.filter(inspection=inspection).exists()
    assert "report" not in export_bundle(inspection)


def test_an_old_bundle_s_domain1_lists_become_the_first_sub_section(reference_bundle):
    """Bundles written before the report section kept domain-1 findings in `domain1`."""
    del reference_bundle["report"]["parts"]["standards"]["1.2"]
    # ... and with it the numbers confirmed in its text.
    reference_bundle["report"]["confirmed_numbers"] = [
        c
        for c in reference_bundle["report"]["confirmed_numbers"]
        if not c["place"].startswith("1.2")
    ]
    reference_bundle["domain1"]["1.2"].update(
        strengths=["Stable staffing.", "Low sickness."], areas_for_improvement=["Training."]
    )
    # Where the report section gives the standard's text, that is what is written.
    reference_bundle["domain1"]["1.1"]["strengths"] = ["Not this one."]
    inspection = import_bundle(reference_bundle)
    assert items(inspection, "1.2") == [("text", "Stable staffing."), ("text", "Low sickness.")]
    assert items(inspection, "1.2", list_name="areas") == [("text", "Training.")]
    assert ("text", "Not this one.") not in items(inspection, "1.1")
    assert len(items(inspection, "1.1")) == 7
    # ... and it is exported the new way.
    exported = export_bundle(inspection)
    assert exported["domain1"]["1.2"] == {"rating": "good"}
    assert exported["report"]["parts"]["standards"]["1.2"] == [
        {
            "heading": "",
            "strengths": [{"text": "Stable staffing."}, {"text": "Low sickness."}],
            "areas": [{"text": "Training."}],
        }
    ]


def standards(b):
    return b["report"]["parts"]["standards"]


def unknown_standard(b):
    standards(b)["3.1"] = [{"heading": "", "body": [{"text": "A paragraph."}]}]
    return "report.parts.standards: unknown standard code '3.1' (the framework's standards are"


def unknown_part(b):
    b["report"]["parts"]["prologue"] = []
    return "report.parts: unknown part 'prologue' (the parts are foreword, background, standards"


def empty_text(b):
    standards(b)["2.2"][0]["strengths"][1] = {"text": "   "}
    return "report.parts.standards.2.2[0].strengths[1].text: required text is missing or empty"


def text_over_the_limit(b):
    b["report"]["parts"]["foreword"][0]["body"][2] = {"text": "x" * (REPORT_TEXT_MAX + 1)}
    return "report.parts.foreword[0].body[2].text: 5,001 characters; the limit is 5,000"


def quote_over_the_limit(b):
    standards(b)["1.4"][1]["strengths"][3] = {"quote": "q" * (REPORT_TEXT_MAX + 1)}
    return "report.parts.standards.1.4[1].strengths[3].quote: 5,001 characters; the limit is"


def control_character(b):
    standards(b)["1.3"][1]["areas"][0] = {"text": "Home\x00visits"}
    return (
        "report.parts.standards.1.3[1].areas[0].text: contains a control character (U+0000) "
        "at position 5"
    )


def heading_on_two_lines(b):
    standards(b)["1.3"][1]["heading"] = "Resettlement\nwork"
    return "report.parts.standards.1.3[1].heading: contains a line break; it is one line"


def heading_too_long(b):
    standards(b)["1.3"][1]["heading"] = "h" * 201
    return "report.parts.standards.1.3[1].heading: 201 characters; the limit is 200"


def neither_text_nor_quote(b):
    standards(b)["2.5"][0]["areas"][0] = {"paragraph": "Words."}
    return 'report.parts.standards.2.5[0].areas[0]: expected {"text": ...} or {"quote": ...}'


def both_text_and_quote(b):
    standards(b)["2.5"][0]["areas"][0] = {"text": "Words.", "quote": "Words."}
    return 'report.parts.standards.2.5[0].areas[0]: expected {"text": ...} or {"quote": ...}'


def unknown_list(b):
    standards(b)["2.6"][0]["outcomes"] = [{"text": "Words."}]
    return "report.parts.standards.2.6[0]: unknown field 'outcomes'"


def duplicate_fact_key(b):
    b["report"]["context_facts"][3]["key"] = "reoffending"
    return "report.context_facts[3].key: duplicate key 'reoffending' (also report.context_facts[1])"


def duplicate_footnote_key(b):
    b["report"]["footnotes"].append({"key": "prioritisation", "text": "Again."})
    return "report.footnotes[1].key: duplicate key 'prioritisation' (also report.footnotes[0])"


def fact_key_not_a_key(b):
    b["report"]["context_facts"][0]["key"] = "pdus in region"
    return (
        "report.context_facts[0].key: 'pdus in region' may hold only letters, digits, hyphens "
        "and underscores"
    )


def fact_without_value(b):
    b["report"]["context_facts"][1]["value"] = ""
    return "report.context_facts[1].value: required text is missing or empty"


def undefined_fact(b):
    b["report"]["context_facts"] = [
        f for f in b["report"]["context_facts"] if f["key"] != "disability"
    ]
    return (
        "report.parts.background[0].body[3].text: {fact:disability}: no context fact "
        "'disability' is defined"
    )


def undefined_footnote(b):
    b["report"]["footnotes"] = []
    return (
        "report.parts.background[0].body[5].text: {note:prioritisation}: no footnote "
        "'prioritisation' is defined"
    )


def unknown_code_cited(b):
    standards(b)["2.2"][0]["body"] = [{"text": "In {2.9.9} of cases."}]
    return (
        "report.parts.standards.2.2[0].body[0].text: {2.9.9}: there is no standard, key "
        "question, prompt or item '2.9.9' in the framework"
    )


def isbn_check_digit_wrong(b):
    b["report"]["isbn"] = "978-1-915468-66-5"
    return "report.isbn: The last digit (the check digit) should be 6 for the twelve before it"


def isbn_too_short(b):
    b["report"]["isbn"] = "978-1-915468-66"
    return "report.isbn: An ISBN has 13 digits; this one has 12"


def isbn_not_text(b):
    b["report"]["isbn"] = 9781915468666
    return "report.isbn: expected text, got 9781915468666"


def rating_sentence_of_a_judged_standard(b):
    b["report"]["rating_sentences"]["1.2"] = "Staff is rated '{1.2:rating}'."
    return (
        "report.rating_sentences: '1.2' has no rating sentence (the standards rated from their "
        "key questions are 2.1, 2.2, 2.3, 2.4, 2.5)"
    )


def rating_sentence_empty(b):
    b["report"]["rating_sentences"]["2.4"] = " "
    return "report.rating_sentences.2.4: required text is missing or empty"


def rating_sentence_cites_an_unknown_code(b):
    b["report"]["rating_sentences"]["2.5"] = "The lowest score was {2.5.9}."
    return (
        "report.rating_sentences.2.5: {2.5.9}: there is no standard, key question, prompt or "
        "item '2.5.9' in the framework"
    )


def rating_sentence_cites_a_form_it_cannot_render(b):
    b["report"]["rating_sentences"]["2.2"] = "Rated as {2.2.3:rating}."
    return "report: 2.2, rating sentence: {2.2.3:rating}: only a standard has a rating"


def signatory_not_text(b):
    b["report"]["signatory"] = ["Justin Russell"]
    return "report.signatory: expected text, got ['Justin Russell']"


def unknown_report_field(b):
    b["report"]["summary"] = "Words."
    return "report: unknown field 'summary'"


def report_not_an_object(b):
    b["report"] = ["foreword"]
    return "report: expected an object"


def confirmed_text_changed(b):
    standards(b)["1.2"][0]["strengths"][4]["text"] += " (2022)"
    return (
        "report.confirmed_numbers[3]: no text of the report has this text_sha256: the text at "
        "1.2 Staff: strength 5 was changed after '6.2' was confirmed"
    )


def confirmed_number_not_in_its_text(b):
    b["report"]["confirmed_numbers"][3]["number"] = "6.3"
    return "report.confirmed_numbers[3].number: '6.3' is not in the text at 1.2 Staff: strength 5"


def confirmed_twice(b):
    b["report"]["confirmed_numbers"].append(dict(b["report"]["confirmed_numbers"][0]))
    return (
        "report.confirmed_numbers[13]: '95.3 per cent' is confirmed twice "
        "(also report.confirmed_numbers[0])"
    )


def confirmed_digest_not_a_digest(b):
    b["report"]["confirmed_numbers"][0]["text_sha256"] = "ABC"
    return "report.confirmed_numbers[0].text_sha256: expected 64 lowercase hex digits, got 'ABC'"


def confirmed_with_unknown_field(b):
    b["report"]["confirmed_numbers"][0]["by"] = "Lee"
    return "report.confirmed_numbers[0]: unknown field 'by'"


def confirmed_place_on_two_lines(b):
    b["report"]["confirmed_numbers"][0]["place"] = "1.2\nStaff"
    return "report.confirmed_numbers[0].place: expected one line of text"


BAD_REPORTS = [
    unknown_standard,
    unknown_part,
    empty_text,
    text_over_the_limit,
    quote_over_the_limit,
    control_character,
    heading_on_two_lines,
    heading_too_long,
    neither_text_nor_quote,
    both_text_and_quote,
    unknown_list,
    duplicate_fact_key,
    duplicate_footnote_key,
    fact_key_not_a_key,
    fact_without_value,
    undefined_fact,
    undefined_footnote,
    unknown_code_cited,
    isbn_check_digit_wrong,
    isbn_too_short,
    isbn_not_text,
    rating_sentence_of_a_judged_standard,
    rating_sentence_empty,
    rating_sentence_cites_an_unknown_code,
    rating_sentence_cites_a_form_it_cannot_render,
    signatory_not_text,
    unknown_report_field,
    report_not_an_object,
    confirmed_text_changed,
    confirmed_number_not_in_its_text,
    confirmed_twice,
    confirmed_digest_not_a_digest,
    confirmed_with_unknown_field,
    confirmed_place_on_two_lines,
]


def counts() -> dict:
    return {
        model.__name__: model.objects.count() for model in (*TABLES, AuditEntry, Domain1Judgement)
    }


@pytest.mark.parametrize("breakage", BAD_REPORTS, ids=lambda f: f.__name__)
def test_a_bad_report_section_is_refused_by_place_and_nothing_is_written(
    reference_bundle, breakage
):
    message = breakage(reference_bundle)
    before = counts()
    with pytest.raises(BundleError) as refused:
        import_bundle(as_file(reference_bundle).encode())
    assert any(problem.startswith(message) for problem in refused.value.problems), (
        refused.value.problems
    )
    assert counts() == before


def test_every_problem_in_the_section_is_listed_at_once(reference_bundle):
    messages = [
        breakage(reference_bundle)
        for breakage in (empty_text, duplicate_fact_key, undefined_footnote, unknown_part)
    ]
    with pytest.raises(BundleError) as refused:
        import_bundle(reference_bundle)
    problems = refused.value.problems
    assert all(any(p.startswith(m) for p in problems) for m in messages), problems
    # The fact renamed to a duplicate key is no longer defined where the background cites it.
    assert "{fact:pdu_caseload}: no context fact 'pdu_caseload' is defined" in "\n".join(problems)


# The published words: each text of the reference bundle, its citations rendered from the
# reference data, is word for word in the published report.

PUBLISHED = (
    Path(__file__).resolve().parents[2] / "shared/reference/blackburn-with-darwen-pdu-2023.txt"
)
_MARKS = re.compile(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]")
_LINK = re.compile(r"\[((?:[^\]\\]|\\.)+)\]\([^)\s]*\)")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})


def _published_form(text: str) -> str:
    text = _LINK.sub(r"\1", text).replace("\\(", "(").replace("\\)", ")").replace("*", "")
    return " ".join(_MARKS.sub("", text).translate(_QUOTES).split())


def _texts(section: dict):
    """(place, text) of every item, fact source and footnote of a report section."""
    parts = section["parts"]
    places = [(name, parts[name]) for name in parts if name != "standards"]
    places += [(f"standards.{code}", subs) for code, subs in parts["standards"].items()]
    for where, subsections in places:
        for index, subsection in enumerate(subsections):
            for name in ("body", "strengths", "areas"):
                for number, item in enumerate(subsection.get(name, [])):
                    ((kind, text),) = item.items()
                    yield f"{where}[{index}].{name}[{number}]", text
    for fact in section["context_facts"]:
        if fact["source"]:
            yield f"fact {fact['key']}", fact["source"]
    for note in section["footnotes"]:
        yield f"footnote {note['key']}", note["text"]


def _sources(bundle: dict) -> prose.Sources:
    """The reference figures as the report renders them: counted from the bundle's answers."""
    counts: dict[str, list[int]] = {}
    for case in bundle["cases"]:
        for code, value in case["answers"].items():
            if value in ("yes", "no"):
                tally = counts.setdefault(code, [0, 0])
                tally[0] += value == "yes"
                tally[1] += 1
    report = bundle["report"]
    return prose.Sources(
        questions={code: prose.Tally(yes, relevant) for code, (yes, relevant) in counts.items()},
        ratings={code: Rating(rating).label if rating else "" for code, rating in RATINGS.items()},
        evidence={key: prose.Tally(**tally) for key, tally in report["evidence"].items()},
        facts={f["key"]: prose.Fact(f["value"], f["source"]) for f in report["context_facts"]},
        notes={n["key"]: n["text"] for n in report["footnotes"]},
    )


def test_every_text_of_the_reference_report_renders_as_published(reference_bundle_data):
    published = _published_form(PUBLISHED.read_text(encoding="utf-8"))
    sources = _sources(reference_bundle_data)
    known = sources.known()
    cited = 0
    for where, text in _texts(reference_bundle_data["report"]):
        assert prose.problems(text, known) == [], where
        cited += len(prose.citations(text))
        rendered = prose.Renderer(sources).runs(text)
        words = "".join(run.text for run in rendered if run.footnote is None)
        assert _published_form(words) in published, (where, words)
    assert cited == 75


def test_the_import_runs_the_pages_text_checks_and_keeps_nothing(reference_bundle):
    """Citation forms, evidence keys and case references are checked as the writing pages check
    them: a bundle cannot bring in text the lead could not have saved."""
    before = counts()
    standards(reference_bundle)["2.2"][0]["body"] = [
        {"text": "In {2.2.3.d:bogus} and {evidence:nope} cases, as BWD-01 showed."}
    ]
    with pytest.raises(BundleError) as refused:
        import_bundle(reference_bundle)
    problems = "\n".join(refused.value.problems)
    assert "report: 2.2, paragraphs 1: {2.2.3.d:bogus}: unknown form 'bogus'" in problems
    assert "{evidence:nope}" in problems
    assert "The text names the case BWD-01" in problems
    assert counts() == before
