"""QA's queries on answers: raised by the lead, answered by the case's inspector, closed by the
lead; each step audited; publishing refused while one is open; bad input named, nothing
written; nothing once published."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from cases.models import Case, QAQuery, QAQueryMessage
from cases.publishing import open_queries
from cases.qa_queries import QueryRefused, close, raise_query, reply
from inspection.choices import AuditKind, InspectionStatus
from inspection.lifecycle import TransitionRefused
from inspection.models import AuditEntry, Question
from reports.publishing import move
from tests.case_helpers import team_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(reference_inspection, lead):
    case = Case.objects.get(inspection=reference_inspection, ref="BWD-03")
    case.assigned_inspector = team_member(reference_inspection, "ines")
    case.save(update_fields=["assigned_inspector"])
    return case


def question(inspection, code="2.2.1"):
    return Question.objects.get(framework=inspection.framework, code=code)


def test_a_query_is_raised_answered_and_closed_and_gates_publishing(case, lead):
    inspection = case.inspection
    query = raise_query(case, question(inspection), "Why yes? The plan is not in the file.", lead)
    assert open_queries(inspection) == ["The query on case BWD-03's answer to 2.2.1 is still open"]
    assert open_queries(inspection)[0].url == reverse("cases:queries", args=[case.pk])
    with pytest.raises(TransitionRefused, match="The query on case BWD-03"):
        move(inspection, InspectionStatus.PUBLISHED, lead)

    reply(query, "It is in the contact log of 3 March.", case.assigned_inspector)
    close(query, lead, "Agreed, thank you.")
    query.refresh_from_db()
    assert query.state == "closed" and query.closed_at is not None
    assert list(query.messages.values_list("text", flat=True)) == [
        "Why yes? The plan is not in the file.",
        "It is in the contact log of 3 March.",
        "Agreed, thank you.",
    ]
    trail = AuditEntry.objects.filter(kind=AuditKind.QA, subject="Query on 2.2.1")
    assert list(trail.order_by("pk").values_list("new_value", flat=True)) == [
        "Opened",
        "Replied",
        "Closed",
    ]
    assert open_queries(inspection) == []
    with pytest.raises(QueryRefused, match="closed"):
        reply(query, "One more thing", case.assigned_inspector)


def test_who_may_do_what_and_bad_input_changes_nothing(case, lead, django_user_model):
    inspection = case.inspection
    other = team_member(inspection, "ivan")
    with pytest.raises(QueryRefused, match="Only quality assurance"):
        raise_query(case, question(inspection), "A query", case.assigned_inspector)
    with pytest.raises(QueryRefused, match="Enter a message"):
        raise_query(case, question(inspection), "   ", lead)
    with pytest.raises(QueryRefused, match="2,000 characters or fewer"):
        raise_query(case, question(inspection), "x" * 2001, lead)
    assert not QAQuery.objects.exists()
    query = raise_query(case, question(inspection), "A query", lead)
    with pytest.raises(QueryRefused, match="Only quality assurance and the case's inspector"):
        reply(query, "Not my case", other)
    with pytest.raises(QueryRefused, match="closes queries"):
        close(query, case.assigned_inspector)
    assert QAQueryMessage.objects.count() == 1


def test_the_page_raises_replies_and_closes(client, case, lead):
    url = reverse("cases:queries", args=[case.pk])
    client.force_login(lead)
    refused = client.post(url, {"raise-question": "", "raise-text": "Why?"})
    assert refused.status_code == 400
    assert "Choose the question the query is about" in refused.content.decode()
    kq = question(case.inspection)
    empty = client.post(url, {"raise-question": kq.pk, "raise-text": ""})
    assert "Enter the query" in empty.content.decode() and not QAQuery.objects.exists()
    client.post(url, {"raise-question": kq.pk, "raise-text": "Why yes?"})
    query = QAQuery.objects.get()
    client.force_login(case.assigned_inspector)
    page = client.get(url).content.decode()
    assert "Why yes?" in page and "Close the query" not in page
    client.post(url, {"query": query.pk, "action": "reply", "text": "Because."})
    client.force_login(lead)
    client.post(url, {"query": query.pk, "action": "close", "text": ""})
    query.refresh_from_db()
    assert query.state == "closed" and query.messages.count() == 2


def test_nothing_once_published(published, lead):
    case = Case.objects.get(inspection=published, ref="BWD-03")
    with pytest.raises(Exception, match="published"):
        raise_query(case, question(published), "Too late", lead)
    assert not QAQuery.objects.exists()


def test_open_queries_are_listed_where_each_side_works(client, case, lead):
    query = raise_query(case, question(case.inspection), "Which plan?", lead)
    inspector = case.assigned_inspector
    client.force_login(inspector)
    home = client.get(reverse("home")).content.decode()
    assert f"Case {case.ref}, 2.2.1" in home and "Waiting for your reply" in home
    qa = reverse("cases:qa", args=[case.inspection.pk])
    client.force_login(lead)
    assert "Waiting for the inspector" in client.get(qa).content.decode()

    reply(query, "The one of 3 March.", inspector)
    assert "Replied: close or answer it" in client.get(qa).content.decode()
    client.force_login(inspector)
    assert "Waiting for quality assurance" in client.get(reverse("home")).content.decode()

    close(query, lead)
    assert "Queries on your cases" not in client.get(reverse("home")).content.decode()


def test_an_account_named_in_a_published_query_is_not_deleted(case, lead, admin_user):
    """Deleting it would clear the query's author on a read-only record: refused by name."""
    query = raise_query(case, question(case.inspection), "Which plan?", admin_user)
    close(query, admin_user)
    move(case.inspection, InspectionStatus.PUBLISHED, lead)
    refused = pytest.raises(PermissionDenied, match="part of a published inspection")
    with refused, transaction.atomic():
        admin_user.delete()
    assert QAQuery.objects.get(pk=query.pk).raised_by == admin_user
