"""Action plans after publication: the list for an inspection, one plan's page with the forms its
reader may use, and the lead's page of the previous inspection's progress. Each POST goes through
reports/action_plans.py (or previous_progress.py), which checks who and saves; a refusal is shown
on the page it came from, with what was typed kept."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from inspection.access import (
    can_lead,
    can_read_action_plans,
    can_review_action_plans,
    can_write_action_plan,
    can_write_report,
    inspection_or_404,
    writable_plans,
)
from inspection.choices import PlanState

from .. import action_plans as service
from .. import previous_progress
from ..action_plan_forms import (
    ActionForm,
    ActionStatusForm,
    PreviousProgressForm,
    ProgressForm,
    ReviewForm,
    SubmitForm,
    ThemesForm,
)
from ..follow_up import plan_rows
from ..models import PlanAction, RecommendationTheme


def _row(request, inspection_id: int, pk: int):
    inspection = inspection_or_404(request.user, inspection_id, need=can_read_action_plans)
    for row in plan_rows([inspection]):
        if row.recommendation.pk == pk:
            return inspection, row
    raise Http404("No such recommendation")


def action_plans(request, inspection_id: int):
    inspection = inspection_or_404(request.user, inspection_id, need=can_read_action_plans)
    rows = plan_rows([inspection])
    return render(
        request,
        "reports/action_plans.html",
        {
            "inspection": inspection,
            "rows": rows,
            "due": rows[0].due if rows else None,
            "writable": writable_plans(request.user, [r.recommendation for r in rows]),
        },
    )


def _plan_page(request, inspection, row, status=200, **bound):
    version = row.plan.version if row.plan else 1
    writer = can_write_action_plan(request.user, row.recommendation)
    reviewer = can_review_action_plans(request.user, inspection)
    state = row.state
    forms = {}
    if writer and state in service.OPEN_FOR_EDITING:
        forms["action_form"] = ActionForm(initial={"version": version})
        forms["submit_form"] = SubmitForm(initial={"version": version})
    if writer:
        forms["progress_form"] = ProgressForm(initial={"version": version})
    if reviewer and state == PlanState.SUBMITTED:
        forms["review_form"] = ReviewForm(initial={"version": version})
    if reviewer:
        tagged = RecommendationTheme.objects.filter(recommendation=row.recommendation)
        forms["themes_form"] = ThemesForm(
            initial={"themes": list(tagged.values_list("theme_id", flat=True))}
        )
    forms.update(bound)
    plan = row.plan
    return render(
        request,
        "reports/action_plan.html",
        {
            "inspection": inspection,
            "row": row,
            "writer": writer,
            "reviewer": reviewer,
            "updates": list(plan.updates.select_related("by")) if plan else [],
            "reviews": list(plan.reviews.select_related("by")) if plan else [],
            "themes": RecommendationTheme.objects.filter(recommendation=row.recommendation)
            .select_related("theme")
            .order_by("theme__name"),
            "errors": [f for f in bound.values() if f.errors],
            **forms,
        },
        status=status,
    )


def action_plan(request, inspection_id: int, pk: int):
    inspection, row = _row(request, inspection_id, pk)
    return _plan_page(request, inspection, row)


def _may_write(request, inspection, row) -> None:
    if not can_write_action_plan(request.user, row.recommendation):
        raise PermissionDenied("Only the recommendation's addressee writes its action plan.")


def _may_review(request, inspection, row) -> None:
    if not can_review_action_plans(request.user, inspection):
        raise PermissionDenied("Only the inspection's lead reviews its action plans.")


def _post(request, inspection_id, pk, may, form_class, name, save, done: str):
    """Refuse unless `may`; validate `form_class` from the POST, call `save(row, cleaned_data)`;
    on success back to the plan with `done`, else the plan page again with the form's errors
    (status 400). The service checks who again, inside its transaction."""
    inspection, row = _row(request, inspection_id, pk)
    may(request, inspection, row)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            save(row, form.cleaned_data)
        except ValidationError as refused:
            for message in refused.messages:
                form.add_error(None, message)
        else:
            messages.success(request, done)
            return redirect("reports:action_plan", inspection.pk, pk)
    return _plan_page(request, inspection, row, status=400, **{name: form})


def _version(data):
    return data.get("version")


@require_POST
def action_add(request, inspection_id: int, pk: int):
    return _post(
        request,
        inspection_id,
        pk,
        _may_write,
        ActionForm,
        "action_form",
        lambda row, data: service.add_action(
            row.recommendation,
            what=data["action"],
            owner=data["owner"],
            due=data["due"],
            by=request.user,
            version=_version(data),
        ),
        "Action added",
    )


@require_POST
def plan_submit(request, inspection_id: int, pk: int):
    return _post(
        request,
        inspection_id,
        pk,
        _may_write,
        SubmitForm,
        "submit_form",
        lambda row, data: service.submit(
            row.recommendation, by=request.user, version=_version(data)
        ),
        "Plan submitted to the lead inspector",
    )


@require_POST
def plan_progress(request, inspection_id: int, pk: int):
    return _post(
        request,
        inspection_id,
        pk,
        _may_write,
        ProgressForm,
        "progress_form",
        lambda row, data: service.record_progress(
            row.recommendation,
            on=data["on"],
            progress=data["progress"],
            text=data["text"],
            by=request.user,
            version=_version(data),
        ),
        "Progress recorded",
    )


@require_POST
def plan_review(request, inspection_id: int, pk: int):
    return _post(
        request,
        inspection_id,
        pk,
        _may_review,
        ReviewForm,
        "review_form",
        lambda row, data: service.review(
            row.recommendation,
            outcome=data["outcome"],
            comment=data["comment"],
            by=request.user,
            version=_version(data),
        ),
        "Decision saved",
    )


@require_POST
def plan_themes(request, inspection_id: int, pk: int):
    return _post(
        request,
        inspection_id,
        pk,
        _may_review,
        ThemesForm,
        "themes_form",
        lambda row, data: service.set_themes(row.recommendation, data["themes"], by=request.user),
        "Themes saved",
    )


def action_edit(request, inspection_id: int, pk: int, action_id: int):
    """Change an action: all of it while the plan is a draft or returned, its status after."""
    inspection, row = _row(request, inspection_id, pk)
    if not can_write_action_plan(request.user, row.recommendation):
        raise Http404("No such action")
    action = get_object_or_404(PlanAction, pk=action_id, plan__recommendation=row.recommendation)
    version = row.plan.version
    whole = row.state in service.OPEN_FOR_EDITING
    if whole:
        form = ActionForm(
            request.POST or None,
            initial=ActionForm.initial_of(action, version),
            with_status=True,
            submit="Save action",
        )
    else:
        form = ActionStatusForm(
            request.POST or None, initial={"status": action.status, "version": version}
        )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {"status": data["status"]}
        if whole:
            fields.update(what=data["action"], owner=data["owner"], due=data["due"])
        try:
            service.change_action(action, by=request.user, version=_version(data), **fields)
        except ValidationError as refused:
            for message in refused.messages:
                form.add_error(None, message)
        else:
            messages.success(request, "Action saved")
            return redirect("reports:action_plan", inspection.pk, pk)
    return render(
        request,
        "reports/action_edit.html",
        {"inspection": inspection, "row": row, "action": action, "form": form, "whole": whole},
        status=400 if form.errors else 200,
    )


@require_POST
def action_remove(request, inspection_id: int, pk: int, action_id: int):
    inspection, row = _row(request, inspection_id, pk)
    if not can_write_action_plan(request.user, row.recommendation):
        raise Http404("No such action")
    action = get_object_or_404(PlanAction, pk=action_id, plan__recommendation=row.recommendation)
    form = SubmitForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("The page is damaged: reload it")
        service.remove_action(action, by=request.user, version=_version(form.cleaned_data))
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, "Action removed")
    return redirect("reports:action_plan", inspection.pk, pk)


def previous_recommendations(request, inspection_id: int):
    """The lead's view of the previous inspection's recommendations and their progress, and the
    choice to take that progress into this report (a copy, as it stands today)."""
    inspection = inspection_or_404(request.user, inspection_id, need=can_lead)
    previous, rows = previous_progress.previous_rows(inspection)
    form = PreviousProgressForm(request.POST or None)
    if request.method == "POST":
        if not can_write_report(request.user, inspection):
            raise Http404("No such inspection")
        if form.is_valid():
            if form.cleaned_data["choice"] == "take":
                count = previous_progress.take_into_report(inspection, by=request.user)
                messages.success(
                    request, f"Progress on {count} recommendations taken into the report"
                )
            else:
                previous_progress.leave_out_of_report(inspection, by=request.user)
                messages.success(request, "Progress on previous recommendations left out")
            return redirect("reports:previous_recommendations", inspection.pk)
    return render(
        request,
        "reports/previous_recommendations.html",
        {
            "inspection": inspection,
            "previous": previous,
            "rows": rows,
            "taken": inspection.previous_progress.order_by("number"),
            "editable": can_write_report(request.user, inspection),
            "form": form,
        },
        status=400 if form.errors else 200,
    )
