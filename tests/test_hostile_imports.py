"""Imports fed what an attacker (or a broken spreadsheet) would send: each is refused with a
problem naming where it is, never a traceback, and nothing is written.

Bundles through import_bundle (bytes) and the import_inspection command; case-sample CSVs
through the lead's page, the admin import page and the import_cases command.
"""

import html
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from bundles.importer import import_bundle
from bundles.reading import MAX_BYTES as BUNDLE_MAX_BYTES
from bundles.validation import BundleError
from cases.import_checks import PRACTITIONERS_MAX, PRACTITIONERS_MIN
from cases.models import Answer, Case
from cases.sample_import import SampleRefused, import_sample
from inspection.input_rules import control_character_problem
from inspection.models import AuditEntry, Inspection
from tests.case_helpers import team_member
from tests.factories import InspectionFactory
from tests.test_races import run_together

TABLES = [Inspection, Case, Answer, AuditEntry]


def row_counts():
    return {model.__name__: model.objects.count() for model in TABLES}


# --- the shared checks --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("BWD\x0001", "contains a control character (U+0000) at position 4"),
        ("\x1b[31m", "contains a control character (U+001B) at position 1"),
        ("a\x7f", "contains a control character (U+007F) at position 2"),
        ("a\x85", "contains a control character (U+0085) at position 2"),
        ("note \ud800", "contains an unpaired surrogate (U+D800) at position 6"),
        ("line\none\r\n\ttabbed, café, ²", None),
    ],
)
def test_control_characters_are_named_with_their_position(text, problem):
    assert control_character_problem(text) == problem


@pytest.mark.django_db
def test_practitioners_range_is_what_the_column_holds():
    field = Case._meta.get_field("practitioners")
    low, high = connection.ops.integer_field_range(field.get_internal_type())
    assert (max(low, 1), high) == (PRACTITIONERS_MIN, PRACTITIONERS_MAX)


# --- bundles ------------------------------------------------------------------------------------


def encoded(bundle: dict) -> bytes:
    return json.dumps(bundle).encode()


def first_note(bundle: dict) -> tuple[dict, str]:
    case = next(c for c in bundle["cases"] if c["notes"])
    return case, next(iter(case["notes"]))


def attributes_null(b):
    b["cases"][0]["attributes"] = None
    return encoded(b), f"case {b['cases'][0]['ref']}: attributes: expected an object of"


def status_published(b):
    b["inspection"]["status"] = "published"
    return encoded(b), "inspection.status: 'published' cannot be set by a bundle"


def status_moderation(b):
    b["inspection"]["status"] = "moderation"
    return encoded(b), "inspection.status: 'moderation' cannot be set by a bundle"


def megabyte_note(b):
    case, code = first_note(b)
    case["notes"][code] = "x" * 1_048_576
    return (
        encoded(b),
        f"case {case['ref']}: notes.{code}: 1,048,576 characters; the limit is 5,000",
    )


def long_recommendation(b):
    b["recommendations"][0]["text"] = "r" * 2_001
    return encoded(b), "recommendations[0].text: 2,001 characters; the limit is 2,000"


def long_strength(b):
    b["domain1"]["1.1"]["strengths"] = ["s" * 1_001]
    return encoded(b), "domain1.1.1.strengths[0]: 1,001 characters; the limit is 1,000"


def too_many_strengths(b):
    b["domain1"]["1.1"]["areas_for_improvement"] = ["one more"] * 31
    return encoded(b), "domain1.1.1.areas_for_improvement: 31 items; the limit is 30"


def invalid_utf8(b):
    raw = encoded(b)
    at = raw.index(b"Blackburn")
    return raw[:at] + b"\xff" + raw[at + 1 :], f"bundle: not UTF-8 text: the byte at offset {at}"


def deep_nesting(b):
    return b"[" * 100_000 + b"]" * 100_000, (
        "bundle: objects and lists nested more than 20 deep (line 1, column 21)"
    )


def deep_nesting_inside_a_note(b):
    case, code = first_note(b)
    case["notes"][code] = "placeholder"
    raw = encoded(b).replace(b'"placeholder"', b"[" * 5_000 + b"]" * 5_000)
    return raw, "bundle: objects and lists nested more than 20 deep"


def too_large(b):
    raw = encoded(b)
    return raw + b" " * (BUNDLE_MAX_BYTES + 1 - len(raw)), (
        "bundle: more than 20,000,000 bytes; the limit is 20 MB"
    )


def huge_integer(b):
    b["cases"][0]["practitioners"] = 7
    return encoded(b).replace(b'"practitioners": 7', b'"practitioners": ' + b"9" * 5_000), (
        "bundle: not valid JSON (Exceeds the limit (4300 digits)"
    )


