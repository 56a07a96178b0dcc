"""Case-sample CSV import: every row checked; one bad row changes nothing and is named."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from cases.models import Case
from cases.sample_import import SampleRefused, import_sample
from inspection.models import AuditEntry
from tests.case_helpers import team_member

HEADER = (
    "ref,sentence_type,start_date,court_work,resettlement,gender,ethnicity,disability,"
    "age_band,rosh,practitioners,inspector\n"
)
GOOD = [
    "NEW-01,community_order,2022-08-30,yes,no,male,white,no,26-35,medium,1,ines",
    "NEW-02,licence,13/09/2022,no,yes,female,mixed,yes,18-25,high,2,",
]


def csv(*rows):
    return (HEADER + "\n".join(rows) + "\n").encode()


@pytest.mark.django_db
def test_good_file_adds_every_case(reference_inspection):
    team_member(reference_inspection, "ines")
    cases = import_sample(reference_inspection, csv(*GOOD))
    added = AuditEntry.objects.filter(
        inspection=reference_inspection, subject="Case", new_value="Added (not started)"
    )
    assert sorted(added.values_list("case_ref", flat=True)) == sorted(c.ref for c in cases)
    assert [c.ref for c in cases] == ["NEW-01", "NEW-02"]
    second = Case.objects.get(ref="NEW-02")
    assert (second.resettlement, second.start_date.isoformat(), second.practitioners) == (
        True,
        "2022-09-13",
        2,
    )
    assert Case.objects.get(ref="NEW-01").assigned_inspector.username == "ines"
    assert second.status == "not_started"


@pytest.mark.django_db
def test_one_bad_row_refuses_the_file_naming_row_and_field(reference_inspection):
    team_member(reference_inspection, "ines")
    before = Case.objects.count()
    bad = "NEW-03,parole,2022-10-01,maybe,no,male,white,no,26-35,extreme,0,nobody"
    with pytest.raises(SampleRefused) as refused:
        import_sample(reference_inspection, csv(*GOOD, bad, "BWD-01" + GOOD[0][6:], GOOD[0]))
    problems = refused.value.problems
    assert "Line 4: sentence_type: 'parole' is not one of" in problems[0]
    assert any(
        p.startswith("Line 4: start_date: 01/10/2022 is outside the sample windows")
        for p in problems
    )
    assert "Line 4: court_work: 'maybe' is not yes or no" in problems
    assert any(p.startswith("Line 4: rosh: 'extreme' is not one of") for p in problems)
    assert "Line 4: practitioners: '0' is not a whole number from 1 to 32,767" in problems
    assert "Line 4: inspector: 'nobody' is not on this inspection's team" in problems
    assert "Line 5: ref: case 'BWD-01' is already in this inspection" in problems
    assert "Line 6: ref: 'NEW-01' is also on line 2" in problems
    assert Case.objects.count() == before


@pytest.mark.django_db
def test_missing_columns_are_named(reference_inspection):
    with pytest.raises(SampleRefused) as refused:
        import_sample(reference_inspection, b"ref,sentence_type,colour\nA,licence,red\n")
    assert "Line 1: missing column 'start_date'" in refused.value.problems
    assert "Line 1: unknown column 'colour'" in refused.value.problems


@pytest.mark.django_db
def test_upload_page_shows_problems_and_writes_nothing(client, reference_inspection):
    team_member(reference_inspection, "ines")
    lead = team_member(reference_inspection, "lead")
    reference_inspection.lead_inspector = lead
    reference_inspection.save()
    client.force_login(lead)
    before = Case.objects.count()
    upload = SimpleUploadedFile(
        "s.csv", csv(GOOD[0], "NEW-09,licence,bad-date,no,yes,male,white,no,26-35,low,,")
    )
    response = client.post(
        reverse("cases:import", args=[reference_inspection.pk]), {"file": upload}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "nothing has been added" in page
    assert "Line 3: start_date: &#x27;bad-date&#x27; is not a date" in page
    assert Case.objects.count() == before
    upload = SimpleUploadedFile("s.csv", csv(GOOD[1]))
    response = client.post(
        reverse("cases:import", args=[reference_inspection.pk]), {"file": upload}
    )
    assert response.status_code == 302
    assert Case.objects.count() == before + 1


@pytest.mark.django_db
def test_command(tmp_path, reference_inspection):
    path = tmp_path / "s.csv"
    path.write_bytes(csv(GOOD[1]))
    call_command("import_cases", reference_inspection.pk, str(path))
    assert Case.objects.filter(ref="NEW-02").exists()
    path.write_bytes(csv(GOOD[1].replace("NEW-02", "NEW-05").replace("female", "robot")))
    with pytest.raises(CommandError, match="(?s)nothing was written.*Line 2: gender"):
        call_command("import_cases", reference_inspection.pk, str(path))
    assert not Case.objects.filter(ref="NEW-05").exists()
