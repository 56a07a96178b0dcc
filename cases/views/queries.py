"""A case's QA queries: raised by quality assurance on one answer, answered by the case's
inspector in a thread, closed by QA."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from inspection import input_rules as rules
from inspection.access import can_lead
from inspection.models import Question

from ..blinding import case_or_404
from ..case_data import answers_by_code, framework_sections
from ..forms import QueryMessageForm, RaiseQueryForm
from ..models import QAQuery, QueryState
from ..qa_queries import QueryRefused, can_reply, close, raise_query, reply


@require_http_methods(["GET", "POST"])
def case_queries(request, case_id: int):
    case = case_or_404(request.user, case_id)
    _, sections = framework_sections(case.inspection)
    questions = [q for s in sections if case.applies(s.when) for q in s.questions]
    leads = can_lead(request.user, case.inspection)
    editable = case.inspection.status != "published"
    raising = request.method == "POST" and "raise-question" in request.POST
    raise_form = RaiseQueryForm(request.POST if raising else None, questions=questions)
    message_form = QueryMessageForm(
        request.POST if request.method == "POST" and not raising else None
    )
    problems = {}
    if request.method == "POST" and editable:
        problems = _act(request, case, raise_form if raising else message_form)
        if not problems:
            return redirect("cases:queries", case.pk)
    queries = case.qa_queries.select_related("question", "raised_by").prefetch_related(
        "messages__by"
    )
    answers = answers_by_code(case)
    return render(
        request,
        "cases/queries.html",
        {
            "case": case,
            "inspection": case.inspection,
            "queries": [
                {
                    "query": q,
                    "answer": answers.get(q.question.code),
                    "can_reply": editable
                    and q.state == QueryState.OPEN
                    and can_reply(request.user, q),
                    "error": problems.get(f"text-{q.pk}", ""),
                }
                for q in queries
            ],
            "raise_form": raise_form if leads and editable else None,
            "problems": problems,
            "raise_errors": {
                "question": problems.get("raise-question", ""),
                "text": problems.get("raise-text", ""),
            },
            "leads": leads,
        },
        status=400 if problems else 200,
    )


def _act(request, case, form) -> dict[str, str]:
    """Raise, reply or close as the posted form says; {field id: message} if refused."""
    if isinstance(form, RaiseQueryForm):
        if not form.is_valid():
            return {f"raise-{k}": v for k, v in rules.first_messages(form.errors).items()}
        question = Question.objects.get(pk=form.cleaned_data["question"])
        try:
            raise_query(case, question, form.cleaned_data["text"], request.user)
        except QueryRefused as refused:
            return {f"raise-{k}": v for k, v in refused.problems.items()}
        messages.success(request, f"Query raised on {question.code}")
        return {}
    query_id = form.data.get("query", "")
    if not form.is_valid():
        return {f"text-{query_id}": m for m in rules.first_messages(form.errors).values()}
    query = (
        QAQuery.objects.filter(case=case, pk=form.cleaned_data["query"])
        .select_related("question", "case__inspection")
        .first()
    )
    if query is None:
        raise Http404("No such query")
    try:
        if form.cleaned_data["action"] == "close":
            close(query, request.user, form.cleaned_data["text"])
            messages.success(request, f"Query on {query.question.code} closed")
        else:
            reply(query, form.cleaned_data["text"], request.user)
            messages.success(request, f"Reply sent on {query.question.code}")
    except QueryRefused as refused:
        return {f"text-{query.pk}": refused.problems["text"]}
    return {}
