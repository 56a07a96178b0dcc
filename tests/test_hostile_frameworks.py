"""Hostile framework files (issue 18): every text a file carries is bounded, naming the place and
the limit, with nothing written; wordings at their limits load and work everywhere (the audit
trail cuts what its columns cannot hold); and markup in a framework's wording is shown as text
on every page of the lead's that shows it."""

import copy
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils.text import slugify

from bundles.importer import import_bundle
from inspection import input_rules as rules
from inspection.choices import AuditKind, InspectionStatus
from inspection.framework import file_checks
from inspection.framework.loader import (
    FrameworkFileError,
    load_framework,
    parse,
    read_framework_file,
)
from inspection.models import AuditEntry, EvidenceQuestion, Framework, Inspection, Question
from inspection.team import set_lead
from reports.evidence import tallies_by_code
from reports.publishing import move
from tests.case_helpers import team_member

SUBJECT_MAX = AuditEntry._meta.get_field("subject").max_length


def pdu_2021(version: int = 99) -> dict:
    """The shipped framework the reference bundle names, as a new version: the bundle imports
    onto the newest version of its framework code."""
    return {**read_framework_file("hmip-pdu-2021"), "version": version}


def row_counts() -> dict[str, int]:
    return {"frameworks": Framework.objects.count(), "questions": Question.objects.count()}


# Every text a file carries has a limit -------------------------------------------------------

KQ = ("domains", 1, "standards", 0, "key_questions", 0)
STANDARD = ("domains", 1, "standards", 0)
# (where in the file, its limit): every text a framework file can carry.
TEXTS = {
    "framework name": (("name",), rules.FRAMEWORK_NAME_MAX),
    "framework source": (("source",), rules.FRAMEWORK_SOURCE_MAX),
    "condition description": (("conditions", 0, "description"), rules.CONDITION_DESCRIPTION_MAX),
    "condition reason": (
        ("conditions", 0, "not_applicable_reason"),
        rules.NOT_APPLICABLE_REASON_MAX,
    ),
    "band source": (("rating_bands", 0, "source"), rules.FRAMEWORK_SOURCE_MAX),
    "overall band source": (("overall_bands", 0, "source"), rules.FRAMEWORK_SOURCE_MAX),
    "rule description": (("limiting_rules", 0, "description"), rules.RULE_DESCRIPTION_MAX),
    "rule source": (("limiting_rules", 0, "source"), rules.FRAMEWORK_SOURCE_MAX),
    "domain name": (("domains", 1, "name"), rules.FRAMEWORK_NAME_MAX),
    "standard name": ((*STANDARD, "name"), rules.FRAMEWORK_NAME_MAX),
    "standard headline": ((*STANDARD, "headline"), rules.HEADLINE_MAX),
    "standard source": ((*STANDARD, "source"), rules.FRAMEWORK_SOURCE_MAX),
    "key question wording": ((*KQ, "text"), rules.QUESTION_TEXT_MAX),
    "key question source": ((*KQ, "source"), rules.FRAMEWORK_SOURCE_MAX),
    "prompt wording": ((*KQ, "prompts", 0, "text"), rules.QUESTION_TEXT_MAX),
    "finding wording": ((*KQ, "prompts", 0, "finding", "met"), rules.FINDING_WORDING_MAX),
    "item group name": (("item_groups", 0, "name"), rules.FRAMEWORK_NAME_MAX),
    "item group title": (("item_groups", 0, "report_title"), rules.FRAMEWORK_NAME_MAX),
    "item wording": (("item_groups", 0, "items", 0, "text"), rules.QUESTION_TEXT_MAX),
    "evidence source": (("evidence", 0, "source"), rules.EVIDENCE_SOURCE_MAX),
    "evidence wording": (("evidence", 0, "text"), rules.EVIDENCE_TEXT_MAX),
}


def place(path: tuple) -> str:
    """How a problem names a place: domains[1].standards[0].name."""
    named = ""
    for step in path:
        named += f"[{step}]" if isinstance(step, int) else f".{step}" if named else step
    return named


