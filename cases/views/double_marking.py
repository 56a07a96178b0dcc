"""Blind double marking's pages: the lead's (draw the reliability sample, follow it, read the
agreement, reconcile) and the second marker's (answer a case's key questions blind)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from inspection import input_rules as rules
from inspection.access import can_lead, can_see_cases, inspection_or_404, record_or_404
from inspection.audit import name_of
from inspection.choices import AnswerValue
from inspection.published import ensure_editable

from ..double_marking import (
    DoubleMarkingRefused,
    change_second_marker,
    draw_reliability_sample,
    inspection_agreement,
    pairs_of,
    plan_reliability_sample,
    reconcile,
    save_second_marks,
    second_markers,
    weak_below,
)
from ..forms import (
    ReconcileForm,
    ReliabilitySampleConfirmForm,
    ReliabilitySampleForm,
    SecondMarkerForm,
    SecondMarkForm,
)
from ..models import Answer, Case, ReliabilitySample, SecondMarking
from ..qa import key_questions_to_review

DEFAULT_SHARE = 20


@require_http_methods(["GET", "POST"])
def double_marking(request, inspection_id: int):
    """The lead's page: draw the sample (preview, then confirm), follow it, read the agreement."""
    inspection = inspection_or_404(request.user, inspection_id, need=can_lead)
    sample = ReliabilitySample.objects.filter(inspection=inspection).first()
    form = ReliabilitySampleForm(
        request.POST if request.method == "POST" else None,
        initial={"share_percent": DEFAULT_SHARE},
    )
    plan = None
    if request.method == "POST" and form.is_valid():
        share, seed = form.cleaned_data["share_percent"], form.cleaned_data["seed"]
        try:
            if form.confirms:
                sample = draw_reliability_sample(
                    inspection,
                    share,
                    request.user,
                    seed=seed,
                    previewed=form.cleaned_data["previewed"],
                )
            else:
                plan = plan_reliability_sample(inspection, share, seed)
        except DoubleMarkingRefused as refused:
            for message in refused.problems.values():
                form.add_error("share_percent", message)
        else:
            if plan is None:
                messages.success(
                    request,
                    f"Drew {sample.markings.count()} cases to double mark (seed {sample.seed})",
                )
                return redirect("cases:double_marking", inspection.pk)
    markings = sample.markings.select_related("case", "marker", "first_marker") if sample else []
    return render(
        request,
        "cases/double_marking.html",
        {
            "inspection": inspection,
            "sample": sample,
            "markings": markings,
            "draw_form": form,
            "plan": plan,
            "confirm_form": ReliabilitySampleConfirmForm(plan) if plan else None,
            "agreement": inspection_agreement(inspection) if sample else [],
            "weak_below": weak_below(inspection),
        },
        status=400 if form.errors else 200,
    )


def _marking_or_404(user, case_id: int, *, need) -> SecondMarking:
    # Not cases.blinding.case_or_404: the second marker's own page is of a case blind to them.
    case = record_or_404(user, Case.objects.for_pages(), case_id, need=need)
    marking = (
        SecondMarking.objects.select_related("marker", "first_marker").filter(case=case).first()
    )
    if marking is None:
        raise Http404("No such second marking")
    marking.case = case
    return marking


