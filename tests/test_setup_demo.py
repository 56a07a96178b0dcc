"""The first README command's demo data: every inspection with its framework and status, today's
programme reachable from the demo users' home pages, every role, and idempotent."""

import math
import re
from base64 import b32decode
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.oath import TOTP

from bundles.management.commands.setup_demo import FIELDWORK_PDU
from cases.choices import CaseStatus
from cases.double_marking import pairs_of
from cases.models import Answer, Case, QAQuery, SecondMarking
from inspection.access import can_write_action_plan
from inspection.choices import InspectionStatus
from inspection.framework.spec import load_framework_spec
from inspection.models import AuditEntry, Inspection
from reports.follow_up import theme_counts
from reports.models import ActionPlan, PlanAction, PublishedReport
from reports.pooling import pooled_questions


def rows():
    """What the demo holds, in a form two runs can be compared by."""
    return {
        "inspections": list(
            Inspection.objects.order_by("pk").values_list(
                "pk", "pdu__name", "region__name", "framework__code", "status", "programme"
            )
        ),
        "cases": Case.objects.count(),
        "answers": list(
            Answer.objects.order_by("pk").values_list("case__ref", "question__code", "value")
        ),
        "records": PublishedReport.objects.count(),
        "audit": AuditEntry.objects.count(),
        "users": get_user_model().objects.count(),
    }


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("setup_demo", stdout=out)
    return out.getvalue()


def test_setup_demo_loads_inspections_and_users(demo):
    first = rows()
    call_command("setup_demo", stdout=StringIO())  # running twice changes nothing
    assert rows() == first
    assert Inspection.objects.count() == 7

    reference = Inspection.objects.get(fieldwork_start="2023-03-27")
    fieldwork = Inspection.objects.get(pdu__name="Blackburn with Darwen (fieldwork demo)")
    assert reference.status == "published" and fieldwork.status == "fieldwork"
    statuses = set(fieldwork.cases.values_list("status", flat=True))
    assert {CaseStatus.NOT_STARTED, CaseStatus.IN_PROGRESS, CaseStatus.COMPLETE} <= statuses
    names = set(get_user_model().objects.values_list("username", flat=True))
    assert names == {"admin", "lead", "inspector1", "inspector2", "manager", "pdumanager"}
    assert "demo-password-2023" in demo and "manager" in demo


def test_the_reference_has_action_plans_under_way(demo):
    """The PDU's first plan waits for the lead's review; the region's is in progress; three
    recommendations are tagged by theme (run twice: nothing more)."""
    call_command("setup_demo", stdout=StringIO())
    reference = Inspection.objects.get(fieldwork_start="2023-03-27")
    plans = {
        (p.recommendation.addressee, p.state, p.progress)
        for p in ActionPlan.objects.filter(recommendation__inspection=reference)
    }
    assert plans == {("pdu", "submitted", "not_started"), ("region", "draft", "in_progress")}
    assert PlanAction.objects.filter(plan__recommendation__inspection=reference).count() == 3
    assert {c.theme.name: c.recommendations for c in theme_counts()}["Court work"] == 1
    pat = get_user_model().objects.get(username="pdumanager")
    first = reference.recommendations.filter(addressee="pdu").order_by("order").first()
    assert can_write_action_plan(pat, first)


def test_the_revised_framework_in_fieldwork(demo):
    revised = Inspection.objects.get(pdu__name="Cumbria")
    assert (revised.framework.code, revised.status) == ("hmip-pdu-2023", InspectionStatus.FIELDWORK)
    assert revised.lead_inspector.username == "lead"
    assert {u.username for u in revised.team.all()} == {"lead", "inspector1", "inspector2"}
    cases = list(revised.cases.select_related("assigned_inspector"))
    assert {c.status for c in cases} == {
        CaseStatus.COMPLETE,
        CaseStatus.IN_PROGRESS,
        CaseStatus.NOT_STARTED,
    }
    assert {c.assigned_inspector.username for c in cases} == {"inspector1", "inspector2"}
    # Part-answered: a case in progress has some answers, and fewer than a complete one.
    answered = {c.status: Answer.objects.filter(case=c).exclude(value="").count() for c in cases}
    assert 0 < answered[CaseStatus.IN_PROGRESS] < answered[CaseStatus.COMPLETE]
    assert "(fieldwork): Cumbria PDU" in demo


