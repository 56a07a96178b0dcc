from django.contrib import admin
from django.db.models import Count
from django.template.loader import render_to_string

from cases.models import Case
from reports.summary import summarise

from .models import (
    PDU,
    Domain,
    Domain1Judgement,
    Framework,
    Inspection,
    LimitingRule,
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
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "version"]
    search_fields = ["code", "name"]
    inlines = [RatingBandInline, OverallBandInline, LimitingRuleInline]


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "rated_by", "framework"]
    list_filter = ["framework", "rated_by"]


@admin.register(Standard)
class StandardAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "domain", "rated", "applies_when", "framework"]
    list_filter = ["framework", "domain", "rated", "applies_when"]
    search_fields = ["code", "name", "headline"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
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


class SampleWindowInline(admin.TabularInline):
    model = SampleWindow
    extra = 0


class Domain1JudgementInline(admin.StackedInline):
    model = Domain1Judgement
    extra = 0


class RecommendationInline(admin.TabularInline):
    model = Recommendation
    extra = 0


class CaseInline(admin.TabularInline):
    model = Case
    extra = 0
    fields = ["ref", "sentence_type", "start_date", "court_work", "resettlement", "status"]
    show_change_link = True


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ["pdu", "region", "fieldwork_start", "status", "lead_inspector", "case_count"]
    list_filter = ["status", "pdu__region", "framework"]
    search_fields = ["pdu__name", "pdu__region__name"]
    date_hierarchy = "fieldwork_start"
    list_select_related = ["pdu__region", "lead_inspector"]
    filter_horizontal = ["team"]
    readonly_fields = ["computed_results"]
    inlines = [SampleWindowInline, Domain1JudgementInline, RecommendationInline, CaseInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(case_total=Count("cases"))

    @admin.display(description="region", ordering="pdu__region__name")
    def region(self, inspection):
        return inspection.pdu.region

    @admin.display(description="cases", ordering="case_total")
    def case_count(self, inspection):
        return inspection.case_total

    @admin.display(description="computed ratings and score")
    def computed_results(self, inspection):
        if not inspection.pk:
            return "Shown once the inspection is saved."
        return render_to_string(
            "admin/inspection/computed_results.html", {"summary": summarise(inspection)}
        )
