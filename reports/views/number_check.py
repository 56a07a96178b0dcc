"""The pre-publish check of the numbers typed by hand in the written report (the lead's): each
flagged number is confirmed, or its confirmation withdrawn, one by one, with a button per number
(a Django form each; no JavaScript needed)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from inspection.access import can_lead, can_write_report, inspection_or_404
from inspection.published import ensure_editable
from reports.confirmed_numbers import confirm_number, withdraw_confirmation
from reports.report_forms import ConfirmNumberForm, WithdrawConfirmationForm

from ..citations import written_report_problems
from ..number_check import check_numbers
from ..publication import report_for
from ..report_model import build_report


def _page(request, inspection, *, check=None, report=None, errors=(), status=200):
    report = report or report_for(inspection)
    check = check or check_numbers(inspection, report)
    return render(
        request,
        "reports/number_check.html",
        {
            "inspection": inspection,
            "to_confirm": check.to_confirm,
            "confirmed": check.confirmed,
            "citation_problems": written_report_problems(inspection, report),
            "editable": can_write_report(request.user, inspection),
            "errors": errors,
        },
        status=status,
    )


def number_check(request, inspection_id: int):
    inspection = inspection_or_404(request.user, inspection_id, need=can_lead)
    return _page(request, inspection)


def _back(inspection, anchor: str):
    return redirect(reverse("reports:number_check", args=[inspection.pk]) + anchor)


@require_POST
def number_confirm(request, inspection_id: int):
    inspection = inspection_or_404(request.user, inspection_id, need=can_lead)
    ensure_editable(inspection)
    report = build_report(inspection)
    check = check_numbers(inspection, report)
    form = ConfirmNumberForm(request.POST, find=check.find)
    if form.is_valid():
        number = form.cleaned_data["number"]
        try:
            confirm_number(
                inspection,
                place=number.where,
                written=number.written,
                text=number.text,
                by=request.user,
            )
        except ValidationError as refused:
            return _page(request, inspection, errors=refused.messages, status=400)
        messages.success(request, f"Confirmed '{number.written}' at {number.where}")
        return _back(inspection, "#confirmed-numbers")
    errors = [e for errors in form.errors.values() for e in errors]
    return _page(request, inspection, check=check, report=report, errors=errors, status=400)


@require_POST
def number_withdraw(request, inspection_id: int):
    inspection = inspection_or_404(request.user, inspection_id, need=can_lead)
    ensure_editable(inspection)
    form = WithdrawConfirmationForm(request.POST, inspection=inspection)
    if not form.is_valid():
        errors = [e for errors in form.errors.values() for e in errors]
        return _page(request, inspection, errors=errors, status=400)
    confirmation = form.cleaned_data["confirmation"]
    withdraw_confirmation(confirmation, by=request.user)
    messages.success(
        request,
        f"Withdrawn: '{confirmation.written}' at {confirmation.place} is to be confirmed again",
    )
    return _back(inspection, "#numbers-to-confirm")