@require_http_methods(["GET", "POST"])
def second_mark(request, case_id: int):
    """The second marker's own page: the case's facts and key questions, never its answers."""
    marking = _marking_or_404(request.user, case_id, need=can_see_cases)
    if marking.marker_id != request.user.pk:
        raise Http404("No such second marking")
    case = marking.case
    key_questions = key_questions_to_review(case)
    stored = {a.question_id: a.value for a in marking.answers.all()}
    form = SecondMarkForm(
        request.POST if request.method == "POST" else None, key_questions=key_questions
    )
    problems = {}
    if request.method == "POST" and marking.submitted_at is None:
        if not form.is_valid():
            problems = rules.first_messages(form.errors)
        else:
            submit = form.submits
            try:
                save_second_marks(marking, form.values(), request.user, submit=submit)
            except DoubleMarkingRefused as refused:
                problems = {
                    f"value-{k}" if k != "__all__" else k: v for k, v in refused.problems.items()
                }
            else:
                messages.success(
                    request,
                    f"Case {case.ref}: second marking " + ("submitted" if submit else "saved"),
                )
                return redirect("cases:second_mark", case.pk)
    rows = [
        {
            "question": q,
            "value": (form[f"value-{q.code}"].value() if form.is_bound else stored.get(q.id, ""))
            or "",
            "error": problems.get(f"value-{q.code}", ""),
        }
        for q in key_questions
    ]
    return render(
        request,
        "cases/second_mark.html",
        {
            "case": case,
            "inspection": case.inspection,
            "marking": marking,
            "rows": rows,
            "problems": problems,
            "pairs": pairs_of(marking) if marking.unblinded_at else [],
            "choices": AnswerValue.choices,
        },
        status=400 if problems else 200,
    )


@require_http_methods(["GET", "POST"])
def reconcile_case(request, case_id: int):
    """The lead's side-by-side of both markings, choosing the agreed answer where they differ."""
    marking = _marking_or_404(request.user, case_id, need=can_lead)
    pairs = pairs_of(marking) if marking.unblinded_at else []
    differing = [p.code for p in pairs if p.differs]
    form = ReconcileForm(
        request.POST if request.method == "POST" else None, differing_codes=differing
    )
    problems = {}
    if request.method == "POST":
        if not form.is_valid():
            problems = rules.first_messages(form.errors)
        else:
            try:
                changed = reconcile(marking, form.agreed(), request.user, form.cleaned_data["note"])
            except DoubleMarkingRefused as refused:
                problems = {
                    f"agreed-{k}" if k != "__all__" else k: v for k, v in refused.problems.items()
                }
            else:
                messages.success(
                    request,
                    f"Case {marking.case.ref}: reconciled; {changed} of its answers changed",
                )
                return redirect("cases:double_marking", marking.case.inspection_id)
    # The case's answer now, where it is no longer the first marker's (changed since both were
    # done): the lead sees it before choosing. Once reconciled there is nothing to choose.
    answers = Answer.objects.filter(case=marking.case).values_list("question_id", "value")
    now = {} if marking.reconciled_at else dict(answers)
    rows = [
        {
            "pair": p,
            "chosen": (form[f"agreed-{p.code}"].value() or "") if p.differs else "",
            "error": problems.get(f"agreed-{p.code}", ""),
            "now": now.get(p.question_id, ""),
        }
        for p in pairs
    ]
    return render(
        request,
        "cases/reconcile.html",
        {
            "case": marking.case,
            "inspection": marking.case.inspection,
            "marking": marking,
            "rows": rows,
            "problems": problems,
            "note": form["note"].value() or "",
            "choices": AnswerValue.choices,
        },
        status=400 if problems else 200,
    )


@require_http_methods(["GET", "POST"])
def change_second_marker_page(request, case_id: int):
    """The lead gives a second marking not yet submitted to someone else on the team."""
    marking = _marking_or_404(request.user, case_id, need=can_lead)
    case = marking.case
    ensure_editable(case.inspection)
    # Neither the first marker nor the one who has it now.
    people = [
        m
        for m in second_markers(case.inspection)
        if m.pk not in (case.assigned_inspector_id, marking.marker_id)
    ]
    form = SecondMarkerForm(request.POST if request.method == "POST" else None, people=people)
    if request.method == "POST" and form.is_valid():
        chosen = next(m for m in people if m.pk == form.cleaned_data["marker"])
        try:
            change_second_marker(marking, chosen, request.user)
        except DoubleMarkingRefused as refused:
            for message in refused.problems.values():
                form.add_error("marker", message)
        else:
            messages.success(request, f"Case {case.ref} is now marked second by {name_of(chosen)}")
            return redirect("cases:double_marking", case.inspection_id)
    return render(
        request,
        "cases/second_marker.html",
        {
            "case": case,
            "inspection": case.inspection,
            "marking": marking,
            "form": form,
            "people": people,
        },
        status=400 if form.errors else 200,
    )