def with_text(data: dict, path: tuple, text: str) -> dict:
    node = data
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = text
    return data


def test_the_shipped_files_fit_their_limits_comfortably():
    """Every wording of the shipped files is within half its limit (a source, a citation of the
    published guidance, within its column)."""
    for code in (
        "hmip-pdu-2021",
        "hmip-pdu-2023",
        "hmip-region-2023",
        "hmip-public-protection-2025",
    ):
        data = read_framework_file(code)
        for path, limit in TEXTS.values():
            node = data
            try:
                for step in path:
                    node = node[step]
            except (KeyError, IndexError):
                continue
            share = 1 if path[-1] == "source" else 0.5
            assert len(node) <= limit * share, (code, path, len(node))


@pytest.mark.django_db
@pytest.mark.parametrize("what", TEXTS, ids=list(TEXTS))
def test_a_text_over_its_limit_is_refused_naming_the_place_and_the_limit(what):
    path, limit = TEXTS[what]
    data = pdu_2021()
    data["rating_bands"][0]["source"] = "s"
    data["overall_bands"][0]["source"] = "s"
    data["limiting_rules"][0]["source"] = "s"
    assert file_checks.problems(with_text(copy.deepcopy(data), path, "x" * limit)) == []
    before = row_counts()
    with pytest.raises(FrameworkFileError) as refused:
        load_framework(with_text(data, path, "x" * 10**6))
    assert refused.value.problems == [
        f"{place(path)}: must be {limit:,} characters or fewer, not 1,000,000"
    ]
    assert row_counts() == before


@pytest.mark.django_db
def test_a_one_megabyte_question_is_refused_by_load_framework(tmp_path):
    data = with_text(pdu_2021(), (*KQ, "text"), "Does the assessment? " * 50_000)
    path = tmp_path / "huge-question.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    before = row_counts()
    with pytest.raises(CommandError, match="1 problem; nothing was written"):
        call_command("load_framework", str(path))
    assert row_counts() == before


def test_a_file_over_2_mb_is_refused_before_it_is_read_as_json():
    with pytest.raises(FrameworkFileError) as refused:
        parse(b" " * (rules.FRAMEWORK_FILE_MAX_BYTES + 1))
    assert refused.value.problems == ["the file is larger than 2 MB, the limit"]


@pytest.mark.django_db
def test_a_file_with_every_text_at_its_limit_loads():
    """The columns hold what the checks let through (PostgreSQL refuses a longer varchar)."""
    data = pdu_2021()
    for path, limit in TEXTS.values():
        with_text(data, path, "x" * limit)
    framework = load_framework(data)
    assert framework.name == "x" * rules.FRAMEWORK_NAME_MAX
    assert len(framework.evidence_questions.first().text) == rules.EVIDENCE_TEXT_MAX


# Evidence wordings at their limit: tallies save, imports import ---------------------------

LONG = "Said that the service they received was " + "very " * 100


@pytest.fixture
def long_wordings(db) -> Framework:
    """hmip-pdu-2021 with every evidence wording 500 characters long (the limit)."""
    data = pdu_2021()
    for number, question in enumerate(data["evidence"]):
        question["text"] = f"{number} {LONG}"[: rules.EVIDENCE_TEXT_MAX]
        assert len(question["text"]) == rules.EVIDENCE_TEXT_MAX
    return load_framework(data)


@pytest.fixture
def on_long_wordings(long_wordings, reference_bundle_data, tmp_path) -> Inspection:
    """The reference bundle (its 15 tallies too) imported by `import_inspection` onto it."""
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(reference_bundle_data), encoding="utf-8")
    call_command("import_inspection", str(path))
    inspection = Inspection.objects.latest("pk")
    assert inspection.framework_id == long_wordings.pk
    return inspection


def evidence_subjects(inspection) -> list[str]:
    return list(
        AuditEntry.objects.filter(inspection_id=inspection.pk, kind=AuditKind.EVIDENCE)
        .order_by("pk")
        .values_list("subject", flat=True)
    )


