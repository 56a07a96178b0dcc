"""Drawing an inspection's sample from a caseload extract (cases/sample_draw.py and the
draw_sample command): reproducible, stored, audited, replaced from the reserve in order, and a bad
extract refused with nothing written."""

import datetime
import io
import json
import random

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from cases import sampling
from cases.caseload import read_csv
from cases.choices import CaseStatus
from cases.models import Case, DrawnCase, SampleDraw
from cases.sample_draw import checksum, draw_sample, replace, representativeness
from inspection.choices import AuditKind
from inspection.models import PDU, AuditEntry, Inspection, Region, SampleWindow
from tests.case_helpers import team_member
from tests.caseload_helpers import extract_csv, extract_rows


@pytest.fixture
def inspection(framework):
    region = Region.objects.create(name="Somewhere")
    pdu = PDU.objects.create(region=region, name="Sampled")
    inspection = Inspection.objects.create(
        pdu=pdu, framework=framework, fieldwork_start=datetime.date(2026, 11, 30)
    )
    SampleWindow.objects.create(
        inspection=inspection, start=datetime.date(2026, 5, 4), end=datetime.date(2026, 5, 24)
    )
    lead = team_member(inspection, "lead", "Lee", "Lead")
    inspection.lead_inspector = lead
    inspection.save()
    for name in ("ines", "ivan", "iris"):
        team_member(inspection, name)
    return inspection


def drawn(inspection, data: bytes, size=21, seed=2023):
    return draw_sample(
        inspection,
        read_csv(io.BytesIO(data)),
        size=size,
        seed=seed,
        data_sha256=checksum(data),
        by=None,
    )


def sample_refs(draw) -> dict[str, list[str]]:
    refs = {}
    for row in draw.drawn.filter(in_sample=True).order_by("stratum", "rank"):
        refs.setdefault(row.stratum, []).append(row.ref)
    return refs


@pytest.mark.django_db
def test_the_same_extract_and_seed_give_the_same_sample(inspection, framework, django_user_model):
    rows = extract_rows(2000)
    first = drawn(inspection, extract_csv(rows))
    # The same rows in another order, into another inspection: the same cases.
    other = Inspection.objects.create(
        pdu=inspection.pdu, framework=framework, fieldwork_start=datetime.date(2026, 12, 7)
    )
    SampleWindow.objects.create(
        inspection=other, start=datetime.date(2026, 5, 4), end=datetime.date(2026, 5, 24)
    )
    again = drawn(other, extract_csv(random.Random(5).sample(rows, len(rows))))
    assert sample_refs(again) == sample_refs(first)
    assert sorted(other.cases.values_list("ref", flat=True)) == sorted(
        inspection.cases.values_list("ref", flat=True)
    )
    # Stored: seed, algorithm, checksum; the allocation is the largest remainder of the strata.
    draw = SampleDraw.objects.get(inspection=inspection)
    assert (draw.seed, draw.algorithm) == (2023, sampling.ALGORITHM)
    sizes = {s: a["size"] for s, a in draw.allocation.items()}
    quotas = {s: a["quota"] for s, a in draw.allocation.items()}
    assert quotas == sampling.largest_remainder(sizes, 21)
    assert draw.eligible_rows == sum(sizes.values()) < 2000  # outside the windows left out


@pytest.mark.django_db
def test_cases_are_made_with_inspectors_assigned_evenly_and_audited(inspection):
    drawn(inspection, extract_csv(extract_rows(500)))
    load = {}
    for case in Case.objects.filter(inspection=inspection):
        load[case.assigned_inspector.username] = load.get(case.assigned_inspector.username, 0) + 1
    assert load == {"ines": 7, "iris": 7, "ivan": 7}  # 21 cases, the lead takes none
    entries = AuditEntry.objects.filter(inspection=inspection, kind=AuditKind.CASE_DETAILS)
    assert entries.count() == 21
    assert "seed 2023" in entries.first().reason