def practitioners_overflow(b):
    b["cases"][0]["practitioners"] = 99_999
    return encoded(b), (
        f"case {b['cases'][0]['ref']}: practitioners: 99999 is not a whole number from 1 to 32,767"
    )


def nul_in_note(b):
    case, code = first_note(b)
    case["notes"][code] = "evidence\x00"
    return (
        encoded(b),
        f"case {case['ref']}: notes.{code}: contains a control character (U+0000) at position 9",
    )


def nul_in_ref(b):
    b["cases"][0]["ref"] = "BWD\x0001"
    return encoded(b), "cases[0]: ref: contains a control character (U+0000) at position 4"


def nul_in_region(b):
    b["inspection"]["region"] = "North\x00West"
    return encoded(b), "inspection.region: contains a control character (U+0000) at position 6"


def nul_in_framework(b):
    b["framework"] = "hmip-pdu-2021\x00"
    return encoded(b), "bundle: framework: unknown framework 'hmip-pdu-2021\\x00'"


def unpaired_surrogate_in_strength(b):
    b["domain1"]["1.1"]["strengths"] = ["a strength \ud800"]
    return encoded(b), (
        "domain1.1.1.strengths[0]: contains an unpaired surrogate (U+D800) at position 12"
    )


BUNDLES = [
    attributes_null,
    status_published,
    status_moderation,
    megabyte_note,
    long_recommendation,
    long_strength,
    too_many_strengths,
    invalid_utf8,
    deep_nesting,
    deep_nesting_inside_a_note,
    too_large,
    huge_integer,
    practitioners_overflow,
    nul_in_note,
    nul_in_ref,
    nul_in_region,
    nul_in_framework,
    unpaired_surrogate_in_strength,
]


@pytest.mark.django_db
@pytest.mark.parametrize("hostile", BUNDLES, ids=[b.__name__ for b in BUNDLES])
def test_importer_refuses_a_hostile_bundle_naming_the_problem(reference_bundle, hostile):
    raw, message = hostile(reference_bundle)
    before = row_counts()
    with pytest.raises(BundleError) as refused:
        import_bundle(raw)
    assert any(message in problem for problem in refused.value.problems), refused.value.problems
    assert all(len(problem) < 500 for problem in refused.value.problems)  # values cut short
    assert row_counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize("hostile", BUNDLES, ids=[b.__name__ for b in BUNDLES])
def test_command_refuses_a_hostile_bundle_naming_the_problem(tmp_path, reference_bundle, hostile):
    raw, message = hostile(reference_bundle)
    path = tmp_path / "hostile.json"
    path.write_bytes(raw)
    before = row_counts()
    with pytest.raises(CommandError) as refused:
        call_command("import_inspection", str(path))
    assert "was refused; nothing was written" in str(refused.value)
    assert message in str(refused.value)
    assert row_counts() == before


@pytest.mark.django_db
def test_a_bundle_may_start_an_inspection_in_planning(reference_bundle):
    reference_bundle["inspection"]["status"] = "planning"
    assert import_bundle(encoded(reference_bundle)).status == "planning"
    del reference_bundle["inspection"]["status"]
    reference_bundle["inspection"]["pdu"] = "Burnley"
    assert import_bundle(encoded(reference_bundle)).status == "fieldwork"


# --- case-sample CSVs ---------------------------------------------------------------------------

HEADER = (
    "ref,sentence_type,start_date,court_work,resettlement,gender,ethnicity,disability,"
    "age_band,rosh,practitioners,inspector"
)
GOOD = "NEW-02,licence,13/09/2022,no,yes,female,mixed,yes,18-25,high,2,"


def sample(*rows: str) -> bytes:
    return "\n".join([HEADER, *rows, ""]).encode()


def with_field(column: str, value: str, row: str = GOOD) -> str:
    fields = row.split(",")
    fields[HEADER.split(",").index(column)] = value
    return ",".join(fields)