def test_the_region_inspection_pools_the_published_pdu_inspections(demo, client):
    region = Inspection.objects.get(pdu__isnull=True)
    pdus = Inspection.objects.filter(programme="2024-25", pdu__isnull=False).order_by("pdu__name")
    assert [i.pdu.name for i in pdus] == ["Bolton", "Preston", "Wigan"]
    assert {(i.framework.code, i.status) for i in pdus} == {("hmip-pdu-2023", "published")}
    assert (region.framework.code, region.status, region.region.name) == (
        "hmip-region-2023",
        "published",
        "North West",
    )
    # Each published through the lifecycle: its stored record is there.
    assert PublishedReport.objects.filter(inspection__in=[region, *pdus]).count() == 4

    client.force_login(get_user_model().objects.get(username="manager"))
    home = client.get("/").content.decode()
    report_url = reverse("reports:report", args=[region.pk])
    assert f'href="{report_url}">The region</a>' in home

    page = client.get(report_url).content.decode()
    pooled_table = page[page.index('id="pooled-inspections"') :]
    pooled_table = pooled_table[: pooled_table.index("</table>")]
    for inspection in pdus:
        assert f"{inspection.pdu.name} PDU" in pooled_table
    # Every pooled key question shows the sum of the PDUs' published counts, and its percentage.
    headlines = [PublishedReport.objects.get(inspection=i).headline["counts"] for i in pdus]
    wanted = pooled_questions(load_framework_spec(region.framework))
    assert wanted
    for code, pdu_code in wanted.items():
        yes = sum(h[pdu_code][0] for h in headlines)
        relevant = sum(h[pdu_code][1] for h in headlines)
        assert relevant > 0
        row = re.search(rf'id="q-{code.replace(".", "-")}".*?</tr>', page, re.S).group(0)
        cells = re.findall(r'app-numeric">([^<]*)</td>', row)
        percent = 100 * yes / relevant
        assert cells[0] in {f"{math.floor(percent)}%", f"{math.ceil(percent)}%"}, (code, cells)
        assert cells[1] == str(relevant), (code, cells)


def test_demo_users_reach_their_work_from_home(demo, client):
    revised = Inspection.objects.get(pdu__name="Cumbria")
    region = Inspection.objects.get(pdu__isnull=True)
    ines = get_user_model().objects.get(username="inspector1")
    client.force_login(ines)
    home = client.get("/").content.decode()
    mine = Case.objects.filter(inspection=revised, assigned_inspector=ines)
    assert mine.exists()
    for case in mine.exclude(status=CaseStatus.COMPLETE):
        assert f'href="{reverse("cases:answer", args=[case.pk])}">Case {case.ref}</a>' in home

    client.force_login(get_user_model().objects.get(username="lead"))
    home = client.get("/").content.decode()
    for inspection in (revised, region):
        assert reverse("cases:list", args=[inspection.pk]) in home


def test_double_marking_and_a_query_are_under_way_in_the_fieldwork_demo(demo, client):
    fieldwork = Inspection.objects.get(pdu__name=FIELDWORK_PDU)
    markings = SecondMarking.objects.filter(case__inspection=fieldwork)
    # The same draw as on SQLite (`make run`): it is keyed by usernames, not row ids.
    assert sorted(markings.values_list("case__ref", flat=True)) == [
        "BWD-01",
        "BWD-05",
        "BWD-12",
        "BWD-16",
        "BWD-19",
    ]
    done = sorted((m for m in markings if m.unblinded_at), key=lambda m: m.case.ref)
    assert len(done) == 2 and any(p.differs for p in pairs_of(done[0]))  # one to reconcile
    to_do = markings.filter(submitted_at__isnull=True).select_related("marker", "case")
    client.force_login(to_do[0].marker)
    home = client.get("/").content.decode()
    assert f"Second marking of case {to_do[0].case.ref}</a>" in home
    query = QAQuery.objects.get(case__inspection=fieldwork)
    client.force_login(query.case.assigned_inspector)
    assert "Waiting for your reply" in client.get("/").content.decode()


def test_setup_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only with DEBUG on"):
        call_command("setup_demo")


@pytest.mark.django_db
@pytest.mark.second_factor
def test_demo_admin_and_lead_sign_in_with_the_printed_key_or_a_recovery_code(settings, client):
    settings.DEBUG = True
    out = StringIO()
    call_command("setup_demo", stdout=out)
    text = out.getvalue()
    keys = dict(re.findall(r"^  (\w+) +key ([A-Z2-7 ]+)$", text, re.MULTILINE))
    recovery = dict(re.findall(r"^  (\w+)\s+key .*\n.*\n +recovery codes: (.+)$", text, re.M))
    assert set(keys) == {"admin", "lead"} and set(recovery) == {"admin", "lead"}
    key = keys["lead"].replace(" ", "")
    app = TOTP(b32decode(key + "=" * (-len(key) % 8)))
    client.post("/login/", {"username": "lead", "password": "demo-password-2023"})
    assert client.post("/login/code/", {"code": f"{app.token():06d}"}).status_code == 302
    assert client.get("/").status_code == 200
    client.post("/logout/")
    client.post("/login/", {"username": "admin", "password": "demo-password-2023"})
    code = recovery["admin"].split()[0]
    assert client.post("/login/code/", {"code": code}).status_code == 302
    assert client.get("/admin/").status_code == 200