@pytest.mark.django_db
def test_reserves_replace_in_order_and_say_why(inspection):
    draw = drawn(inspection, extract_csv(extract_rows(500)))
    stratum = "licence"
    reserve = list(
        draw.drawn.filter(stratum=stratum, in_sample=False)
        .order_by("rank")
        .values_list("ref", flat=True)
    )
    taken = []
    for row in draw.drawn.filter(stratum=stratum, in_sample=True).order_by("rank")[: len(reserve)]:
        new = replace(row.case, reason=f"{row.ref}: the person has died", by=None)
        taken.append(new.ref)
    assert taken == reserve
    case = draw.drawn.filter(stratum=stratum, in_sample=True).exclude(case=None).first().case
    with pytest.raises(ValidationError, match="no reserve case left"):
        replace(case, reason="Transferred out", by=None)
    replaced = DrawnCase.objects.filter(draw=draw).exclude(replaced_reason="")
    assert replaced.count() == len(reserve)
    assert replaced.first().replaced_reason.endswith("the person has died")
    assert Case.objects.filter(inspection=inspection).count() == 21
    assert AuditEntry.objects.filter(
        inspection=inspection, new_value__startswith="Replaced by"
    ).count() == len(reserve)


@pytest.mark.django_db
def test_a_started_case_is_not_replaced(inspection):
    draw = drawn(inspection, extract_csv(extract_rows(500)))
    case = draw.drawn.filter(in_sample=True).first().case
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.IN_PROGRESS)
    with pytest.raises(ValidationError, match="has been started"):
        replace(Case.objects.get(pk=case.pk), reason="Transferred out", by=None)


@pytest.mark.django_db
def test_representativeness_compares_each_attribute(inspection):
    draw = drawn(inspection, extract_csv(extract_rows(3000)), size=60)
    fits = {fit.attribute: fit for fit in representativeness(draw)}
    assert set(fits) >= {"sentence_type", "gender", "ethnicity", "rosh"}
    total = sum(s.sample_count for s in fits["gender"].shares)
    assert total == 60
    # Strata in proportion: community and licence shares match the extract's to within a case.
    community = sum(
        s.sample_count
        for s in fits["sentence_type"].shares
        if s.value in ("community_order", "suspended_sentence_order")
    )
    assert community == draw.allocation["community"]["quota"]


@pytest.mark.django_db
def test_a_bad_extract_or_size_writes_nothing(inspection, tmp_path):
    rows = extract_rows(30)
    rows[3][1] = "borstal"
    rows[7][0] = "Jane Doe"
    bad = tmp_path / "bad.csv"
    bad.write_bytes(extract_csv(rows))
    with pytest.raises(CommandError) as refused:
        call_command(
            "draw_sample", inspection.pk, "--extract", str(bad), "--size", "5", "--seed", "1"
        )
    assert "Row 5, sentence_type: 'borstal'" in str(refused.value)
    assert "Row 9, ref: 'Jane Doe'" in str(refused.value)
    good = tmp_path / "good.csv"
    good.write_bytes(extract_csv(extract_rows(30)))
    with pytest.raises(CommandError, match="more than the"):
        call_command(
            "draw_sample", inspection.pk, "--extract", str(good), "--size", "500", "--seed", "1"
        )
    assert not Case.objects.filter(inspection=inspection).exists()
    assert not SampleDraw.objects.exists()
    assert not AuditEntry.objects.filter(inspection=inspection).exists()


@pytest.mark.django_db
def test_the_command_prints_the_draw_as_json(inspection, tmp_path, capsys):
    path = tmp_path / "extract.csv"
    path.write_bytes(extract_csv(extract_rows(800)))
    call_command(
        "draw_sample",
        inspection.pk,
        "--extract",
        str(path),
        "--size",
        "21",
        "--seed",
        "7",
        "--format",
        "json",
    )
    result = json.loads(capsys.readouterr().out)
    assert result["seed"] == 7 and result["size"] == 21
    assert sum(len(p["sample"]) for p in result["strata"].values()) == 21
    assert result["extract_sha256"] == checksum(path.read_bytes())
    assert {f["attribute"] for f in result["representativeness"]} >= {"gender", "rosh"}
    with pytest.raises(CommandError, match="already has cases"):
        call_command(
            "draw_sample", inspection.pk, "--extract", str(path), "--size", "21", "--seed", "7"
        )


