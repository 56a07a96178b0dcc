"""Quality assurance's queries on answers: the lead (QA) asks about one answer of a case, the
case's inspector and QA reply in a thread, and QA closes it. Publishing is refused while any
is open (cases/publishing.open_queries). Each step is audited and runs in one transaction."""

from django.db import transaction
from django.utils import timezone

from inspection import audit
from inspection import input_rules as rules
from inspection.access import can_lead
from inspection.choices import AuditKind
from inspection.published import lock_for_edit

from .models import QAQuery, QAQueryMessage, QueryState


class QueryRefused(Exception):
    def __init__(self, problems: dict[str, str]):
        self.problems = problems  # {field name: message}
        super().__init__("; ".join(problems.values()))


def _clean(text: str) -> str:
    problems = rules.text_messages(text, what="the message", max_length=rules.QA_COMMENT_MAX)
    if problems:
        raise QueryRefused({"text": problems[0]})
    if not text.strip():
        raise QueryRefused({"text": "Enter a message"})
    return text.strip()


def can_reply(user, query: QAQuery) -> bool:
    """QA (the lead, admins) and the case's assigned inspector."""
    return can_lead(user, query.case.inspection) or query.case.assigned_inspector_id == user.pk


def raise_query(case, question, text: str, by) -> QAQuery:
    if not can_lead(by, case.inspection):
        raise QueryRefused({"text": "Only quality assurance (the lead inspector) raises queries"})
    if question.framework_id != case.inspection.framework_id:
        raise QueryRefused({"question": f"{question.code} is not a question of this case"})
    text = _clean(text)
    with transaction.atomic():
        lock_for_edit(case.inspection_id)
        query = QAQuery.objects.create(case=case, question=question, raised_by=by)
        QAQueryMessage.objects.create(query=query, by=by, text=text)
        audit.record(
            case.inspection_id,
            AuditKind.QA,
            by=by,
            case=case,
            subject=f"Query on {question.code}",
            new="Opened",
            reason=text,
        )
    return query


def reply(query: QAQuery, text: str, by) -> QAQueryMessage:
    if not can_reply(by, query):
        raise QueryRefused({"text": "Only quality assurance and the case's inspector reply"})
    text = _clean(text)
    with transaction.atomic():
        lock_for_edit(query.case.inspection_id)
        locked = QAQuery.objects.select_for_update().get(pk=query.pk)
        if locked.state != QueryState.OPEN:
            raise QueryRefused({"text": "This query is closed: raise a new one"})
        message = QAQueryMessage.objects.create(query=locked, by=by, text=text)
        audit.record(
            query.case.inspection_id,
            AuditKind.QA,
            by=by,
            case=query.case,
            subject=f"Query on {query.question.code}",
            new="Replied",
            reason=text,
        )
    return message


def close(query: QAQuery, by, text: str = "") -> None:
    if not can_lead(by, query.case.inspection):
        raise QueryRefused({"text": "Only quality assurance (the lead inspector) closes queries"})
    text = _clean(text) if text.strip() else ""
    with transaction.atomic():
        lock_for_edit(query.case.inspection_id)
        locked = QAQuery.objects.select_for_update().get(pk=query.pk)
        if locked.state != QueryState.OPEN:
            raise QueryRefused({"text": "This query is already closed"})
        if text:
            QAQueryMessage.objects.create(query=locked, by=by, text=text)
        locked.state, locked.closed_at = QueryState.CLOSED, timezone.now()
        locked.save(update_fields=["state", "closed_at"])
        audit.record(
            query.case.inspection_id,
            AuditKind.QA,
            by=by,
            case=query.case,
            subject=f"Query on {query.question.code}",
            new="Closed",
            reason=text,
        )
