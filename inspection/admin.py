"""Admin for the framework, the organisation and an inspection's own rows.

The inspection's admin page itself is registered by the reports app (reports/admin.py), the top
of the stack, because it shows the inspection's cases and computed results.
"""

import hashlib

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, SuspiciousFileOperation
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, re_path, reverse
from django.utils.text import get_valid_filename

from . import lifecycle
from .access import can_lead
from .choices import InspectionStatus
from .forms import FrameworkUploadForm, PublishForm
from .framework import audit as framework_audit
from .framework import files, frozen, loader, versioning
from .framework.export import framework_file_text
from .framework.preview import preview
from .models import (
    PDU,
    AuditEntry,
    Domain,
    Domain1Judgement,
    EvidenceQuestion,
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


class FrozenReadOnly:
    """Admin for a framework's rows: read-only once the version is in use past planning
    (inspection/framework/frozen.py); new rows go only into versions still changeable."""

    def framework_id_of(self, obj):
        return obj.framework_id

    def _frozen(self, obj) -> bool:
        return obj is not None and frozen.is_frozen(self.framework_id_of(obj))

    def has_change_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_delete_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        if isinstance(self, admin.options.InlineModelAdmin):  # obj: the framework
            return not self._frozen(obj) and super().has_add_permission(request, obj)
        return super().has_add_permission(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "framework":
            kwargs["queryset"] = frozen.changeable_frameworks()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class FrameworkAudited:
    """Framework edits change the ratings of unpublished inspections: each is recorded in their
    trails (inspection/framework/audit.py), in the admin's own transaction."""

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


class FrameworkInline(FrozenReadOnly):
    def framework_id_of(self, framework):
        return framework.pk


class RatingBandInline(FrameworkInline, admin.TabularInline):
    model = RatingBand
    extra = 0


class OverallBandInline(FrameworkInline, admin.TabularInline):
    model = OverallBand
    extra = 0


class LimitingRuleInline(FrameworkInline, admin.StackedInline):
    model = LimitingRule
    extra = 0


class EvidenceQuestionInline(FrameworkInline, admin.TabularInline):
    model = EvidenceQuestion
    extra = 0


# The upload waiting for "Load": one per session. The file's text stays on the server and the
# Load button posts only to a URL naming its SHA-256, so what is loaded is exactly what was
# previewed, whatever the browser sends back (a hidden copy of the text could be changed on the
# way, and a browser cannot be made to send the chosen file again). Sessions are kept in the
# database (SESSION_ENGINE), so a 2 MB file fits; one slot: a second upload replaces the first.
UPLOAD_SESSION_KEY = "framework_upload"


def _file_name(upload) -> str:
    try:
        return get_valid_filename(upload.name)[:100]
    except SuspiciousFileOperation:  # nothing usable left of the name
        return "uploaded file"


def _export_response(framework: Framework) -> HttpResponse:
    response = HttpResponse(
        framework_file_text(framework), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{framework.code}-v{framework.version}.json"'
    )
    return response


@admin.register(Framework)
class FrameworkAdmin(FrameworkAudited, FrozenReadOnly, admin.ModelAdmin):
    list_display = ["code", "version", "name", "in_use"]
    search_fields = ["code", "name"]
    inlines = [RatingBandInline, OverallBandInline, LimitingRuleInline, EvidenceQuestionInline]
    actions = ["copy_to_new_version", "export_file"]

    def framework_id_of(self, framework):
        return framework.pk

    def get_readonly_fields(self, request, obj=None):
        # A version's code and number are what inspections and bundles name it by.
        return ["code", "version"] if obj is not None else []

    @admin.display(description="in use past planning (frozen)", boolean=True)
    def in_use(self, framework):
        return frozen.is_frozen(framework.pk)

    @admin.action(description="Copy to a new version", permissions=["add"])
    def copy_to_new_version(self, request, queryset):
        for framework in queryset:
            copy = versioning.copy_framework(framework)
            self.log_addition(request, copy, [{"added": {}}, f"Copied from {framework}"])
            self.message_user(request, f"Copied {framework} to {copy}", messages.SUCCESS)

    @admin.action(description="Export as framework file (one version)", permissions=["view"])
    def export_file(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(
                request, "Choose one framework version to export as a file", messages.ERROR
            )
            return None
        return _export_response(queryset.get())

    def get_urls(self):
        return [
            path(
                "upload/",
                self.admin_site.admin_view(self.upload_view),
                name="inspection_framework_upload",
            ),
            re_path(
                r"^upload/(?P<sha256>[0-9a-f]{64})/load/$",
                self.admin_site.admin_view(self.load_view),
                name="inspection_framework_load",
            ),
            path(
                "<int:pk>/export/",
                self.admin_site.admin_view(self.export_view),
                name="inspection_framework_export",
            ),
            *super().get_urls(),
        ]

    def _upload_page(self, request, *, form, problems=(), file_name="", data=None, sha256=""):
        context = {
            **self.admin_site.each_context(request),
            "title": "Upload a framework file",
            "opts": self.model._meta,
            "form": form,
            "problems": problems,
            "file_name": file_name,
            "framework": preview(data) if data is not None else None,
            "sha256": sha256,
        }
        return TemplateResponse(request, "admin/inspection/framework/upload.html", context)

    def upload_view(self, request):
        """Upload -> every check -> a preview of what would be loaded, or every problem."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        posted = request.method == "POST"
        form = FrameworkUploadForm(request.POST if posted else None, request.FILES or None)
        if not posted or not form.is_valid():
            return self._upload_page(request, form=form)
        raw = form.content()
        name = _file_name(form.cleaned_data["file"])
        request.session.pop(UPLOAD_SESSION_KEY, None)
        try:
            data = loader.parse(raw)
            problems = loader.check(data)
        except loader.FrameworkFileError as error:
            problems = error.problems
        if problems:
            return self._upload_page(
                request, form=FrameworkUploadForm(), problems=problems, file_name=name
            )
        sha256 = hashlib.sha256(raw).hexdigest()
        request.session[UPLOAD_SESSION_KEY] = {
            "sha256": sha256,
            "name": name,
            "text": raw.decode("utf-8-sig"),  # parse has read it as UTF-8 already
        }
        return self._upload_page(
            request,
            form=None,
            file_name=name,
            data=data,
            sha256=sha256,
        )

    def load_view(self, request, sha256):
        """Load the previewed upload, through the same service as manage.py load_framework."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        upload_url = reverse("admin:inspection_framework_upload")
        if request.method != "POST":
            return redirect(upload_url)
        pending = request.session.get(UPLOAD_SESSION_KEY)
        if not pending or pending["sha256"] != sha256:
            messages.error(
                request,
                "That upload is no longer waiting to be loaded (it was loaded, another file was "
                "uploaded since, or the session ended). Nothing was loaded: upload the file again.",
            )
            return redirect(upload_url)
        name = pending["name"]
        try:
            data = loader.parse(pending["text"])
            with transaction.atomic():
                framework = files.load_file(data, by=request.user, file_name=name)
                self.log_addition(
                    request, framework, [{"added": {}}, f"Loaded from the file {name}"]
                )
        except loader.FrameworkFileError as error:  # e.g. someone loaded the version meanwhile
            request.session.pop(UPLOAD_SESSION_KEY, None)
            return self._upload_page(
                request, form=FrameworkUploadForm(), problems=error.problems, file_name=name
            )
        request.session.pop(UPLOAD_SESSION_KEY, None)
        messages.success(
            request,
            f"Loaded {framework.code} version {framework.version} from {name}: "
            f"{files.describe(data)}",
        )
        return redirect(reverse("admin:inspection_framework_change", args=[framework.pk]))

    def export_view(self, request, pk):
        framework = get_object_or_404(Framework, pk=pk)
        if not self.has_view_permission(request, framework):
            raise PermissionDenied
        return _export_response(framework)


@admin.register(Domain)
class DomainAdmin(FrameworkAudited, FrozenReadOnly, admin.ModelAdmin):
    list_display = ["code", "name", "rated_by", "framework"]
    list_filter = ["framework", "rated_by"]


@admin.register(Standard)
class StandardAdmin(FrameworkAudited, FrozenReadOnly, admin.ModelAdmin):
    list_display = ["code", "name", "domain", "rated", "applies_when", "framework"]
    list_filter = ["framework", "domain", "rated", "applies_when"]
    search_fields = ["code", "name", "headline"]


@admin.register(Question)
class QuestionAdmin(FrameworkAudited, FrozenReadOnly, admin.ModelAdmin):
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


class RegionFilter(admin.SimpleListFilter):
    """Inspections of the region itself and of its PDUs."""

    title = "region"
    parameter_name = "region"

    def lookups(self, request, model_admin):
        return [(region.pk, region.name) for region in Region.objects.all()]

    def queryset(self, request, queryset):
        if not self.value() or not self.value().isdigit():
            return queryset
        return queryset.of_region(int(self.value()))


class InspectionAdminBase(PublishedReadOnly, admin.ModelAdmin):
    list_display = [
        "inspected",
        "region_of",
        "programme",
        "fieldwork_start",
        "status",
        "lead_inspector",
    ]
    list_filter = ["status", RegionFilter, "programme", "framework"]
    search_fields = ["pdu__name", "pdu__region__name", "region__name", "programme"]
    date_hierarchy = "fieldwork_start"
    list_select_related = ["pdu__region", "region", "lead_inspector"]
    filter_horizontal = ["team"]
    inlines = [SampleWindowInline, Domain1JudgementInline, RecommendationInline]
    actions = ["move_to_fieldwork", "move_to_moderation", "publish", "move_to_newest_framework"]

    def get_readonly_fields(self, request, obj=None):
        # The status moves only through the lifecycle's services (the actions below): a new
        # inspection starts in planning. The framework version changes only through
        # cases.framework_move.move_to_framework, which moves the answers with it.
        fields = ["status", *super().get_readonly_fields(request, obj)]
        return [*fields, "framework"] if obj is not None else fields

    @admin.display(description="inspection of", ordering="pdu__name")
    def inspected(self, inspection):
        return inspection.pdu or "The region"

    @admin.display(description="region")
    def region_of(self, inspection):
        return inspection.region_of

    def delete_view(self, request, object_id, extra_context=None):
        # Django lists the events as protected objects; say plainly why they are.
        if object_id.isdigit() and InspectionEvent.objects.filter(inspection=object_id).exists():
            self.message_user(
                request,
                "This inspection has lifecycle events, which are kept for good: it cannot be "
                "deleted.",
                messages.ERROR,
            )
        return super().delete_view(request, object_id, extra_context)

    # Publishing is the report layer's service (reports/publishing.py): the admin registered at
    # the top of the stack (reports/admin.py) gives these two; this layer cannot call it.
    def move_inspection(self, inspection, to_status: str, user):
        raise NotImplementedError("the registered admin moves through reports.publishing.move")

    def publish_checklist(self, inspection):
        raise NotImplementedError("the registered admin lists reports.publishing.checklist")

    def move_framework(self, inspection, framework, user):
        raise NotImplementedError("the registered admin moves through cases.framework_move")

    def _move(self, request, queryset, to_status: str) -> None:
        """Move each selected inspection as the lead's status page does, with the same checks;
        report each one moved, and each refusal with its reasons."""
        label = InspectionStatus(to_status).label.lower()
        for inspection in queryset:
            if not can_lead(request.user, inspection):
                reasons = ["only its lead inspector or an admin may move it"]
            else:
                try:
                    event = self.move_inspection(inspection, str(to_status), request.user)
                except lifecycle.TransitionRefused as refused:
                    reasons = refused.reasons
                else:
                    done = lifecycle.moved(str(inspection), event.from_status, event.to_status)
                    self.message_user(request, done, messages.SUCCESS)
                    continue
            self.message_user(
                request,
                f"{inspection}: not moved to {label}: {'; '.join(reasons)}",
                messages.ERROR,
            )

    @admin.action(description="Move to fieldwork", permissions=["change"])
    def move_to_fieldwork(self, request, queryset):
        self._move(request, queryset, InspectionStatus.FIELDWORK)

    @admin.action(description="Move to moderation", permissions=["change"])
    def move_to_moderation(self, request, queryset):
        self._move(request, queryset, InspectionStatus.MODERATION)

    @admin.action(description="Publish", permissions=["change"])
    def publish(self, request, queryset):
        """Publishing is for good: first a page listing, per inspection, what still stops it
        (the publish page's checklist) and asking to confirm, as Django's own bulk delete does.
        Only the confirmed form (posted back with the same selection) moves them."""
        # "post" marks the confirmation page's own submission (as in Django's delete_selected).
        form = PublishForm(request.POST if "post" in request.POST else None)
        if form.is_bound and form.is_valid():
            self._move(request, queryset, InspectionStatus.PUBLISHED)
            return None
        inspections = list(queryset)
        return TemplateResponse(
            request,
            "admin/inspection/publish_confirmation.html",
            {
                **self.admin_site.each_context(request),
                "title": "Publish these inspections?",
                "opts": self.model._meta,
                "form": form,
                "selected": [
                    (
                        inspection,
                        self.publish_checklist(inspection)
                        if can_lead(request.user, inspection)
                        else None,
                    )
                    for inspection in inspections
                ],
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(
        description="Move to the newest version of its framework (planning only)",
        permissions=["change"],
    )
    def move_to_newest_framework(self, request, queryset):
        for inspection in queryset.select_related("framework"):
            newest = Framework.objects.newest(inspection.framework.code)
            try:
                self.move_framework(inspection, newest, request.user)
            except versioning.FrameworkMoveRefused as refused:
                self.message_user(
                    request,
                    f"{inspection}: not moved to {newest}: {'; '.join(refused.reasons)}",
                    messages.ERROR,
                )
            else:
                self.message_user(request, f"{inspection}: now uses {newest}", messages.SUCCESS)


@admin.register(InspectionEvent)
class InspectionEventAdmin(admin.ModelAdmin):
    """The lifecycle record, kept as it happened: nothing is added, changed or deleted here
    (the database refuses changes and deletions too)."""

    list_display = ["inspection", "from_status", "to_status", "by", "at"]
    list_filter = ["to_status"]
    search_fields = ["inspection__pdu__name", "inspection__region__name", "reason"]

    def has_add_permission(self, request):
        return False  # events are recorded by inspection.lifecycle.move only

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ManagerScope)
class ManagerScopeAdmin(admin.ModelAdmin):
    list_display = ["user", "region", "pdu", "national"]
    list_filter = ["region", "national"]
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
