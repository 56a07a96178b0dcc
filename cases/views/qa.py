"""The lead inspector's quality assurance: dip samples, key-question reviews, return or sign off."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from inspection import input_rules as rules
from inspection.access import can_lead, inspection_or_404

from ..blinding import case_or_404
from ..case_data import answers_by_code
from ..choices import CaseStatus
from ..forms import DipSampleForm, ReviewForm
from ..models import QAOutcome, QAQuery
from ..qa import QARefused, draw_dip_sample, key_questions_to_review, review_case

DEFAULT_SHARE = 20


@require_http_methods(["GET", "POST"])
def qa_overview(request, inspection_id: int):
    inspection = inspection_or_404(request.user, inspection_id, need=can_lead)
    # auto_id "%s": the field's id is its name, as the template's label and error link use.
    form = DipSampleForm(
        request.POST or None, initial={"share_percent": DEFAULT_SHARE}, auto_id="%s"
    )
    error = ""
    if request.method == "POST":
        if not form.is_valid():
            error = rules.first_messages(form.errors)["share_percent"]
        else:
            try:
                sample = draw_dip_sample(
                    inspection, form.cleaned_data["share_percent"], request.user
                )
            except QARefused as refused:
                error = refused.problems["share_percent"]
            else:
                messages.success(
                    request, f"Drew {sample.cases.count()} cases ({sample.share_percent}%)"
                )
                return redirect("cases:qa", inspection.pk)
    samples = inspection.dip_samples.select_related("drawn_by").prefetch_related("cases")
    sampled_ids = {c.pk for s in samples for c in s.cases.all()}
    cases = inspection.cases.select_related("assigned_inspector").order_by("ref")
    return render(
        request,
        "cases/qa_overview.html",
        {
            "inspection": inspection,
            "samples": samples,
            "cases": [
                c for c in cases if c.pk in sampled_ids or c.status != CaseStatus.NOT_STARTED
            ],
            "sampled_ids": sampled_ids,
            "open_queries": QAQuery.objects.open()
            .filter(case__inspection=inspection)
            .with_last_author()
            .select_related("case", "question"),
            "error": error,
            "share": form["share_percent"].value(),
        },
        status=400 if error else 200,
    )


@require_http_methods(["GET", "POST"])
def qa_review(request, case_id: int):
    case = case_or_404(request.user, case_id, need=can_lead)
    answers = answers_by_code(case)
    key_questions = key_questions_to_review(case)
    form = ReviewForm(request.POST or None, key_questions=key_questions)
    problems = {}
    if request.method == "POST":
        if not form.is_valid():
            problems = rules.first_messages(form.errors)
        else:
            try:
                review = review_case(
                    case,
                    request.user,
                    form.verdicts(),
                    form.cleaned_data["comment"],
                    form.cleaned_data["outcome"],
                )
            except QARefused as refused:
                problems = refused.problems
            else:
                messages.success(
                    request, f"Case {case.ref}: {review.get_outcome_display().lower()}"
                )
                return redirect("cases:qa", case.inspection_id)
    rows = [
        {
            "question": kq,
            "answer": answers.get(kq.code),
            "agree": form[f"agree-{kq.code}"].value() or "",
            "comment": form[f"comment-{kq.code}"].value() or "",
            "agree_error": problems.get(f"agree-{kq.code}", ""),
            "error": problems.get(f"comment-{kq.code}", ""),
        }
        for kq in key_questions
    ]
    return render(
        request,
        "cases/qa_review.html",
        {
            "case": case,
            "inspection": case.inspection,
            "rows": rows,
            "problems": problems,
            "comment": form["comment"].value() or "",
            "outcomes": QAOutcome.choices,
            "reviews": case.qa_reviews.select_related("reviewer").prefetch_related(
                "questions__question"
            ),
        },
        status=400 if problems else 200,
    )
