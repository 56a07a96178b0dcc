"""Region inspections: the model's rules, the pool of published PDU results (over generated,
seeded data), the report and its renderings, dashboards and access."""

import dataclasses
import datetime
import random
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from cases.aggregation import answer_counts
from cases.summary import summarise, summarise_counts
from inspection.choices import InspectionStatus
from inspection.framework import rating_engine as engine
from inspection.framework.spec import load_framework_spec
from inspection.models import PDU, Framework, Inspection, ManagerScope, Region
from reports import plain_data
from reports.dashboards import national_overview, region_dashboard
from reports.pooling import pool, pooled_questions
from reports.publication import differences, published_report, report_for
from reports.publishing import move
from reports.report_model import Report, build_report
from tests.region_helpers import (
    PROGRAMME,
    publish,
    published_pdu_inspection,
    region_inspection,
)

SEEDS = [7, 2024, 90210]


def pdu_counts(inspection) -> dict[str, engine.Count]:
    """A PDU inspection's every count, recomputed from its answers (not its stored record)."""
    summary = summarise(inspection)
    counts = {kq.code: kq.count for s in summary.standards for kq in s.key_questions}
    counts.update({item.code: item.count for item in summary.items})
    return counts


@pytest.fixture
def lead(db, django_user_model):
    return django_user_model.objects.create_user("lead", password="pw-lead-123")


def generated_region(seed: int, lead):
    """3 to 5 published PDU inspections in one region and programme, with random answers;
    and, not to be pooled, a PDU of another region, one of another programme, an unpublished
    one, an older published one of a pooled PDU, and a NEWER one of a pooled PDU under another
    framework (whose codes may mean other questions: never summed, and the PDU's inspection
    under the pooled framework still counts)."""
    rng = random.Random(seed)
    name = f"Region {seed}"
    pooled = [
        published_pdu_inspection(rng, name, f"PDU {seed}-{n}", lead)
        for n in range(rng.randint(3, 5))
    ]
    others = {
        "other region": published_pdu_inspection(rng, f"Elsewhere {seed}", "Far PDU", lead),
        "other programme": published_pdu_inspection(
            rng, name, "Old programme PDU", lead, programme="2022-23"
        ),
        "unpublished": published_pdu_inspection(rng, name, "Late PDU", lead, publish_it=False),
        "older": published_pdu_inspection(
            rng, name, pooled[0].pdu.name, lead, fieldwork_start=datetime.date(2024, 1, 8)
        ),
        "other framework": published_pdu_inspection(
            rng,
            name,
            pooled[-1].pdu.name,
            lead,
            framework_code="hmip-pdu-2021",
            fieldwork_start=datetime.date(2024, 6, 3),
        ),
    }
    region = Region.objects.get(name=name)
    return rng, region, pooled, others


@pytest.mark.django_db
@pytest.mark.parametrize("seed", SEEDS)
def test_pooled_counts_are_sums_of_the_published_pdu_counts_rated_by_the_engine(seed, lead):
    rng, region, pooled, others = generated_region(seed, lead)
    inspection = region_inspection(rng, region)
    spec = load_framework_spec(inspection.framework)
    wanted = pooled_questions(spec)
    assert wanted and all(wanted.values())

    report = build_report(Inspection.objects.with_place().get(pk=inspection.pk))

    each = [pdu_counts(i) for i in pooled]
    expected = {
        code: engine.Count(
            sum(c[pdu_code].yes for c in each), sum(c[pdu_code].relevant for c in each)
        )
        for code, pdu_code in wanted.items()
    }
    got = {
        kq.code: kq.count for s in report.standards if s.standard.pooled for kq in s.key_questions
    }
    assert got == expected
    assert sum(c.relevant for c in expected.values()) > 0

    # Ratings: the engine's, on those sums with the region's own case counts and judgements.
    own = answer_counts(inspection.pk, spec.conditions)
    judged = {s.code: s.rating for s in report.standards if s.standard.judged}
    engine_summary = summarise_counts(inspection, spec, {**own, **expected}, judged)
    assert report.standards == engine_summary.standards
    assert (report.score, report.overall_rating) == (
        engine_summary.score,
        engine_summary.overall_rating,
    )
    for standard in report.standards:
        if standard.standard.pooled:
            counts = {kq.code: expected[kq.code] for kq in standard.key_questions}
            assert standard.rating == engine.standard_rating(counts, spec.bands)
    # The region's own case-rated standards come from its own cases, not the pool.
    case_rated = [s for s in report.standards if not s.standard.judged and not s.standard.pooled]
    assert case_rated and all(
        kq.count == own[kq.code] for s in case_rated for kq in s.key_questions
    )

    assert [p.inspection_id for p in report.pooled_inspections] == sorted(
        (i.pk for i in pooled), key=lambda pk: Inspection.objects.get(pk=pk).pdu.name
    )
    left_out = {n.inspection_id: n.reason for n in report.not_pooled}
    assert others["other region"].pk not in left_out
    assert others["other programme"].pk not in left_out
    assert left_out[others["unpublished"].pk] == "Not published"
    assert "latest published inspection" in left_out[others["older"].pk]
    assert "pools inspections under hmip-pdu-2023 only" in left_out[others["other framework"].pk]
    assert set(left_out) == {others[k].pk for k in ("unpublished", "older", "other framework")}


