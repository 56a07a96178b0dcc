from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from inspection.admin import PublishedReadOnly

from .models import Answer, Case, DipSample, QAReview


class AnswerInline(PublishedReadOnly, admin.TabularInline):
    model = Answer
    extra = 0
    fields = ["question", "value", "note", "updated_by", "updated_at"]
    readonly_fields = ["updated_by", "updated_at"]
    raw_id_fields = ["question"]

    def inspection_of(self, case):
        return case.inspection

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("question", "updated_by")


class CaseInline(PublishedReadOnly, admin.TabularInline):
    model = Case
    extra = 0
    fields = ["ref", "sentence_type", "start_date", "court_work", "resettlement", "status"]
    show_change_link = True


@admin.register(Case)
class CaseAdmin(PublishedReadOnly, SimpleHistoryAdmin):
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
    search_fields = ["ref", "inspection__pdu__name"]
    list_select_related = ["inspection__pdu", "assigned_inspector"]
    raw_id_fields = ["inspection", "assigned_inspector"]
    inlines = [AnswerInline]


@admin.register(Answer)
class AnswerAdmin(PublishedReadOnly, SimpleHistoryAdmin):
    def inspection_of(self, answer):
        return answer.case.inspection

    list_display = ["case", "question_code", "value", "updated_by", "updated_at"]
    list_filter = ["value", "question__kind"]
    search_fields = ["case__ref", "question__code", "note"]
    list_select_related = ["case", "question", "updated_by"]
    raw_id_fields = ["case", "question", "updated_by"]

    @admin.display(description="question", ordering="question__order")
    def question_code(self, answer):
        return answer.question.code


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
