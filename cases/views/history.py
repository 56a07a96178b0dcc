"""A case's change history: every change to an answer or note, with who, when, old and new."""

from django.shortcuts import render

from inspection.access import record_or_404

from ..case_data import framework_sections
from ..models import Answer, Case


def case_history(request, case_id: int):
    case = record_or_404(request.user, Case.objects.for_pages(), case_id)
    spec, _ = framework_sections(case.inspection)
    codes = {q.id: q.code for q in spec.questions}
    records = (
        Answer.history.filter(case_id=case.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    previous: dict[int, object] = {}
    changes = []
    for record in records:
        before = previous.get(record.id)
        previous[record.id] = record
        if before is None and record.history_type == "+" and not record.value and not record.note:
            continue
        changes.append(
            {
                "record": record,
                "code": codes.get(record.question_id, "?"),
                "old_value": before.value if before else "",
                "old_note": before.note if before else "",
                "note_changed": (before.note if before else "") != record.note,
            }
        )
    changes.reverse()  # newest first
    question = request.GET.get("question", "")
    if question:
        changes = [c for c in changes if c["code"] == question]
    return render(
        request,
        "cases/history.html",
        {"case": case, "inspection": case.inspection, "changes": changes, "question": question},
    )
