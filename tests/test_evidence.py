"""Domain-1 evidence (issue 11, part 3; docs/report-text.md): evidence questions as framework
data, tallies per inspection typed on the lead's page or imported from CSV, in the results model
and the published record, and in the bundle."""

import copy
import json
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from bundles.exporter import export_bundle
from bundles.importer import import_bundle
from bundles.validation import BundleError
from cases.framework_move import move_to_framework
from inspection.choices import AuditKind, InspectionStatus
from inspection.framework.export import export_framework
from inspection.framework.frozen import FrozenFrameworkError
from inspection.framework.loader import FrameworkFileError, load_framework
from inspection.framework.versioning import copy_framework
from inspection.models import AuditEntry, EvidenceQuestion, EvidenceTally, Framework
from inspection.published import PublishedInspectionError
from reports.evidence import (
    EvidenceRefused,
    Tally,
    import_tally_csv,
    record_tallies,
    tallies_by_code,
)
from reports.models import PublishedReport
from reports.publication import stored_report
from reports.publishing import move
from reports.report_model import EvidenceFigure, build_report
from tests.case_helpers import PASSWORD, team_member
from tests.csv_helpers import read_csv
from tests.factories import InspectionFactory, UserFactory

ROOT = Path(__file__).resolve().parent.parent
# The reference report's tallies (docs/report-text.md).
REFERENCE = {
    "interviews.held": Tally(relevant=19),
    "interviews.skills": Tally(percent=100),
    "interviews.workload_not_manageable": Tally(percent=38),
    "staff_survey.learning_promoted": Tally(yes=14, relevant=17),
    "pop_survey.respondents": Tally(relevant=66),
    "pop_survey.community": Tally(percent=41),
    "pop_survey.released": Tally(percent=58),
    "pop_survey.ethnic_minority": Tally(percent=20),
    "pop_survey.safe": Tally(percent=86),
    "pop_survey.private": Tally(percent=93),
    "pop_survey.services_relevant": Tally(percent=83),
    "pop_survey.services_timely": Tally(percent=77),
    "pop_survey.say_in_running": Tally(percent=0),
    "staff_profile.female": Tally(percent=77),
    "staff_profile.ethnic_minority": Tally(percent=15),
}
GOOD_CSV = (
    "key,yes,relevant,percent\n"
    "staff_survey.learning_promoted,14,17,\n"
    "interviews.held,,19,\n"
    "pop_survey.safe,,,86\n"
)


@pytest.fixture
def reference_bundle(reference_bundle_data) -> dict:
    """The reference bundle without its tallies (conftest's fixture, overridden here): each test
    records the tallies it needs."""
    bundle = copy.deepcopy(reference_bundle_data)
    bundle["report"].pop("evidence")
    return bundle


@pytest.fixture
def published(reference_inspection, lead):
    """The reference inspection with its tallies (its report cites each: publishing refuses a
    citation with no figure), published by its lead."""
    record_tallies(reference_inspection, REFERENCE, by=lead)
    move(reference_inspection, InspectionStatus.PUBLISHED, lead)
    return reference_inspection


def shipped(name: str) -> dict:
    return json.loads((ROOT / "inspection/frameworks" / f"{name}.json").read_text("utf-8"))


def tallies(inspection) -> dict:
    return {code: (t.yes, t.relevant, t.percent) for code, t in tallies_by_code(inspection).items()}


def evidence_entries(inspection):
    return AuditEntry.objects.filter(inspection_id=inspection.pk, kind=AuditKind.EVIDENCE)


# Evidence questions as framework data ----------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["hmip-pdu-2021", "hmip-pdu-2023"])
def test_the_shipped_pdu_frameworks_carry_the_evidence_questions(code):
    framework = Framework.objects.get(code=code, version=1)
    questions = list(framework.evidence_questions.order_by("order"))
    assert [q.code for q in questions] == list(REFERENCE)
    assert questions[8].source == "survey of people on probation"
    assert questions[8].text == "Felt safe accessing probation services"
    # The migration added them to the loaded version: it still exports as its file.
    assert export_framework(framework) == shipped(code)


