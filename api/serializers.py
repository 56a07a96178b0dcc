"""What the API returns. Everything is read as stored; nothing is computed here."""

from rest_framework import serializers

from cases.models import Answer, Case
from inspection.models import Framework, Inspection
from reports.models import PublishedReport


class FrameworkRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Framework
        fields = ["code", "version", "name"]


class InspectionSerializer(serializers.ModelSerializer):
    place = serializers.CharField(read_only=True, help_text="What was inspected.")
    pdu = serializers.CharField(source="pdu.name", default=None, allow_null=True)
    region = serializers.CharField(source="region_of.name")
    framework = FrameworkRefSerializer()

    class Meta:
        model = Inspection
        fields = ["id", "place", "pdu", "region", "programme", "framework", "fieldwork_start"]
        fields += ["status"]


class PublishedRecordSerializer(serializers.ModelSerializer):
    results = serializers.JSONField(help_text="The results model as stored at publication.")
    headline = serializers.JSONField()

    class Meta:
        model = PublishedReport
        fields = ["id", "published_at", "checksum", "previous_checksum", "headline", "results"]


class CaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Case
        fields = ["id", "ref", "status"]


class AnswerSerializer(serializers.ModelSerializer):
    question = serializers.CharField(source="question.code")

    class Meta:
        model = Answer
        fields = ["question", "value", "note", "version", "updated_at"]


class FrameworkVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Framework
        fields = ["code", "version", "name", "scope", "provisional"]
