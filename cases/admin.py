"""Django admin for cases and their records.

Answers are read-only here: they change only on the case pages, through the versioned save
(cases/saving.py), which checks versions and reasons and audits every change. A case's status
moves only through the case pages' completion and QA; its other details change here through
cases.changes, which audits them, and a finished case whose flags change is re-checked.
"""

from django import forms
from django.contrib import admin

from inspection.admin import PublishedReadOnly

from . import changes
from .models import Answer, Case, DipSample, QAQuestionReview, QAReview
from .workflow import change_case_details

# Answers change only on the case pages, through the versioned save (saving.py): it refuses
# stale versions, asks a reason on complete cases and audits every change. Admin shows them.
ANSWERS_CHANGE_ON_CASE_PAGES = (
    "Answers are changed on the case's pages, where every change is kept."
)


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    fields = ["question", "value", "note", "updated_by", "updated_at"]
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = f"answers ({ANSWERS_CHANGE_ON_CASE_PAGES})"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("question", "updated_by")


class CaseInline(PublishedReadOnly, admin.TabularInline):
    model = Case
    extra = 0
    fields = ["ref", "sentence_type", "start_date", "court_work", "resettlement", "status"]
    readonly_fields = ["status"]
    show_change_link = True


class CaseRecordsGoWithTheirCase:
    """Deleting a case (or its inspection) in admin takes its answers and QA records with it."""

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # A case's answers and QA records go with it (its removal is recorded, and every change
        # to them before it); admin just cannot change or delete them one by one.
        for model in (Answer, QAReview, QAQuestionReview):
            perms_needed.discard(model._meta.verbose_name)
        return deleted, counts, perms_needed, protected


class CaseChanges:
    """Admin writes to cases go through cases.changes, which audits them."""

    def save_case(self, request, case, form, change):
        if change:
            changed = {
                name: form.cleaned_data[name]
                for name in form.changed_data
                if name in changes.DETAIL_FIELDS
            }
            # Audited, and a finished case whose attributes change is re-checked.
            change_case_details(case, changed, by=request.user)
        else:
            changes.add(case, request.user, "Added in admin")

    def delete_case(self, request, case):
        changes.remove(case, request.user, "Deleted in admin")


class CaseAdminForm(forms.ModelForm):
    """No Meta: admin builds it for Case with its own fields (a Meta.fields here would be the
    only ones admin showed)."""

    def clean_assigned_inspector(self):
        inspector = self.cleaned_data.get("assigned_inspector")
        if self.instance.pk and (problem := changes.assignment_problem(self.instance, inspector)):
            raise forms.ValidationError(problem)
        return inspector


@admin.register(Case)
class CaseAdmin(CaseChanges, CaseRecordsGoWithTheirCase, PublishedReadOnly, admin.ModelAdmin):
    form = CaseAdminForm

    def inspection_of(self, case):
        return case.inspection

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
    search_fields = ["ref", "inspection__pdu__name", "inspection__region__name"]
    list_select_related = ["inspection__pdu", "assigned_inspector"]
    raw_id_fields = ["inspection", "assigned_inspector"]
    inlines = [AnswerInline]

    def get_readonly_fields(self, request, obj=None):
        # A case does not move between inspections: its trail belongs to the one it is in. Its
        # status moves only through the case pages' checks.
        return ["inspection", "status"] if obj is not None else ["status"]

    def save_model(self, request, obj, form, change):
        self.save_case(request, obj, form, change)

    def delete_model(self, request, obj):
        self.delete_case(request, obj)

    def delete_queryset(self, request, queryset):
        for case in queryset:
            self.delete_case(request, case)


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["case", "question_code", "value", "updated_by", "updated_at"]
    list_filter = ["value", "question__kind"]
    search_fields = ["case__ref", "question__code", "note"]
    list_select_related = ["case", "question", "updated_by"]
    raw_id_fields = ["case", "question", "updated_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # ANSWERS_CHANGE_ON_CASE_PAGES

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="question", ordering="question__order")
    def question_code(self, answer):
        return answer.question.code


class QARecordAdmin(admin.ModelAdmin):
    """QA is done on the lead's pages (cases/qa.py audits it); its records are kept as made."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DipSample)
class DipSampleAdmin(QARecordAdmin):
    list_display = ["inspection", "share_percent", "drawn_by", "drawn_at", "seed"]
    filter_horizontal = ["cases"]


@admin.register(QAReview)
class QAReviewAdmin(QARecordAdmin):
    list_display = ["case", "outcome", "reviewer", "created_at"]
    list_filter = ["outcome"]
    search_fields = ["case__ref", "comment"]