@pytest.mark.django_db
def test_pool_reads_the_stored_record_not_the_answers(lead):
    """A pooled count is what the PDU inspection's record holds, as published."""
    rng, region, pooled, _ = generated_region(11, lead)
    inspection = region_inspection(rng, region)
    spec = load_framework_spec(inspection.framework)
    code, pdu_code = next(iter(pooled_questions(spec).items()))
    before = pool(inspection, spec).counts[code]
    stored = sum(
        published_report(i)[0].item(pdu_code).count.relevant
        if any(item.code == pdu_code for item in published_report(i)[0].items)
        else next(
            kq.count.relevant
            for s in published_report(i)[0].standards
            for kq in s.key_questions
            if kq.code == pdu_code
        )
        for i in pooled
    )
    assert before.relevant == stored
    # Re-opened, a PDU inspection is no longer published: it leaves the pool.
    move(pooled[0], InspectionStatus.MODERATION, lead, reason="A correction")
    after = pool(inspection, spec)
    assert pooled[0].pk not in {p.inspection_id for p in after.pooled}
    assert {n.inspection_id: n.reason for n in after.not_pooled}[pooled[0].pk] == "Not published"


@pytest.mark.django_db
def test_publishing_a_region_inspection_stores_its_record_and_verifies(lead):
    rng, region, pooled, _ = generated_region(5, lead)
    inspection = region_inspection(rng, region)
    live = build_report(Inspection.objects.with_place().get(pk=inspection.pk))
    publish(inspection, lead)
    inspection = Inspection.objects.with_place().get(pk=inspection.pk)
    stored, _ = published_report(inspection)
    assert stored == dataclasses.replace(
        live, facts=dataclasses.replace(live.facts, status=InspectionStatus.PUBLISHED)
    )
    assert stored.facts.of_region and stored.facts.place == f"{region.name} region"
    assert plain_data.load(Report, plain_data.dump(stored)) == stored
    assert differences(inspection) == []
    # A PDU inspection published later in the programme changes nothing published.
    published_pdu_inspection(rng, region.name, "Later PDU", lead)
    assert report_for(inspection) == stored
    assert differences(inspection) == []
    assert len(build_report(inspection).pooled_inspections) == len(pooled) + 1


