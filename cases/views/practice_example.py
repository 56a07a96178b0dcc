"""An inspector offers (or withdraws) a case's evidence note as a candidate practice example:
a plain form on the section page, so it works without JavaScript."""

from django import forms
from django.contrib import messages
from django.core.validators import RegexValidator
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from inspection.access import can_edit_cases

from .. import practice_examples as service
from ..blinding import case_or_404

CODE = RegexValidator(r"^[\w.]+$", "Not a question or section code")


class OfferForm(forms.Form):
    question = forms.CharField(max_length=40, validators=[CODE])
    # The section page to go back to (none: the case page).
    section = forms.CharField(max_length=40, required=False, validators=[CODE])
    action = forms.ChoiceField(choices=[("offer", "Offer"), ("withdraw", "Withdraw")])


@require_POST
def practice_example(request, case_id: int):
    case = case_or_404(request.user, case_id, need=can_edit_cases)
    form = OfferForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The practice example was not changed: the form was not complete")
        return redirect(reverse("cases:detail", args=[case.pk]))
    code, section = form.cleaned_data["question"], form.cleaned_data["section"]
    back = (
        reverse("cases:section", args=[case.pk, section])
        if section
        else reverse("cases:detail", args=[case.pk])
    )
    try:
        if form.cleaned_data["action"] == "withdraw":
            service.withdraw(case, code, by=request.user)
            messages.success(
                request, f"The note on {code} is no longer offered as a practice example"
            )
        else:
            service.offer(case, code, by=request.user)
            messages.success(
                request,
                f"The note on {code} is offered to the lead inspector as a practice example",
            )
    except service.PracticeExampleRefused as refused:
        messages.error(request, str(refused))
    return redirect(f"{back}#practice-examples")