@pytest.mark.django_db
def test_import_inspection_of_a_bundle_on_long_wordings_records_cut_subjects(on_long_wordings):
    assert len(tallies_by_code(on_long_wordings)) == 15
    subjects = evidence_subjects(on_long_wordings)
    assert len(subjects) == 15
    for subject in subjects:
        assert SUBJECT_MAX - 5 <= len(subject) <= SUBJECT_MAX
        # The start says which question it is; the ellipsis says it was cut.
        assert re.match(r"Evidence [a-z_.]+ \([a-z ]+\): \d+ Said that the service", subject)
        assert subject.endswith("…")


@pytest.mark.django_db
def test_tallies_on_long_wordings_save_through_the_page_and_the_csv(client, on_long_wordings):
    lead = team_member(on_long_wordings, "lead", "Lee", "Lead")
    set_lead(on_long_wordings, lead, by=None)
    client.force_login(lead)
    page = reverse(
        "reports:evidence_source", args=[on_long_wordings.pk, "survey-of-people-on-probation"]
    )
    shown = client.get(page)
    assert shown.status_code == 200
    wording = EvidenceQuestion.objects.get(
        framework=on_long_wordings.framework, code="pop_survey.safe"
    )
    assert wording.text in shown.content.decode()  # the whole wording on the page
    saved = client.post(page, {"pop_survey__safe-percent": "50"})
    assert saved.status_code == 302
    assert tallies_by_code(on_long_wordings)["pop_survey.safe"].percent == 50

    imported = client.post(
        reverse("reports:evidence", args=[on_long_wordings.pk]),
        {
            "file": SimpleUploadedFile(
                "tallies.csv", b"key,yes,relevant,percent\npop_survey.private,,,12\n"
            )
        },
    )
    assert imported.status_code == 302
    assert tallies_by_code(on_long_wordings)["pop_survey.private"].percent == 12
    subjects = evidence_subjects(on_long_wordings)[15:]
    assert subjects  # the page's and the file's changes
    assert all(len(subject) <= SUBJECT_MAX and subject.endswith("…") for subject in subjects)
    trail = client.get(reverse("inspection:audit", args=[on_long_wordings.pk]))
    assert trail.status_code == 200


@pytest.mark.django_db
def test_a_long_name_of_a_person_is_cut_to_its_column(reference_inspection):
    """Django lets first and last names be 150 characters each: the entry keeps 150."""
    lead = team_member(reference_inspection, "longname", "F" * 150, "L" * 150)
    set_lead(reference_inspection, lead, by=lead)
    entry = AuditEntry.objects.filter(inspection_id=reference_inspection.pk).latest("pk")
    assert len(entry.user_name) == 150 and entry.user_name.endswith("…")
    assert entry.user_name.startswith("F" * 100)


@pytest.mark.django_db
def test_a_bundle_can_still_be_imported_in_process(long_wordings, reference_bundle):
    inspection = import_bundle(reference_bundle)
    assert len(evidence_subjects(inspection)) == 15


# Markup in a framework's wording is text on every page ---------------------------------------

MARKUP = " <b>x</b><script>alert(1)</script> &amp;"
ESCAPED = " &lt;b&gt;x&lt;/b&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp;amp;"


def with_markup(data: dict) -> dict:
    """Every name and wording a page shows, with MARKUP after it."""
    for domain in data["domains"]:
        domain["name"] += MARKUP
        for standard in domain["standards"]:
            standard["name"] += MARKUP
            for question in standard.get("key_questions", []):
                question["text"] += MARKUP
                for prompt in question.get("prompts", []):
                    prompt["text"] += MARKUP
    for group in data["item_groups"]:
        group["name"] += MARKUP
        for item in group["items"]:
            item["text"] += MARKUP
    for condition in data["conditions"]:
        condition["not_applicable_reason"] = "Not for this case" + MARKUP
    for question in data["evidence"]:
        question["source"] += MARKUP
        question["text"] += MARKUP
    return data