@pytest.mark.django_db
def test_a_framework_without_evidence_exports_no_evidence_key():
    assert "evidence" not in export_framework(Framework.objects.newest("hmip-region-2023"))


@pytest.mark.django_db
def test_evidence_in_a_framework_file_is_checked_naming_each_problem():
    data = {**shipped("hmip-pdu-2023"), "version": 50}
    data["evidence"] = [
        {"code": "Pop Survey", "source": "survey", "text": "Felt safe"},
        {"code": "a.b", "source": "", "text": "x"},
        {"code": "a.b", "source": "s", "text": "y", "wording": "z"},
        "not an object",
    ]
    before = EvidenceQuestion.objects.count()
    with pytest.raises(FrameworkFileError) as error:
        load_framework(data)
    assert error.value.problems == [
        "evidence[0]: code 'Pop Survey' must be lower-case letters, digits and '_' in parts "
        "joined by '.', e.g. 'pop_survey.safe'",
        "evidence[1].source: must be text, not empty",
        "evidence[2]: unknown key 'wording'",
        "evidence[3]: must be an object, not str",
        "evidence: code 'a.b' is given 2 times",
    ]
    assert EvidenceQuestion.objects.count() == before


@pytest.mark.django_db
def test_a_loaded_file_round_trips_its_evidence():
    data = {**shipped("hmip-pdu-2023"), "version": 51}
    data["evidence"] = data["evidence"][:2]
    framework = load_framework(data)
    assert export_framework(framework) == data


@pytest.mark.django_db
def test_a_copy_keeps_the_evidence_and_moving_an_inspection_takes_its_tallies(
    framework, admin_user
):
    inspection = InspectionFactory(framework=framework, status=InspectionStatus.PLANNING)
    record_tallies(inspection, {"pop_survey.safe": Tally(percent=86)}, by=admin_user)
    copy = copy_framework(framework)
    assert list(copy.evidence_questions.values_list("code", flat=True)) == list(REFERENCE)
    move_to_framework(inspection, copy, admin_user)
    tally = EvidenceTally.objects.get(inspection=inspection)
    assert tally.question.framework_id == copy.pk
    assert tally.percent == 86


@pytest.mark.django_db
def test_evidence_questions_of_a_frozen_version_cannot_change(reference_inspection):
    framework = reference_inspection.framework  # in fieldwork: frozen
    question = framework.evidence_questions.first()
    question.text = "Changed"
    with pytest.raises(FrozenFrameworkError):
        question.save()
    with pytest.raises(IntegrityError, match="frozen"), transaction.atomic():
        EvidenceQuestion.objects.filter(pk=question.pk).update(text="Changed")
    with pytest.raises(IntegrityError, match="frozen"), transaction.atomic():
        EvidenceQuestion.objects.bulk_create(
            [EvidenceQuestion(framework=framework, code="new.one", source="s", text="t")]
        )


# The service -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_recording_tallies_sets_changes_and_clears_each_audited(reference_inspection, lead):
    changed = record_tallies(reference_inspection, REFERENCE, by=lead)
    assert changed == 15
    assert tallies(reference_inspection)["staff_survey.learning_promoted"] == (14, 17, None)
    assert tallies(reference_inspection)["interviews.held"] == (None, 19, None)
    assert tallies(reference_inspection)["pop_survey.safe"] == (None, None, 86)
    assert evidence_entries(reference_inspection).count() == 15

    assert record_tallies(reference_inspection, REFERENCE, by=lead) == 0  # nothing changed
    record_tallies(
        reference_inspection,
        {"pop_survey.safe": Tally(yes=57, relevant=66), "interviews.held": Tally()},
        by=lead,
    )
    assert tallies(reference_inspection)["pop_survey.safe"] == (57, 66, None)
    assert "interviews.held" not in tallies(reference_inspection)
    latest = {
        e.subject.split(" ")[1]: e for e in evidence_entries(reference_inspection).order_by("pk")
    }
    assert (latest["pop_survey.safe"].old_value, latest["pop_survey.safe"].new_value) == (
        "86%",
        "57 of 66",
    )
    assert latest["pop_survey.safe"].user == lead
    assert latest["pop_survey.safe"].subject == (
        "Evidence pop_survey.safe (survey of people on probation): Felt safe accessing "
        "probation services"
    )
    assert (latest["interviews.held"].old_value, latest["interviews.held"].new_value) == ("19", "")


