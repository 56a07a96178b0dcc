"""A case's answer history: every change to an answer or note, with who, when, old and new.

Read from the audit trail (inspection.models.AuditEntry), which starts with each answer as
imported, so the first edit of an imported answer shows what it replaced.
"""

from django import forms
from django.shortcuts import render

from inspection.choices import AuditKind
from inspection.models import AuditEntry

from ..blinding import case_or_404


class QuestionFilter(forms.Form):
    question = forms.CharField(required=False, max_length=20)


def case_history(request, case_id: int):
    case = case_or_404(request.user, case_id)
    form = QuestionFilter(request.GET)
    question = form.cleaned_data["question"] if form.is_valid() else ""
    entries = AuditEntry.objects.filter(
        inspection_id=case.inspection_id, case_id=case.pk, kind=AuditKind.ANSWER
    )
    if question:
        entries = entries.filter(subject=question)
    return render(
        request,
        "cases/history.html",
        {
            "case": case,
            "inspection": case.inspection,
            "entries": entries.order_by("-at", "-id"),
            "question": question,
        },
    )