@pytest.fixture
def on_markup(db, reference_bundle) -> Inspection:
    """The reference inspection on hmip-pdu-2021 with markup in its wording, led by `lead`."""
    load_framework(with_markup(pdu_2021()))
    inspection = import_bundle(reference_bundle)
    lead = team_member(inspection, "lead", "Lee", "Lead")
    set_lead(inspection, lead, by=None)
    return inspection


def pages_showing_wording(inspection) -> dict[str, str]:
    """{what: URL} of every page of the lead's that shows framework wording."""
    case = inspection.cases.get(ref="BWD-01")
    evidence = {
        slugify(source)
        for source in EvidenceQuestion.objects.filter(framework=inspection.framework).values_list(
            "source", flat=True
        )
    }
    pages = {
        "report": reverse("reports:report", args=[inspection.pk]),
        "question drill-down": reverse("reports:drilldown", args=[inspection.pk, "2.1.1"]),
        "domain-1 judgements": reverse("reports:domain1", args=[inspection.pk]),
        "domain-1 rating": reverse("reports:domain1_edit", args=[inspection.pk, "1.1"]),
        "evidence": reverse("reports:evidence", args=[inspection.pk]),
        "writing overview": reverse("reports:write", args=[inspection.pk]),
        "writing a domain-1 standard": reverse(
            "reports:write_standard", args=[inspection.pk, "1.1"]
        ),
        "writing a domain-2 standard": reverse(
            "reports:write_standard", args=[inspection.pk, "2.1"]
        ),
        "writing a rating sentence": reverse("reports:write_rating", args=[inspection.pk, "2.2"]),
        "number check": reverse("reports:number_check", args=[inspection.pk]),
        "publish": reverse("reports:publish", args=[inspection.pk]),
        "QA review": reverse("cases:review", args=[case.pk]),
        "case": reverse("cases:detail", args=[case.pk]),
        "case section": reverse("cases:section", args=[case.pk, "2.1"]),
        "case on one page": reverse("cases:answer", args=[case.pk]),
        "check a case": reverse("cases:check_case", args=[case.pk]),
        "case print": reverse("cases:print", args=[case.pk]),
    }
    for slug in evidence:
        pages[f"evidence: {slug}"] = reverse("reports:evidence_source", args=[inspection.pk, slug])
    return pages


@pytest.mark.django_db
def test_markup_in_a_framework_is_text_on_every_page_that_shows_it(client, on_markup):
    # In moderation, where every page of the lead's is reached (the publish page's too).
    move(on_markup, InspectionStatus.MODERATION, on_markup.lead_inspector)
    client.force_login(on_markup.lead_inspector)
    failures = []
    for what, url in pages_showing_wording(on_markup).items():
        response = client.get(url)
        html = response.content.decode()
        if response.status_code != 200:
            failures.append((what, response.status_code))
        elif ESCAPED not in html:
            failures.append((what, "not shown escaped"))
        elif "<script>alert" in html or "<b>x" in html.lower():
            failures.append((what, "markup"))
    assert failures == [], failures


@pytest.mark.django_db
def test_markup_in_a_form_label_or_legend_is_escaped_once(client, on_markup):
    """crispy-forms-gds marks labels and legends safe: the forms escape framework text once
    (so '&amp;' in the file reads '&amp;' on the page, not '&')."""
    client.force_login(on_markup.lead_inspector)
    rating = client.get(reverse("reports:domain1_edit", args=[on_markup.pk, "1.1"])).content
    legend = re.search(rb"<legend[^>]*>(.*?)</legend>", rating, re.S).group(1).decode().strip()
    assert legend.startswith("Rating for ") and legend.endswith(ESCAPED.lower().strip())
    slug = slugify("staff survey" + MARKUP)
    tallies = client.get(reverse("reports:evidence_source", args=[on_markup.pk, slug])).content
    legends = re.findall(rb"<legend[^>]*>(.*?)</legend>", tallies, re.S)
    assert legends and all(legend.decode().strip().endswith(ESCAPED.strip()) for legend in legends)