CSVS = {
    "nul_in_ref": (
        sample(with_field("ref", "NEW\x0002")),
        "Line 2: ref: contains a control character (U+0000) at position 4",
    ),
    "nul_in_gender": (
        sample(GOOD.replace("NEW-02", "NEW-01"), with_field("gender", "fe\x00male")),
        "Line 3: gender: contains a control character (U+0000) at position 3",
    ),
    "escape_in_inspector": (
        sample(with_field("inspector", "\x1b[2Jines")),
        "Line 2: inspector: contains a control character (U+001B) at position 1",
    ),
    "superscript_practitioners": (
        sample(with_field("practitioners", "²")),
        "Line 2: practitioners: '²' is not a whole number from 1 to 32,767",
    ),
    "practitioners_overflow": (
        sample(with_field("practitioners", "99999")),
        "Line 2: practitioners: '99999' is not a whole number from 1 to 32,767",
    ),
    "blank_row_with_an_extra_field": (
        sample(GOOD, "," * 12),
        "Line 3: 13 fields, but the header has 12 columns",
    ),
    "row_with_an_extra_field": (
        sample(GOOD + ",surplus"),
        "Line 2: 13 fields, but the header has 12 columns",
    ),
    "field_over_csv_limit": (
        sample(with_field("ref", "R" * 200_000)),
        "Line 2: ref: 200,000 characters; the limit is 30",
    ),
    "long_field_in_a_choice": (
        sample(with_field("ethnicity", "e" * 200_000)),
        "Line 2: ethnicity: 'eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee... (200,000 characters) "
        "is not one of",
    ),
}


@pytest.fixture
def lead_client(client, reference_inspection):
    lead = team_member(reference_inspection, "lead")
    reference_inspection.lead_inspector = lead
    reference_inspection.save()
    client.force_login(lead)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("name", CSVS)
def test_service_refuses_a_hostile_csv_naming_row_and_field(reference_inspection, name):
    data, message = CSVS[name]
    before = row_counts()
    with pytest.raises(SampleRefused) as refused:
        import_sample(reference_inspection, data)
    assert message in refused.value.problems or any(
        p.startswith(message) for p in refused.value.problems
    ), refused.value.problems
    assert row_counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize("name", CSVS)
def test_leads_page_refuses_a_hostile_csv(lead_client, reference_inspection, name):
    data, message = CSVS[name]
    before = row_counts()
    response = lead_client.post(
        reverse("cases:import", args=[reference_inspection.pk]),
        {"file": SimpleUploadedFile("sample.csv", data)},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "nothing has been added" in page
    assert html.escape(message) in page
    assert row_counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize("name", CSVS)
def test_admin_page_refuses_a_hostile_csv(client, admin_user, reference_inspection, name):
    data, message = CSVS[name]
    client.force_login(admin_user)
    before = row_counts()
    response = client.post(
        reverse("admin:inspection_inspection_import_cases", args=[reference_inspection.pk]),
        {"file": SimpleUploadedFile("sample.csv", data)},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "nothing was added" in page
    assert html.escape(message) in page
    assert row_counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize("name", CSVS)
def test_command_refuses_a_hostile_csv(tmp_path, reference_inspection, name):
    data, message = CSVS[name]
    path = tmp_path / "sample.csv"
    path.write_bytes(data)
    before = row_counts()
    with pytest.raises(CommandError) as refused:
        call_command("import_cases", reference_inspection.pk, str(path))
    assert "was refused; nothing was written" in str(refused.value)
    assert message in str(refused.value)
    assert row_counts() == before


@pytest.mark.django_db
def test_a_column_named_twice_is_refused(reference_inspection):
    data = sample(GOOD).replace(b",inspector", b",ref", 1)
    with pytest.raises(SampleRefused) as refused:
        import_sample(reference_inspection, data)
    assert refused.value.problems == ["Line 1: column 'ref' appears more than once"]


@pytest.mark.django_db
def test_blank_rows_are_skipped(reference_inspection):
    cases = import_sample(reference_inspection, sample("", ",,,", GOOD, " , ,", ""))
    assert [c.ref for c in cases] == ["NEW-02"]


@pytest.mark.django_db(transaction=True)
def test_two_identical_imports_at_once_add_the_cases_once():
    """Both start together; the second waits for the first's lock on the inspection, then finds
    every reference taken and says so (never the database's unique-constraint error)."""
    inspection = InspectionFactory()
    for round_ in range(5):
        refs = [f"RACE-{round_}-{n}" for n in (1, 2)]
        data = sample(
            *(with_field("start_date", "2023-09-05", with_field("ref", ref)) for ref in refs)
        )
        outcomes = run_together(*[lambda data=data: import_sample(inspection, data)] * 2)
        added = [o for o in outcomes if isinstance(o, list)]
        refused = [o for o in outcomes if isinstance(o, SampleRefused)]
        assert (len(added), len(refused)) == (1, 1), outcomes
        assert refused[0].problems == [
            f"Line {line}: ref: case {ref!r} is already in this inspection"
            for line, ref in enumerate(refs, start=2)
        ]
    assert Case.objects.filter(inspection=inspection).count() == 10
    assert AuditEntry.objects.filter(inspection=inspection, subject="Case").count() == 10
