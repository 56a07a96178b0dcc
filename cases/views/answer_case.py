"""The whole case on one page: read, save everything (no JavaScript), save as answered (JSON)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from inspection.access import can_edit_cases

from ..answer_form import section_rows
from ..blinding import case_or_404
from ..case_data import framework_sections
from ..case_page import case_state, save_case_answers
from ..counting import attributes_of
from ..resume import stash_and_sign_in, take_pending
from ..saving import EDIT_NEEDS_REASON, saved_answers
from ..templatetags.case_tags import SECTION_STATUSES
from .section import _error_items

NEEDS_REASON = "This case is already complete, so a change needs a reason for change"


def _fix_items(fixes) -> list[dict]:
    return [{"href": f"#{p.field}", "message": p.message} for p in fixes]


@login_not_required
@require_http_methods(["GET", "POST"])
def answer_case(request, case_id: int):
    if not request.user.is_authenticated:
        if request.method == "POST":
            return stash_and_sign_in(request)
        return redirect_to_login(request.get_full_path())

    case = case_or_404(request.user, case_id)
    _, sections = framework_sections(case.inspection)
    editable = can_edit_cases(request.user, case.inspection)
    data = request.POST if request.method == "POST" else None
    if data is None and "resume" in request.GET:
        data = take_pending(request, request.GET["resume"])

    errors, conflicts, submitted, reason_error = {}, {}, {}, ""
    if data is not None:
        if not editable:
            messages.error(request, "This inspection is read-only: nothing was saved.")
            return redirect(request.path)
        result, form = save_case_answers(case, sections, data, request.user)
        errors, submitted = form.field_errors(), form.typed()
        reason_error = errors.pop("reason", "")
        if result is not None:
            conflicts = {c.submitted.code: c for c in result.conflicts}
            if result.needs_reason:
                reason_error = "Give a reason for changing a case that is already complete"
            elif not conflicts:
                fixes = case_state(case, sections).fixes
                if fixes:  # never a success banner while something needs fixing
                    messages.warning(request, _saved_to_fix(len(fixes)))
                else:
                    messages.success(request, "Your answers are saved")
                return redirect(request.path)

    state = case_state(case, sections)
    attributes = attributes_of(case)
    flags = {p.question_code: p.message for p in state.fixes}
    page_sections = [
        {
            "section": section,
            "status": state.statuses[section.code],
            "applies": case.applies(section.when),
            "rows": section_rows(
                section,
                state.answers,
                submitted=submitted,
                errors=errors,
                conflicts=conflicts,
                flags=flags,
                case=attributes,
            )
            if case.applies(section.when)
            else [],
        }
        for section in sections
    ]
    return render(
        request,
        "cases/answer_case.html",
        {
            "case": case,
            "inspection": case.inspection,
            "page_sections": page_sections,
            "fixes": state.fixes,
            "saved_to_fix": _saved_to_fix(len(state.fixes)),
            "conflicts": list(conflicts.values()),
            "errors": errors,
            "reason_error": reason_error,
            "error_items": _error_items(errors, conflicts.values(), reason_error),
            "reason": (data or {}).get("reason", ""),
            "needs_reason": case.status in EDIT_NEEDS_REASON,
            "editable": editable,
        },
        status=409 if conflicts else 400 if (errors or reason_error) else 200,
    )


def _saved_to_fix(count: int) -> str:
    return f"Saved: {count} thing{'s' if count != 1 else ''} to fix"


@login_not_required
@require_POST
def answer_save(request, case_id: int):
    """Background save of what changed on the one page (or was waiting offline): the page's own
    fields for those questions, each with the version it was loaded at. Answers with the saved
    versions, each section's status and what needs fixing."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": "signed_out"}, status=401)
    case = case_or_404(request.user, case_id)
    if not can_edit_cases(request.user, case.inspection):
        return JsonResponse({"error": "read_only"}, status=403)
    _, sections = framework_sections(case.inspection)
    result, form = save_case_answers(case, sections, request.POST, request.user)
    if result is None:
        return JsonResponse({"error": "invalid", "errors": form.field_errors()}, status=400)
    if result.needs_reason:
        return JsonResponse({"error": "needs_reason", "message": NEEDS_REASON}, status=400)
    state = case_state(case, sections)
    codes = {item.question_id: item.code for item in form.submitted()}
    return JsonResponse(
        {
            **saved_answers(result, codes),
            "statuses": {
                code: dict(zip(("label", "tag"), SECTION_STATUSES[status], strict=True))
                for code, status in state.statuses.items()
            },
            "fixes": _fix_items(state.fixes),
            "case_status": case.get_status_display(),
            "page": reverse("cases:answer", args=[case.pk]),
        },
        status=409 if result.conflicts else 200,
    )