@pytest.mark.django_db
def test_the_lead_draws_on_the_page_and_a_bad_extract_is_listed(inspection, client):
    client.force_login(inspection.lead_inspector)
    url = reverse("cases:sample", args=[inspection.pk])
    rows = extract_rows(400)
    rows[9][6] = "teenager"
    response = client.post(
        url,
        {"extract": SimpleUploadedFile("x.csv", extract_csv(rows)), "size": "21", "confirm": "on"},
    )
    assert response.status_code == 400
    assert "Row 11, age_band: &#x27;teenager&#x27; is not one of" in response.content.decode()
    assert not Case.objects.filter(inspection=inspection).exists()
    data = extract_csv(extract_rows(400))
    response = client.post(
        url,
        {"extract": SimpleUploadedFile("x.csv", data), "size": "21", "seed": "99", "confirm": "on"},
    )
    assert response.status_code == 302
    draw = SampleDraw.objects.get(inspection=inspection)
    assert (draw.seed, draw.extract_sha256) == (99, checksum(data))
    page = client.get(url).content.decode()
    assert "How representative the sample is" in page and 'id="draw-seed">99<' in page
    case = draw.drawn.filter(in_sample=True).first().case
    response = client.post(reverse("cases:replace", args=[case.pk]), {"reason": "Transferred out"})
    assert response.status_code == 302
    assert DrawnCase.objects.get(ref=case.ref).replaced_reason == "Transferred out"


@pytest.mark.django_db
def test_the_samples_figures_become_citable_facts(inspection, client):
    drawn(inspection, extract_csv(extract_rows(600)), size=21, seed=2023)
    client.force_login(inspection.lead_inspector)
    response = client.post(reverse("reports:sample_facts", args=[inspection.pk]))
    assert response.status_code == 302
    facts = dict(inspection.context_facts.values_list("key", "value"))
    assert facts["sample-size"] == "21"
    assert facts["sample-seed"] == "2023"
    draw = SampleDraw.objects.get(inspection=inspection)
    assert facts["caseload-size"] == f"{draw.eligible_rows:,}"
    assert facts["sample-community"].startswith(f"{draw.allocation['community']['quota']} of ")
    # Taken in twice: the same facts, changed in place.
    client.post(reverse("reports:sample_facts", args=[inspection.pk]))
    assert inspection.context_facts.count() == len(facts)


@pytest.mark.django_db
def test_references_left_out_are_never_drawn(inspection):
    rows = extract_rows(300)
    extract = read_csv(io.BytesIO(extract_csv(rows)))
    left_out = [r[0] for r in rows[:150]]
    draw = draw_sample(
        inspection, extract, size=21, seed=3, data_sha256="x", by=None, exclude=left_out
    )
    assert draw.excluded == sorted(left_out)
    assert not set(draw.drawn.values_list("ref", flat=True)) & set(left_out)
    with pytest.raises(ValidationError, match="Not in the extract"):
        other = Inspection.objects.create(
            pdu=inspection.pdu,
            framework=inspection.framework,
            fieldwork_start=datetime.date(2026, 12, 7),
        )
        draw_sample(other, extract, size=5, seed=3, data_sha256="x", by=None, exclude=["Q999999"])


@pytest.mark.django_db
def test_the_calculator_on_the_page(inspection, client):
    client.force_login(inspection.lead_inspector)
    url = reverse("cases:sample", args=[inspection.pk])
    page = client.get(url, {"caseload": "1000", "confidence": "0.95", "margin": "10"})
    assert "Draw 88 cases" in page.content.decode()
    page = client.get(url, {"caseload": "3500", "confidence": "0.9", "margin": "15"})
    assert (
        f"Draw {sampling.sample_size(3500, confidence=0.9, margin=0.15)} cases"
        in page.content.decode()
    )
    bad = client.get(url, {"caseload": "lots", "confidence": "0.95", "margin": "10"})
    assert bad.status_code == 400
    assert "Enter the caseload as a whole number" in bad.content.decode()