@pytest.mark.django_db
def test_a_bad_tally_is_refused_naming_each_problem_and_nothing_changes(reference_inspection, lead):
    record_tallies(reference_inspection, {"pop_survey.safe": Tally(percent=86)}, by=lead)
    before = tallies(reference_inspection)
    with pytest.raises(EvidenceRefused) as refused:
        record_tallies(
            reference_inspection,
            {
                "pop_survey.safe": Tally(percent=50),  # fine alone, refused with the rest
                "staff_survey.learning_promoted": Tally(yes=18, relevant=17),
                "pop_survey.private": Tally(percent=101),
                "pop_survey.released": Tally(yes=3, relevant=4, percent=75),
                "interviews.skills": Tally(yes=3),
                "interviews.nonsense": Tally(percent=1),
            },
            by=lead,
        )
    assert refused.value.problems == [
        "interviews.nonsense: not an evidence question of this inspection's framework",
        "staff_survey.learning_promoted: yes: 18 is more than relevant (17)",
        "pop_survey.private: percent: must be from 0 to 100",
        "pop_survey.released: percent: give either a percentage alone, or yes and relevant: "
        "not both",
        "interviews.skills: relevant: give how many were asked (relevant) with yes",
    ]
    assert tallies(reference_inspection) == before


@pytest.mark.django_db
def test_the_database_refuses_a_tally_of_no_shape(reference_inspection):
    question = reference_inspection.framework.evidence_questions.first()
    for values in ({"yes": 3}, {"yes": 5, "relevant": 4}, {"percent": 101}, {}):
        with pytest.raises(IntegrityError), transaction.atomic():
            EvidenceTally.objects.create(
                inspection=reference_inspection, question=question, **values
            )


@pytest.mark.django_db
def test_tallies_of_a_published_inspection_are_locked(published, lead):
    with pytest.raises(PublishedInspectionError):
        record_tallies(published, {"pop_survey.safe": Tally(percent=87)}, by=lead)
    question = published.framework.evidence_questions.get(code="pop_survey.safe")
    with pytest.raises(IntegrityError, match="published"), transaction.atomic():
        EvidenceTally.objects.bulk_create(
            [EvidenceTally(inspection=published, question=question, percent=86)]
        )
    assert tallies_by_code(published) == REFERENCE


