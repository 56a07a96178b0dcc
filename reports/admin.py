"""The inspection's admin page: registered here, at the top of the stack, because it shows the
inspection's cases (with the case-sample import) and its computed results."""

from django.contrib import admin, messages
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse

from cases.admin import CaseInline
from cases.forms import SampleUploadForm
from cases.summary import summarise
from inspection.admin import InspectionAdminBase
from inspection.models import Inspection


@admin.register(Inspection)
class InspectionAdmin(InspectionAdminBase):
    readonly_fields = ["computed_results"]
    inlines = [*InspectionAdminBase.inlines, CaseInline]

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
            cases = form.import_into(inspection)
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
