"""Admin for the framework, the organisation and an inspection's own rows.

The inspection's admin page itself is registered by the reports app (reports/admin.py), the top
of the stack, because it shows the inspection's cases and computed results.
"""

from django.contrib import admin
from django.db.models import Count

from .choices import InspectionStatus
from .framework import audit as framework_audit
from .models import (
    PDU,
    AuditEntry,
    Domain,
    Domain1Judgement,
    Framework,
    InspectionEvent,
    LimitingRule,
    ManagerScope,
    OverallBand,
    Question,
    RatingBand,
    Recommendation,
    Region,
    SampleWindow,
    Standard,
)

admin.site.site_header = "Probation case inspection: administration"
admin.site.site_title = "Case inspection admin"


class FrameworkAudited:
    """Framework edits change the ratings of unpublished inspections: each is recorded in their
    trails (inspection/framework/audit.py), in the admin's own transaction."""

    def framework_id_of(self, obj):
        return obj.framework_id

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changes = framework_audit.form_changes(obj, form)
        if not change:
            changes = framework_audit.row_changes(obj, added=True)
        framework_audit.record(self.framework_id_of(obj), changes, request.user)

    def delete_model(self, request, obj):
        framework_id = self.framework_id_of(obj)
        changes = framework_audit.row_changes(obj, deleted=True)
        super().delete_model(request, obj)
        framework_audit.record(framework_id, changes, request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        changes = [
            c for obj in formset.new_objects for c in framework_audit.row_changes(obj, added=True)
        ]
        changes += [
            c
            for obj in formset.deleted_objects
            for c in framework_audit.row_changes(obj, deleted=True)
        ]
        changes += [
            c
            for f in formset.forms
            if f.instance.pk and f.has_changed() and f not in formset.deleted_forms
            for c in framework_audit.form_changes(f.instance, f)
        ]
        framework_audit.record(form.instance.pk, changes, request.user)


class RatingBandInline(admin.TabularInline):
    model = RatingBand
    extra = 0


class OverallBandInline(admin.TabularInline):
    model = OverallBand
    extra = 0


class LimitingRuleInline(admin.StackedInline):
    model = LimitingRule
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(FrameworkAudited, admin.ModelAdmin):
    list_display = ["code", "name", "version"]
    search_fields = ["code", "name"]
    inlines = [RatingBandInline, OverallBandInline, LimitingRuleInline]

    def framework_id_of(self, obj):
        return obj.pk


@admin.register(Domain)
class DomainAdmin(FrameworkAudited, admin.ModelAdmin):
    list_display = ["code", "name", "rated_by", "framework"]
    list_filter = ["framework", "rated_by"]


@admin.register(Standard)
class StandardAdmin(FrameworkAudited, admin.ModelAdmin):
    list_display = ["code", "name", "domain", "rated", "applies_when", "framework"]
    list_filter = ["framework", "domain", "rated", "applies_when"]
    search_fields = ["code", "name", "headline"]


@admin.register(Question)
class QuestionAdmin(FrameworkAudited, admin.ModelAdmin):
    list_display = ["code", "kind", "short_text", "standard", "applies_when", "order"]
    list_filter = ["framework", "kind", "standard", "applies_when"]
    search_fields = ["code", "text"]
    list_select_related = ["standard"]
    raw_id_fields = ["parent"]

    @admin.display(description="text")
    def short_text(self, question):
        return question.text[:90]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(PDU)
class PDUAdmin(admin.ModelAdmin):
    list_display = ["name", "region"]
    list_filter = ["region"]
    search_fields = ["name", "region__name"]
    list_select_related = ["region"]


class PublishedReadOnly:
    """Admin for anything inside an inspection: read-only once the inspection is published."""

    def inspection_of(self, obj):
        return obj

    def _published(self, obj) -> bool:
        inspection = self.inspection_of(obj) if obj is not None else None
        return inspection is not None and inspection.status == InspectionStatus.PUBLISHED

    def has_change_permission(self, request, obj=None):
        return not self._published(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._published(obj) and super().has_delete_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        if isinstance(self, admin.options.InlineModelAdmin):
            return not self._published(obj) and super().has_add_permission(request, obj)
        return super().has_add_permission(request)


class SampleWindowInline(PublishedReadOnly, admin.TabularInline):
    model = SampleWindow
    extra = 0


class Domain1JudgementInline(PublishedReadOnly, admin.StackedInline):
    model = Domain1Judgement
    extra = 0


class RecommendationInline(PublishedReadOnly, admin.TabularInline):
    model = Recommendation
    extra = 0


class InspectionAdminBase(PublishedReadOnly, admin.ModelAdmin):
    list_display = ["pdu", "region", "fieldwork_start", "status", "lead_inspector", "case_count"]
    list_filter = ["status", "pdu__region", "framework"]
    search_fields = ["pdu__name", "pdu__region__name"]
    date_hierarchy = "fieldwork_start"
    list_select_related = ["pdu__region", "lead_inspector"]
    filter_horizontal = ["team"]
    inlines = [SampleWindowInline, Domain1JudgementInline, RecommendationInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(case_total=Count("cases"))

    @admin.display(description="region", ordering="pdu__region__name")
    def region(self, inspection):
        return inspection.pdu.region

    @admin.display(description="cases", ordering="case_total")
    def case_count(self, inspection):
        return inspection.case_total


@admin.register(InspectionEvent)
class InspectionEventAdmin(admin.ModelAdmin):
    list_display = ["inspection", "from_status", "to_status", "by", "at"]
    list_filter = ["to_status"]
    search_fields = ["inspection__pdu__name", "reason"]

    def has_change_permission(self, request, obj=None):
        return False  # the lifecycle record is kept as it happened

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ManagerScope)
class ManagerScopeAdmin(admin.ModelAdmin):
    list_display = ["user", "region", "pdu"]
    list_filter = ["region"]
    search_fields = ["user__username", "pdu__name", "region__name"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: entries are written by the services and never changed (the database refuses)."""

    list_display = ["at", "inspection_id", "case_ref", "kind", "subject", "user_name"]
    list_filter = ["kind", "at"]
    search_fields = ["case_ref", "subject", "user_name", "reason"]
    date_hierarchy = "at"
    # No joins: an entry's inspection may be gone (its trail is kept), and a list of thousands
    # of entries should not fetch their inspections.
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