@pytest.mark.django_db
def test_a_published_inspections_tallies_refuse_change(published):
    tally = EvidenceTally.objects.get(inspection=published, question__code="pop_survey.safe")
    tally.percent = 10
    with pytest.raises(PermissionDenied):
        tally.save()
    with pytest.raises(IntegrityError, match="published"), transaction.atomic():
        EvidenceTally.objects.filter(pk=tally.pk).update(percent=10)
    with (
        pytest.raises(IntegrityError, match="published"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM inspection_evidencetally WHERE id = %s", [tally.pk])


# CSV import ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_csv_of_tallies_is_imported_and_audited(reference_inspection, lead):
    assert import_tally_csv(reference_inspection, GOOD_CSV.encode(), by=lead) == 3
    assert tallies(reference_inspection) == {
        "staff_survey.learning_promoted": (14, 17, None),
        "interviews.held": (None, 19, None),
        "pop_survey.safe": (None, None, 86),
    }
    assert set(evidence_entries(reference_inspection).values_list("reason", flat=True)) == {
        "Imported from CSV"
    }


@pytest.mark.django_db
def test_a_bad_csv_is_refused_naming_each_line_and_column_and_nothing_changes(
    reference_inspection, lead
):
    record_tallies(reference_inspection, {"pop_survey.safe": Tally(percent=86)}, by=lead)
    text = (
        "key,yes,relevant,percent\n"
        "pop_survey.safe,,,50\n"  # fine, refused with the rest
        '=HYPERLINK("http://x"),,,1\n'
        "staff_survey.learning_promoted,=1+1,17,\n"
        "interviews.held,20,19,\n"
        "pop_survey.private,,,101\n"
        "pop_survey.safe,,,60\n"
        "pop_survey.released,\x01,,\n"
        "pop_survey.community,,,\n"
        "pop_survey.services_timely,1,2,3,4\n"
    )
    with pytest.raises(EvidenceRefused) as refused:
        import_tally_csv(reference_inspection, text.encode(), by=lead)
    assert refused.value.problems == [
        "Line 3, column key: '=HYPERLINK(\"http://x\")' is not an evidence question of this "
        "inspection's framework",
        "Line 4, column yes: '=1+1' is not a whole number in the digits 0 to 9",
        "Line 5, column yes: 20 is more than relevant (19)",
        "Line 6, column percent: must be from 0 to 100",
        "Line 7, column key: pop_survey.safe is given twice (also on line 2)",
        "Line 8, column yes: contains a control character (U+0001) at position 1",
        "Line 9: give yes and relevant, relevant alone, or percent (to leave a tally out, leave "
        "out its line)",
        "Line 10: 5 fields, but the header has 4 columns",
    ]
    assert tallies(reference_inspection) == {"pop_survey.safe": (None, None, 86)}
    assert evidence_entries(reference_inspection).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"\xff\xfekey", "The file is not UTF-8 text: save it as CSV UTF-8 and try again"),
        (b"", "The file is empty: give a header line key,yes,relevant,percent"),
        (b"key,yes,relevant\n", "Line 1: missing column 'percent'"),
        (b"key,yes,relevant,percent,note\n", "Line 1: unknown column 'note'"),
        (b"key,yes,relevant,percent\n", "The file has a header but no tallies"),
        (b"x" * 100_001, "The file is larger than 100 KB"),
    ],
)
def test_a_csv_that_is_not_a_tally_file_is_refused(reference_inspection, lead, data, problem):
    with pytest.raises(EvidenceRefused) as refused:
        import_tally_csv(reference_inspection, data, by=lead)
    assert refused.value.problems == [problem]


# The lead's pages ------------------------------------------------------------------------------


@pytest.fixture
def lead_client(client, lead):
    client.force_login(lead)
    return client


@pytest.mark.django_db
def test_the_lead_types_one_sources_tallies(lead_client, reference_inspection):
    overview = reverse("reports:evidence", args=[reference_inspection.pk])
    page = lead_client.get(overview)
    assert page.status_code == 200
    assert "Survey of people on probation" in page.content.decode()
    url = reverse(
        "reports:evidence_source", args=[reference_inspection.pk, "survey-of-people-on-probation"]
    )
    form = lead_client.get(url)
    assert form.status_code == 200
    assert "Felt safe accessing probation services" in form.content.decode()
    response = lead_client.post(
        url,
        {
            "pop_survey__respondents-relevant": "66",
            "pop_survey__safe-percent": "86",
            "pop_survey__private-yes": "",
        },
    )
    assert response.status_code == 302
    assert tallies(reference_inspection) == {
        "pop_survey.respondents": (None, 66, None),
        "pop_survey.safe": (None, None, 86),
    }
    shown = lead_client.get(overview).content.decode()
    assert "86%" in shown and "66" in shown


