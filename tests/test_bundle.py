"""Importing a bundle checks everything first and writes all or nothing; export round-trips."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from bundles.exporter import export_bundle
from bundles.importer import import_bundle
from bundles.validation import BundleError
from cases.models import Answer, Case
from inspection.models import PDU, Domain1Judgement, Inspection, Recommendation, Region
from reports.report_model import build_report

TABLES = [Region, PDU, Inspection, Case, Answer, Domain1Judgement, Recommendation]


def row_counts():
    return {model.__name__: model.objects.count() for model in TABLES}


def case(bundle, ref):
    return next(c for c in bundle["cases"] if c["ref"] == ref)


def first_case_without_court_work(bundle):
    return next(c for c in bundle["cases"] if not c["court_work"])


def break_unknown_answer_code(b):
    case(b, "BWD-03")["answers"]["2.2.9"] = "yes"


def break_unknown_note_code(b):
    case(b, "BWD-03")["notes"]["9.9"] = "text"


def break_answer_value(b):
    case(b, "BWD-04")["answers"]["2.2.1"] = "maybe"


def break_rating_value(b):
    b["domain1"]["1.2"]["rating"] = "excellent"


def break_unknown_domain1_code(b):
    b["domain1"]["2.2"] = {"rating": "good"}


def break_duplicate_ref(b):
    case(b, "BWD-05")["ref"] = "BWD-06"


def break_missing_ref(b):
    del case(b, "BWD-07")["ref"]


def break_missing_case_field(b):
    del case(b, "BWD-08")["sentence_type"]


def break_missing_attribute(b):
    del case(b, "BWD-09")["attributes"]["rosh"]


def break_missing_inspection_field(b):
    del b["inspection"]["pdu"]


def break_limiting_rule(b):
    b["domain1"]["1.1"]["rating"] = "good"


def break_inapplicable_answer(b):
    first_case_without_court_work(b)["answers"]["2.1.1"] = "yes"


def break_start_date(b):
    case(b, "BWD-10")["start_date"] = "2022-10-01"


def break_bad_date(b):
    b["inspection"]["fieldwork_start"] = "27/03/2023"


def break_addressee(b):
    b["recommendations"][0]["addressee"] = "minister"


def break_format(b):
    b["format"] = "inspection-bundle/2"


def break_unknown_framework(b):
    b["framework"] = "hmip-pdu-1999"


MALFORMED = [
    (break_unknown_answer_code, "case BWD-03: answers.2.2.9: unknown question code"),
    (break_unknown_note_code, "case BWD-03: notes.9.9: unknown question code"),
    (break_answer_value, "case BWD-04: answers.2.2.1: 'maybe' is not one of yes, no, na"),
    (break_rating_value, "domain1.1.2.rating: 'excellent' is not one of"),
    (break_unknown_domain1_code, "domain1.2.2: unknown code"),
    (break_duplicate_ref, "case BWD-06: ref: duplicate case reference 'BWD-06'"),
    (break_missing_ref, "cases[6]: missing required field 'ref'"),
    (break_missing_case_field, "case BWD-08: missing required field 'sentence_type'"),
    (break_missing_attribute, "case BWD-09: attributes: missing required field 'rosh'"),
    (break_missing_inspection_field, "inspection: missing required field 'pdu'"),
    (break_limiting_rule, "domain1.1.1.rating: 1.1 cannot be rated good: When court work"),
    (break_inapplicable_answer, "answers.2.1.1: answered 'yes' but the question applies only"),
    (break_start_date, "case BWD-10: start_date: 2022-10-01 is outside every sample window"),
    (break_bad_date, "inspection.fieldwork_start: '27/03/2023' is not a date"),
    (break_addressee, "recommendations[0].addressee: 'minister' is not one of"),
    (break_format, "bundle: format must be 'inspection-bundle/1'"),
    (break_unknown_framework, "bundle: framework: unknown framework 'hmip-pdu-1999'"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("breakage", "message"), MALFORMED, ids=[m[0].__name__ for m in MALFORMED])
def test_malformed_bundle_is_refused_naming_the_problem(reference_bundle, breakage, message):
    import_bundle(json.loads(json.dumps(reference_bundle)))  # something already in the database
    before = row_counts()
    breakage(reference_bundle)
    with pytest.raises(BundleError) as refused:
        import_bundle(reference_bundle)
    assert any(message in problem for problem in refused.value.problems), refused.value.problems
    assert row_counts() == before


@pytest.mark.django_db
def test_every_problem_is_listed_at_once(reference_bundle):
    break_answer_value(reference_bundle)
    break_duplicate_ref(reference_bundle)
    break_addressee(reference_bundle)
    with pytest.raises(BundleError) as refused:
        import_bundle(reference_bundle)
    assert len(refused.value.problems) == 3


@pytest.mark.django_db
def test_command_refuses_and_writes_nothing(tmp_path, reference_bundle):
    break_answer_value(reference_bundle)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(reference_bundle))
    with pytest.raises(CommandError, match=r"(?s)nothing was written.*case BWD-04: answers.2.2.1"):
        call_command("import_inspection", str(path))
    assert set(row_counts().values()) == {0}


@pytest.mark.django_db
def test_command_refuses_a_file_that_is_not_json(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{not json")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("import_inspection", str(path))
    assert Inspection.objects.count() == 0


@pytest.mark.django_db
def test_command_imports_and_prints_the_id(tmp_path, reference_bundle):
    path = tmp_path / "ref.json"
    path.write_text(json.dumps(reference_bundle))
    out = StringIO()
    call_command("import_inspection", str(path), stdout=out)
    inspection = Inspection.objects.get()
    assert out.getvalue().strip() == str(inspection.pk)
    assert inspection.cases.count() == 21


def comparable(summary: dict) -> dict:
    """The figures: not which row it is, nor where it is in its lifecycle."""
    return {**summary, "inspection": {**summary["inspection"], "id": None, "status": None}}


@pytest.mark.django_db
def test_export_then_import_round_trips(reference_inspection, reference_bundle):
    out = StringIO()
    call_command("export_inspection", reference_inspection.pk, stdout=out)
    exported = json.loads(out.getvalue())
    # The export is the bundle that was imported.
    assert exported["cases"] == reference_bundle["cases"]
    assert exported["domain1"] == reference_bundle["domain1"]
    assert exported["recommendations"] == reference_bundle["recommendations"]

    again = import_bundle(exported)
    assert comparable(build_report(again).as_summary_dict()) == comparable(
        build_report(reference_inspection).as_summary_dict()
    )
    assert export_bundle(again) == exported


@pytest.mark.django_db
def test_export_of_unknown_inspection_is_an_error():
    with pytest.raises(CommandError, match="no inspection with id 999"):
        call_command("export_inspection", 999)


@pytest.mark.django_db
def test_a_published_inspection_round_trips_as_a_copy_in_fieldwork(published):
    """A bundle cannot set a status past fieldwork, so the export leaves it out: the copy has the
    same data and figures, and is published only through the lifecycle, if at all."""
    exported = export_bundle(published)
    assert "status" not in exported["inspection"]
    again = import_bundle(exported)
    assert again.status == "fieldwork"
    assert comparable(build_report(again).as_summary_dict()) == comparable(
        build_report(published).as_summary_dict()
    )
    assert export_bundle(again) == exported
