"""Django admin for cases and answers.

Answers change only through cases.saving.save_answers, here as on the pages: the change form
carries the version it loaded, a stale form is refused as a conflict, every save bumps the
version and records the change with its reason. Answers are neither added nor deleted here (the
case pages and bundle import create them; a blank value clears one), and neither a case's status
nor an answer is reverted from its history, since both would write around the checks.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from simple_history.admin import SimpleHistoryAdmin

from inspection.admin import PublishedReadOnly

from .case_data import answers_by_code, framework_sections
from .choices import FINISHED
from .models import Answer, Case, DipSample, QAReview
from .saving import EDIT_NEEDS_REASON, Submitted, note_digest, save_answers
from .workflow import lock_case, recheck_after_edit

REASON_NEEDED = "Give a reason for changing the answers of a case that is already complete"
REASON_FIELD = "answer_change_reason"
LOADED_FIELDS = ["loaded_version", "loaded_value", "loaded_note_digest"]


def stale_message(answer: Answer, stored_version: int) -> str:
    return (
        f"{answer.question.code} was changed by someone else since this page was opened "
        f"(version {stored_version} now): reload the page and make the change again"
    )


class AnswerForm(forms.ModelForm):
    """An answer's value and note, with what the form showed when it was opened: its version,
    value and note, as the section pages post them, so only the admin's own changes count."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput)
    loaded_value = forms.CharField(widget=forms.HiddenInput, required=False)
    loaded_note_digest = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Answer
        fields = ["value", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        answer = self.instance
        if answer.pk:
            self.fields["loaded_version"].initial = answer.version
            self.fields["loaded_value"].initial = answer.value
            self.fields["loaded_note_digest"].initial = note_digest(answer.note)

    def submitted(self) -> Submitted:
        answer, data = self.instance, self.cleaned_data
        return Submitted(
            question_id=answer.question_id,
            code=answer.question.code,
            value=data["value"],
            note=data["note"].replace("\r\n", "\n"),
            version=data["loaded_version"],
            loaded_value=data["loaded_value"],
            loaded_note_digest=data["loaded_note_digest"],
        )

    def changes_answer(self) -> bool:
        return self.is_valid() and self.submitted().changed

    def clean(self):
        # Refused early with the form's own error; save_answers checks again under the lock.
        cleaned = super().clean()
        if self.errors or not self.instance.pk or not self.submitted().changed:
            return cleaned
        stored = Answer.objects.filter(pk=self.instance.pk).values_list("version", flat=True)[0]
        if cleaned["loaded_version"] != stored:
            raise forms.ValidationError(stale_message(self.instance, stored))
        return cleaned


class AnswerChangeForm(AnswerForm):
    reason = forms.CharField(
        required=False,
        label="Reason for change",
        help_text="Needed when the case is complete or signed off.",
    )

    def clean(self):
        cleaned = super().clean()
        needs = self.instance.case.status in EDIT_NEEDS_REASON
        if needs and self.changes_answer() and not cleaned.get("reason", "").strip():
            self.add_error("reason", REASON_NEEDED)
        return cleaned


class AnswerFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        changed = any(form.changes_answer() for form in self.forms)
        # The reason is a field of the case's own form, posted alongside this formset.
        reason = self.data.get(REASON_FIELD, "").strip()
        if changed and self.instance.status in EDIT_NEEDS_REASON and not reason:
            raise forms.ValidationError(REASON_NEEDED)


def refused_message(result) -> str | None:
    if result.needs_reason:
        return f"Nothing was saved: {REASON_NEEDED.lower()}"
    if result.conflicts:
        codes = ", ".join(c.submitted.code for c in result.conflicts)
        return (
            f"Not saved, changed by someone else meanwhile: {codes}. "
            "Reload the page to see their answers."
        )
    return None


class NoHistoryRevert:
    """History stays visible; reverting would write around the services, so it is refused."""

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied("Change it through its own form instead of reverting")
        return super().history_form_view(request, object_id, version_id, extra_context)


class AnswerInline(PublishedReadOnly, admin.TabularInline):
    model = Answer
    form = AnswerForm
    formset = AnswerFormSet
    extra = 0
    can_delete = False
    fields = [
        "question",
        "value",
        "note",
        *LOADED_FIELDS,
        "version",
        "updated_by",
        "updated_at",
    ]
    readonly_fields = ["question", "version", "updated_by", "updated_at"]

    def inspection_of(self, case):
        return case.inspection

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("question", "updated_by")


class CaseInline(PublishedReadOnly, admin.TabularInline):
    model = Case
    extra = 0
    fields = ["ref", "sentence_type", "start_date", "court_work", "resettlement", "status"]
    readonly_fields = ["status"]
    show_change_link = True


class CaseForm(forms.ModelForm):
    answer_change_reason = forms.CharField(
        required=False,
        label="Reason for changing answers",
        help_text="Needed to change the answers below once the case is complete or signed off.",
    )

    class Meta:
        model = Case
        # Not status: it moves through the case pages' checks (see CaseAdmin.readonly_fields).
        fields = [
            "inspection",
            "ref",
            "sentence_type",
            "start_date",
            "court_work",
            "resettlement",
            "gender",
            "ethnicity",
            "disability",
            "age_band",
            "rosh",
            "practitioners",
            "assigned_inspector",
        ]


@admin.register(Case)
class CaseAdmin(NoHistoryRevert, PublishedReadOnly, SimpleHistoryAdmin):
    def inspection_of(self, case):
        return case.inspection

    form = CaseForm
    list_display = [
        "ref",
        "inspection",
        "sentence_type",
        "start_date",
        "court_work",
        "resettlement",
        "rosh",
        "status",
        "assigned_inspector",
    ]
    list_filter = ["status", "sentence_type", "court_work", "resettlement", "rosh", "gender"]
    search_fields = ["ref", "inspection__pdu__name"]
    list_select_related = ["inspection__pdu", "assigned_inspector"]
    raw_id_fields = ["inspection", "assigned_inspector"]
    # Status moves through the case pages (mark complete, quality assurance), which check it.
    readonly_fields = ["status"]
    inlines = [AnswerInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        flags_changed = {"court_work", "resettlement"} & set(form.changed_data)
        if change and flags_changed and obj.status in FINISHED:
            # Other questions may apply now: a finished case must still pass the completion rule.
            with transaction.atomic():
                locked = lock_case(obj)
                _, sections = framework_sections(obj.inspection)
                recheck_after_edit(locked, sections, answers_by_code(locked))
                obj.status = locked.status

    def save_formset(self, request, form, formset, change):
        if formset.model is not Answer:
            return super().save_formset(request, form, formset, change)
        submitted = [f.submitted() for f in formset.forms if f.changes_answer()]
        result = save_answers(
            form.instance,
            submitted,
            request.user,
            reason=form.cleaned_data.get(REASON_FIELD, ""),
        )
        refused = refused_message(result)
        if refused:
            messages.error(request, refused)
        # What the admin's change message and log entry read, as formset.save() would set them.
        formset.new_objects, formset.deleted_objects = [], []
        formset.changed_objects = [(answer, ["value", "note"]) for answer in result.saved]


@admin.register(Answer)
class AnswerAdmin(NoHistoryRevert, PublishedReadOnly, SimpleHistoryAdmin):
    def inspection_of(self, answer):
        return answer.case.inspection

    form = AnswerChangeForm
    list_display = ["case", "question_code", "value", "version", "updated_by", "updated_at"]
    list_filter = ["value", "question__kind"]
    search_fields = ["case__ref", "question__code", "note"]
    list_select_related = ["case", "question", "updated_by"]
    fields = [
        "case",
        "question",
        "value",
        "note",
        "reason",
        *LOADED_FIELDS,
        "version",
        "updated_by",
        "updated_at",
    ]
    readonly_fields = ["case", "question", "version", "updated_by", "updated_at"]

    @admin.display(description="question", ordering="question__order")
    def question_code(self, answer):
        return answer.question.code

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        result = save_answers(
            obj.case, [form.submitted()], request.user, reason=form.cleaned_data["reason"]
        )
        refused = refused_message(result)
        if refused:
            messages.error(request, refused)
            request.answer_save_refused = True
        obj.refresh_from_db()

    def response_change(self, request, obj):
        if getattr(request, "answer_save_refused", False):
            return HttpResponseRedirect(request.path)  # back to the form, with the error
        return super().response_change(request, obj)


@admin.register(DipSample)
class DipSampleAdmin(PublishedReadOnly, admin.ModelAdmin):
    list_display = ["inspection", "share_percent", "drawn_by", "drawn_at", "seed"]
    filter_horizontal = ["cases"]

    def inspection_of(self, sample):
        return sample.inspection


@admin.register(QAReview)
class QAReviewAdmin(PublishedReadOnly, admin.ModelAdmin):
    def inspection_of(self, review):
        return review.case.inspection

    list_display = ["case", "outcome", "reviewer", "created_at"]
    list_filter = ["outcome"]
    search_fields = ["case__ref", "comment"]