@pytest.mark.django_db
def test_a_bad_tally_on_the_page_is_shown_against_its_field_and_nothing_saved(
    lead_client, reference_inspection
):
    url = reverse("reports:evidence_source", args=[reference_inspection.pk, "staff-survey"])
    response = lead_client.post(
        url,
        {
            "staff_survey__learning_promoted-yes": "18",
            "staff_survey__learning_promoted-relevant": "17",
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert (
        "“Said learning and improvement was always or mostly promoted”: 18 is more than "
        "relevant (17)" in text
    )
    assert 'href="#id_staff_survey__learning_promoted-yes"' in text
    response = lead_client.post(url, {"staff_survey__learning_promoted-percent": "٣"})
    assert response.status_code == 400
    assert "must be a whole number, in the digits 0 to 9" in response.content.decode()
    assert tallies(reference_inspection) == {}


@pytest.mark.django_db
def test_the_lead_imports_and_downloads_the_tallies_as_csv(lead_client, reference_inspection):
    url = reverse("reports:evidence", args=[reference_inspection.pk])
    response = lead_client.post(
        url, {"file": SimpleUploadedFile("tallies.csv", GOOD_CSV.encode(), "text/csv")}
    )
    assert response.status_code == 302
    assert len(tallies(reference_inspection)) == 3
    bad = lead_client.post(
        url, {"file": SimpleUploadedFile("t.csv", b"key,yes,relevant,percent\nnope,,,1\n")}
    )
    assert bad.status_code == 400
    assert (
        "Line 2, column key: &#x27;nope&#x27; is not an evidence question" in bad.content.decode()
    )
    download = lead_client.get(reverse("reports:evidence_csv", args=[reference_inspection.pk]))
    content = b"".join(download.streaming_content)
    rows = read_csv(content)
    assert rows[0] == ["key", "yes", "relevant", "percent"]
    assert ["staff_survey.learning_promoted", "14", "17", ""] in rows
    assert ["pop_survey.safe", "", "", "86"] in rows
    assert len(rows) == 16
    # Text quoted, numbers bare (inspection/csv_safe.py).
    assert '"staff_survey.learning_promoted",14,17,""' in content.decode()
    # What is downloaded imports again, changing nothing (the lines without a tally left out).
    filled = [line for line in content.decode().splitlines() if not line.endswith(',"","",""')]
    again = lead_client.post(
        url, {"file": SimpleUploadedFile("again.csv", "\n".join(filled).encode())}
    )
    assert again.status_code == 302


@pytest.mark.django_db
def test_only_the_lead_reaches_the_evidence_pages(client, reference_inspection, lead):
    inspector = team_member(reference_inspection, "ines")
    client.force_login(inspector)
    assert (
        client.get(reverse("reports:evidence", args=[reference_inspection.pk])).status_code == 404
    )
    assert (
        client.get(reverse("reports:evidence_csv", args=[reference_inspection.pk])).status_code
        == 404
    )


@pytest.mark.django_db
def test_a_published_inspections_evidence_page_is_read_only(lead_client, published):
    page = lead_client.get(reverse("reports:evidence", args=[published.pk]))
    assert page.status_code == 200
    assert "Import tallies" not in page.content.decode()
    url = reverse("reports:evidence_source", args=[published.pk, "staff-profile"])
    assert lead_client.get(url).status_code == 404
    assert lead_client.post(url, {"staff_profile__female-percent": "77"}).status_code == 404


# The results model, the published record, the report ------------------------------------------


@pytest.mark.django_db
def test_the_report_holds_the_tallies_and_publication_stores_them(
    client, reference_inspection, lead
):
    record_tallies(reference_inspection, REFERENCE, by=lead)
    report = build_report(reference_inspection)
    assert len(report.evidence) == 15
    assert report.evidence_figure("staff_survey.learning_promoted") == EvidenceFigure(
        key="staff_survey.learning_promoted",
        label="Said learning and improvement was always or mostly promoted",
        source="staff survey",
        yes=14,
        relevant=17,
        percent=82,
    )
    assert report.evidence_figure("pop_survey.safe").percent == 86
    assert report.evidence_figure("interviews.held").relevant == 19
    assert report.evidence_figure("nothing") is None

    move(reference_inspection, InspectionStatus.PUBLISHED, lead)
    record = PublishedReport.objects.get(inspection=reference_inspection)
    assert record.results["evidence"][3]["percent"] == 82
    assert stored_report(reference_inspection, record.results).evidence == report.evidence
    client.force_login(lead)
    page = client.get(reverse("reports:report", args=[reference_inspection.pk])).content.decode()
    assert "Evidence from interviews, surveys and the staff profile" in page
    assert "14 of 17 (82%)" in page


# The bundle ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_reference_bundle_carries_the_reference_tallies(reference_bundle_data):
    inspection = import_bundle(copy.deepcopy(reference_bundle_data))
    assert tallies_by_code(inspection) == REFERENCE
    assert export_bundle(inspection)["report"] == reference_bundle_data["report"]


@pytest.mark.django_db
def test_the_bundle_round_trips_the_tallies(reference_inspection, lead):
    record_tallies(reference_inspection, REFERENCE, by=lead)
    bundle = export_bundle(reference_inspection)
    assert bundle["report"]["evidence"]["staff_survey.learning_promoted"] == {
        "yes": 14,
        "relevant": 17,
    }
    assert bundle["report"]["evidence"]["pop_survey.safe"] == {"percent": 86}
    copy_ = import_bundle(json.loads(json.dumps(bundle)))
    assert tallies(copy_) == tallies(reference_inspection)
    assert export_bundle(copy_)["report"]["evidence"] == bundle["report"]["evidence"]
    assert evidence_entries(copy_).count() == 15
    assert set(evidence_entries(copy_).values_list("reason", flat=True)) == {"Imported from bundle"}


@pytest.mark.django_db
def test_bad_evidence_in_a_bundle_is_named_and_nothing_is_imported(reference_bundle):
    bundle = copy.deepcopy(reference_bundle)
    bundle.setdefault("report", {})["evidence"] = {
        "pop_survey.safe": {"percent": "86"},
        "staff_survey.learning_promoted": {"yes": 18, "relevant": 17},
        "pop_survey.private": {"percent": 93, "note": "x"},
        "unknown.key": {"percent": 1},
        "pop_survey.released": True,
    }
    from inspection.models import Inspection

    before = Inspection.objects.count()
    with pytest.raises(BundleError) as refused:
        import_bundle(bundle)
    assert [p for p in refused.value.problems if p.startswith("report.evidence")] == [
        "report.evidence.pop_survey.safe.percent: expected a whole number, got '86'",
        "report.evidence.staff_survey.learning_promoted.yes: 18 is more than relevant (17)",
        "report.evidence.pop_survey.private: unknown field 'note'",
        "report.evidence.'unknown.key': not an evidence question of hmip-pdu-2021",
        "report.evidence.pop_survey.released: expected an object of yes, relevant or percent",
    ]
    assert Inspection.objects.count() == before


@pytest.mark.django_db
def test_a_bundle_without_tallies_exports_no_evidence(reference_inspection):
    assert "evidence" not in export_bundle(reference_inspection).get("report", {})


@pytest.mark.django_db
def test_another_user_cannot_record_tallies_through_the_pages(client, reference_inspection, lead):
    other = UserFactory(username="outsider", password=PASSWORD)
    client.force_login(other)
    url = reverse("reports:evidence_source", args=[reference_inspection.pk, "staff-profile"])
    assert client.post(url, {"staff_profile__female-percent": "77"}).status_code == 404
    assert tallies(reference_inspection) == {}
