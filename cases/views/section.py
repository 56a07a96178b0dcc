"""One section of a case (a standard, resettlement or case-level items): read, save, autosave."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from inspection.access import can_edit_cases

from ..answer_form import RESOLVE_PREFIX, SectionForm, section_rows, take_theirs
from ..blinding import case_or_404
from ..case_data import answers_by_code, framework_sections
from ..counting import attributes_of
from ..practice_examples import section_notes
from ..resume import stash_and_sign_in, take_pending
from ..saving import EDIT_NEEDS_REASON, save_answers, saved_answers
from ..sections import section_by_code
from ..workflow import problems_for


def _load(request, case_id: int, section_code: str):
    case = case_or_404(request.user, case_id)
    spec, sections = framework_sections(case.inspection)
    section = section_by_code(sections, section_code)
    if section is None:
        raise Http404("No such section")
    return case, sections, section


def _save(request, case, sections, section, data):
    """Check and save; returns (result, or None where the form was refused; the form)."""
    if any(key.startswith(RESOLVE_PREFIX) for key in data):
        data = take_theirs(data, answers_by_code(case, [q.id for q in section.questions]))
    form = SectionForm(section, data)
    if not form.is_valid():
        return None, form
    result = save_answers(
        case, form.submitted(), request.user, reason=form.cleaned_data["reason"], sections=sections
    )
    return result, form


@login_not_required
@require_http_methods(["GET", "POST"])
def section_page(request, case_id: int, section_code: str):
    if not request.user.is_authenticated:
        if request.method == "POST":
            return stash_and_sign_in(request)
        return redirect_to_login(request.get_full_path())

    case, sections, section = _load(request, case_id, section_code)
    editable = can_edit_cases(request.user, case.inspection)
    data = None
    if request.method == "POST":
        data = request.POST
    elif "resume" in request.GET:
        data = take_pending(request, request.GET["resume"])

    errors, conflicts, submitted, reason_error = {}, {}, {}, ""
    if data is not None:
        if not editable:
            messages.error(request, "This inspection is read-only: nothing was saved.")
            return redirect(request.path)
        result, form = _save(request, case, sections, section, data)
        errors, submitted = form.field_errors(), form.typed()
        reason_error = errors.pop("reason", "")
        if result is not None:
            conflicts = {c.submitted.code: c for c in result.conflicts}
            if result.needs_reason:
                reason_error = "Give a reason for changing a case that is already complete"
            elif not conflicts:
                if request.method == "GET":
                    messages.success(
                        request, "You were signed out before saving: your answers are now saved."
                    )
                else:
                    _say_saved(request, case, section)
                return redirect(_next_url(request, case, sections, section, data))

    answers = answers_by_code(case, [q.id for q in section.questions])
    section_applies = case.applies(section.when)
    index = sections.index(section)
    return render(
        request,
        "cases/section.html",
        {
            "case": case,
            "inspection": case.inspection,
            "section": section,
            "sections": sections,
            "section_applies": section_applies,
            "rows": section_rows(
                section,
                answers,
                submitted=submitted,
                errors=errors,
                conflicts=conflicts,
                flags=_flags(case, section, answers),
                case=attributes_of(case),
            ),
            "errors": errors,
            "conflicts": list(conflicts.values()),
            "reason_error": reason_error,
            "error_items": _error_items(errors, conflicts.values(), reason_error),
            "reason": (data or {}).get("reason", ""),
            "needs_reason": case.status in EDIT_NEEDS_REASON,
            "editable": editable and section_applies,
            "next_section": sections[index + 1] if index + 1 < len(sections) else None,
            "practice_notes": section_notes(case, section, answers) if editable else [],
            "previous_section": sections[index - 1] if index else None,
        },
        status=409 if conflicts else 400 if (errors or reason_error) else 200,
    )


def _say_saved(request, case, section) -> None:
    """No success banner while something needs fixing: say what, and link to the first."""
    answers = answers_by_code(case, [q.id for q in section.questions])
    to_fix = [p for p in problems_for(case, [section], answers) if p.kind != "unanswered"]
    if not to_fix:
        messages.success(request, f"{section.title} saved")
        return
    count = f"{len(to_fix)} thing{'s' if len(to_fix) > 1 else ''}"
    # The link names this section's page: "Save and continue" shows the next section.
    link = reverse("cases:section", args=[case.pk, section.code]) + f"#{to_fix[0].field}"
    messages.warning(request, f"Saved: {count} to fix. {to_fix[0].message}", extra_tags=link)


def _flags(case, section, answers) -> dict[str, str]:
    """Problems in what is already answered, shown beside the question (blanks are not nagged)."""
    problems = problems_for(case, [section], answers)
    return {p.question_code: p.message for p in problems if p.kind != "unanswered"}


def _next_url(request, case, sections, section, data) -> str:
    if "continue" in data:
        index = sections.index(section)
        if index + 1 < len(sections):
            return reverse("cases:section", args=[case.pk, sections[index + 1].code])
        return reverse("cases:detail", args=[case.pk])
    return reverse("cases:section", args=[case.pk, section.code])


@login_not_required
@require_POST
def autosave(request, case_id: int, section_code: str):
    """Background save of changed answers; JSON in the same shape the page's form posts."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": "signed_out"}, status=401)
    case, sections, section = _load(request, case_id, section_code)
    if not can_edit_cases(request.user, case.inspection):
        return JsonResponse({"error": "read_only"}, status=403)
    result, form = _save(request, case, sections, section, request.POST)
    if result is None:
        return JsonResponse({"error": "invalid", "errors": form.field_errors()}, status=400)
    if result.needs_reason:
        return JsonResponse({"error": "needs_reason"}, status=400)
    codes = {q.id: q.code for q in section.questions}
    return JsonResponse(
        {
            **saved_answers(result, codes),
        },
        status=409 if result.conflicts else 200,
    )


def _error_items(errors: dict, conflicts, reason_error: str) -> list[tuple[str, str]]:
    """The error summary's links: each problem, each conflict, the missing reason."""
    items = [(f"#{field}", message) for field, message in errors.items()]
    for conflict in conflicts:
        author = conflict.theirs.updated_by
        name = (author.get_full_name() if author else "") or "someone else"
        items.append(
            (
                f"#{conflict.field}",
                f"{conflict.submitted.code} was changed by {name}: choose which answer to keep",
            )
        )
    if reason_error:
        items.append(("#reason", reason_error))
    return items
