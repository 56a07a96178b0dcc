"""The inspection's admin page: registered here, at the top of the stack, because it shows the
inspection's cases (with the case-sample import) and its computed results, and because its
domain-1 inline saves through reports.domain1 (which checks the limiting rules).

Every change made on it goes through the same services as the app's pages, which audit them:
the lead and team (inspection.team), domain-1 judgements (reports.domain1), recommendations
(inspection.recommendations) and cases (cases.changes).
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse

from cases import framework_move
from cases.admin import CaseChanges, CaseInline, CaseRecordsGoWithTheirCase
from cases.forms import SampleUploadForm
from cases.summary import summarise
from inspection import lifecycle, team
from inspection.admin import Domain1JudgementInline as BaseDomain1JudgementInline
from inspection.admin import InspectionAdminBase
from inspection.models import Domain1Judgement, Inspection, Recommendation
from inspection.published import lock_for_edit
from reports import recommendations

from . import publishing
from .domain1 import limiting_problems, save_judgements
from .models import Theme


class Domain1FormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors) or not self.instance.pk:
            return
        ratings = {
            form.cleaned_data["standard"].code: form.cleaned_data["rating"]
            for form in self.forms
            if form.cleaned_data.get("standard")
        }
        problems = limiting_problems(self.instance, ratings)
        if problems:
            raise ValidationError(problems)


class Domain1JudgementInline(BaseDomain1JudgementInline):
    formset = Domain1FormSet
    can_delete = False  # a standard is un-rated by clearing its rating, which is audited


def _replace(inlines, old, new):
    return [new if inline is old else inline for inline in inlines]


# Saved by their own services (team, lead) or never from this form (status, framework).
NOT_SAVED_HERE = {"team", "lead_inspector", "status", "framework"}


@admin.register(Inspection)
class InspectionAdmin(CaseRecordsGoWithTheirCase, InspectionAdminBase):
    readonly_fields = ["computed_results"]
    inlines = [
        *_replace(
            InspectionAdminBase.inlines,
            BaseDomain1JudgementInline,
            Domain1JudgementInline,
        ),
        CaseInline,
    ]

    def move_inspection(self, inspection, to_status: str, user):
        return publishing.move(inspection, to_status, user)

    def publish_checklist(self, inspection):
        return publishing.checklist(inspection)

    def move_framework(self, inspection, framework, user):
        return framework_move.move_to_framework(inspection, framework, user)

    def delete_model(self, request, obj):
        lifecycle.delete(obj, request.user)

    def delete_queryset(self, request, queryset):
        for inspection in queryset:
            lifecycle.delete(inspection, request.user)

    # The cases are the cases app's: counted here, at the top of the stack.
    list_display = [*InspectionAdminBase.list_display, "case_count"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(case_total=Count("cases"))

    @admin.display(description="cases", ordering="case_total")
    def case_count(self, inspection):
        return inspection.case_total

    def save_model(self, request, obj, form, change):
        lead = obj.lead_inspector
        # The lead changes through team.set_lead, which records it: save the rest first.
        if change:
            # Only the fields this form changed, under the row's lock (refused once published):
            # a lifecycle or framework move committed since the form was loaded is never
            # written back over, since status and framework are not the form's to change.
            fields = [name for name in form.changed_data if name not in NOT_SAVED_HERE]
            with transaction.atomic():
                lock_for_edit(obj.pk)
                if fields:
                    obj.save(update_fields=fields)
        else:
            obj.lead_inspector_id = None
            super().save_model(request, obj, form, change)
        team.set_lead(obj, lead, request.user)

    def save_related(self, request, form, formsets, change):
        members = form.cleaned_data.pop("team", None)  # save_m2m skips what is not there
        super().save_related(request, form, formsets, change)
        if members is not None:
            team.set_team(form.instance, members, request.user)

    def save_formset(self, request, form, formset, change):
        # Instead of formset.save(): each row through its service. What formset.save() would
        # have set is set here too, for admin's change message.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if formset.model is Domain1Judgement:
            changed = [f for f in formset.forms if f.has_changed() and f.cleaned_data]
            if changed:
                judgements = {f.cleaned_data["standard"].code: f.cleaned_data for f in changed}
                save_judgements(form.instance, judgements, request.user)
                formset.changed_objects = [(f.instance, f.changed_data) for f in changed]
        elif formset.model is Recommendation:
            self._each_row(formset, *self._recommendation_service(request, form.instance))
        elif formset.model is CaseInline.model:
            cases = CaseChanges()
            self._each_row(
                formset,
                lambda f: cases.save_case(request, f.save(commit=False), f, change=False),
                lambda f: cases.save_case(request, f.instance, f, change=True),
                lambda f: cases.delete_case(request, f.instance),
            )
        else:
            super().save_formset(request, form, formset, change)

    @staticmethod
    def _recommendation_service(request, inspection):
        def values(f):
            return {name: f.cleaned_data[name] for name in ("addressee", "text", "order")}

        return (
            lambda f: recommendations.add(inspection, by=request.user, **values(f)),
            lambda f: recommendations.change(f.instance, by=request.user, **values(f)),
            lambda f: recommendations.remove(f.instance, request.user),
        )

    @staticmethod
    def _each_row(formset, add, change, delete):
        deleted = set(formset.deleted_forms)
        for f in formset.forms:
            if f.instance.pk is None:
                if f.has_changed() and f not in deleted:
                    formset.new_objects.append(add(f) or f.instance)
            elif f in deleted:
                delete(f)
                formset.deleted_objects.append(f.instance)
            elif f.has_changed():
                change(f)
                formset.changed_objects.append((f.instance, f.changed_data))

    def get_urls(self):
        return [
            path(
                "<int:pk>/import-cases/",
                self.admin_site.admin_view(self.import_cases_view),
                name="inspection_inspection_import_cases",
            ),
            *super().get_urls(),
        ]

    def import_cases_view(self, request, pk):
        """The same CSV import the lead inspector has, for admins setting up an inspection."""
        inspection = get_object_or_404(Inspection, pk=pk)
        if not self.has_change_permission(request, inspection):
            messages.error(request, "This inspection is published and read-only.")
            return redirect(reverse("admin:inspection_inspection_change", args=[pk]))
        form = SampleUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            cases = form.import_into(inspection, request.user)
            if cases is not None:
                messages.success(request, f"Added {len(cases)} cases")
                return redirect(reverse("admin:inspection_inspection_change", args=[pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": f"Import case sample: {inspection}",
            "form": form,
            "problems": form.problems,
            "opts": self.model._meta,
            "original": inspection,
        }
        return TemplateResponse(request, "admin/inspection/import_cases.html", context)

    @admin.display(description="computed ratings and score")
    def computed_results(self, inspection):
        if not inspection.pk:
            return "Shown once the inspection is saved."
        return render_to_string(
            "admin/inspection/computed_results.html", {"summary": summarise(inspection)}
        )


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    """The themes leads tag recommendations with (counted on the national dashboard). A theme in
    use cannot be deleted (its tags PROTECT it): rename it instead."""

    list_display = ["name", "recommendation_count"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(recommendation_count=Count("tags"))

    @admin.display(description="recommendations tagged", ordering="recommendation_count")
    def recommendation_count(self, theme):
        return theme.recommendation_count