@pytest.mark.django_db
def test_an_inspection_is_of_a_pdu_or_of_a_region_with_a_framework_for_it(lead):
    region = Region.objects.create(name="North East")
    pdu = PDU.objects.create(region=region, name="Durham")
    region_framework = Framework.objects.newest("hmip-region-2023")
    pdu_framework = Framework.objects.newest("hmip-pdu-2023")
    start = datetime.date(2025, 1, 6)

    def problems(**fields):
        with pytest.raises(ValidationError) as error:
            Inspection(fieldwork_start=start, **fields).full_clean()
        return error.value.message_dict

    both = problems(pdu=pdu, region=region, framework=pdu_framework)
    assert "choose one of them" in str(both)
    assert "choose one of them" in str(problems(framework=pdu_framework))
    assert (
        "needs a framework for regions"
        in problems(region=region, framework=pdu_framework, programme=PROGRAMME)["framework"][0]
    )
    assert (
        "needs a framework for PDUs"
        in problems(pdu=pdu, framework=region_framework)["framework"][0]
    )
    assert (
        "needs its programme" in problems(region=region, framework=region_framework)["programme"][0]
    )
    Inspection(
        region=region, framework=region_framework, programme=PROGRAMME, fieldwork_start=start
    ).full_clean()
    # The database holds the rule too.
    with pytest.raises(IntegrityError), transaction.atomic():
        Inspection.objects.create(fieldwork_start=start, framework=pdu_framework)
    with pytest.raises(IntegrityError), transaction.atomic():
        Inspection.objects.create(
            fieldwork_start=start, framework=pdu_framework, pdu=pdu, region=region
        )


@pytest.mark.django_db
def test_region_report_page_pdf_and_workbook_render_the_pool(lead, django_user_model):
    rng, region, pooled, others = generated_region(3, lead)
    inspection = region_inspection(rng, region)
    inspection.lead_inspector = lead
    inspection.save()
    client = Client()
    client.force_login(lead)
    page = client.get(reverse("reports:report", args=[inspection.pk])).content.decode()
    for pdu_inspection in pooled:
        assert f"{pdu_inspection.pdu.name} PDU" in page
        assert reverse("reports:report", args=[pdu_inspection.pk]) in page
    assert "Not published" in page and "Late PDU PDU" in page
    assert f"{region.name} region" in page

    pdf = client.get(reverse("exports:pdf", args=[inspection.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert f"{region.name.lower().replace(' ', '-')}-region" in pdf["Content-Disposition"]

    book = load_workbook(BytesIO(client.get(reverse("exports:xlsx", args=[inspection.pk])).content))
    rows = list(book["PDU inspections pooled"].iter_rows(values_only=True))
    assert {r[0] for r in rows[1:] if r[3] == "Pooled"} == {i.pk for i in pooled}
    assert {r[0] for r in rows[1:] if r[3] == "Not pooled"} == {
        others[k].pk for k in ("unpublished", "older", "other framework")
    }


@pytest.mark.django_db
def test_region_inspection_on_its_region_dashboard_and_for_region_managers(lead, django_user_model):
    rng, region, pooled, others = generated_region(4, lead)
    inspection = region_inspection(rng, region)
    publish(inspection, lead)
    regional = django_user_model.objects.create_user("regional", password="pw-regional-1")
    ManagerScope.objects.create(user=regional, region=region)
    local = django_user_model.objects.create_user("local", password="pw-local-12")
    ManagerScope.objects.create(user=local, pdu=pooled[0].pdu)
    elsewhere = django_user_model.objects.create_user("elsewhere", password="pw-else-123")
    ManagerScope.objects.create(user=elsewhere, region=others["other region"].pdu.region)

    def get(user, url):
        client = Client()
        client.force_login(user)
        return client.get(url)

    report_url = reverse("reports:report", args=[inspection.pk])
    assert get(regional, report_url).status_code == 200
    assert get(local, report_url).status_code == 404
    assert get(elsewhere, report_url).status_code == 404
    page = get(regional, reverse("reports:region", args=[region.pk])).content.decode()
    assert 'id="region-inspections"' in page and report_url in page

    dashboard = region_dashboard(regional, region, {})
    assert [s.inspection.pk for s in dashboard.region_inspections] == [inspection.pk]
    assert dashboard.region_inspections[0].score == published_report(inspection)[0].score
    # Not a PDU's: the PDU rows, averages and national figures are the PDUs' own.
    assert all(s.inspection.pdu_id for s in dashboard.rows)
    assert inspection.pk not in {s.inspection.pk for s in dashboard.rows}
    assert region_dashboard(local, region, {}).region_inspections == ()
    overview = national_overview(regional, list(Region.objects.all()))
    pdus_published = (
        Inspection.objects.filter(status=InspectionStatus.PUBLISHED, pdu__isnull=False)
        .values("pdu")
        .distinct()
        .count()
    )
    assert overview.inclusion.inspections == pdus_published
