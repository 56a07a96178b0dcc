"""The read API. Every endpoint asks inspection.access who may see what; none decides itself.

Data endpoints take only `Authorization: Bearer <key>` (no session: a page elsewhere on the site
can then never read them with a visitor's cookie). Only GET, HEAD and OPTIONS are served.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import authentication, generics, permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.blinding import blinded_case_ids, case_or_404
from cases.models import Answer, Case
from inspection import access
from inspection.framework.export import export_framework
from inspection.models import Framework
from reports.models import PublishedReport

from . import serializers
from .authentication import BearerTokenAuthentication

READ_ONLY = ["get", "head", "options"]


class ReadOnly:
    http_method_names = READ_ONLY


class InspectionList(ReadOnly, generics.ListAPIView):
    """The inspections you may see: your team's, those you lead, and (managers) the published
    inspections in your scope; admins see all."""

    serializer_class = serializers.InspectionSerializer

    def get_queryset(self):
        return access.visible_inspections(self.request.user).order_by("-fieldwork_start", "pk")


class InspectionDetail(ReadOnly, generics.RetrieveAPIView):
    """One inspection you may see (404 otherwise, revealing nothing)."""

    serializer_class = serializers.InspectionSerializer

    def get_object(self):
        return access.inspection_or_404(self.request.user, self.kwargs["inspection_id"])


class PublishedRecordList(ReadOnly, generics.ListAPIView):
    """An inspection's published results: the records stored at each publication that stand,
    newest first, exactly as stored (none until it is published)."""

    serializer_class = serializers.PublishedRecordSerializer

    def get_queryset(self):
        inspection = access.inspection_or_404(self.request.user, self.kwargs["inspection_id"])
        return PublishedReport.objects.standing().filter(inspection=inspection)


class CaseList(ReadOnly, generics.ListAPIView):
    """An inspection's cases: for those who may see case detail (its team and admins); not the
    cases you mark second while they are blind to you (their status is the first marking's)."""

    serializer_class = serializers.CaseSerializer

    def get_queryset(self):
        user = self.request.user
        inspection = access.inspection_or_404(
            user, self.kwargs["inspection_id"], need=access.can_see_cases
        )
        return (
            Case.objects.filter(inspection=inspection)
            .exclude(pk__in=blinded_case_ids(user, inspection.pk))
            .order_by("ref", "pk")
        )


class AnswerList(ReadOnly, generics.ListAPIView):
    """A case's answers and notes: for those who may see case detail (its team and admins)."""

    serializer_class = serializers.AnswerSerializer

    def get_queryset(self):
        case = case_or_404(self.request.user, self.kwargs["case_id"])
        return (
            Answer.objects.filter(case=case)
            .select_related("question")
            .order_by("question__order", "question__pk")
        )


class FrameworkList(ReadOnly, generics.ListAPIView):
    """Every framework version (frameworks are not confidential: any signed-in user)."""

    serializer_class = serializers.FrameworkVersionSerializer
    queryset = Framework.objects.order_by("code", "version")


class FrameworkFile(ReadOnly, APIView):
    """One framework version in the framework file format (as `manage.py export_framework`
    writes it, and `load_framework` reads back)."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, code: str, version: int):
        framework = get_object_or_404(Framework, code=code, version=version)
        return Response(export_framework(framework))


class Schema(ReadOnly, SpectacularAPIView):
    """The OpenAPI 3 schema. A session may read it too: GET only, so no CSRF risk."""

    authentication_classes = [BearerTokenAuthentication, authentication.SessionAuthentication]
    # drf-spectacular serves the schema to anyone by default; like the whole site, it is not public.
    permission_classes = [permissions.IsAuthenticated]
