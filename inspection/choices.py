"""Value sets shared by the framework, the inspection data and the bundle format."""

from django.db import models


class Rating(models.TextChoices):
    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"


class RatedBy(models.TextChoices):
    JUDGEMENT = "judgement", "Lead inspector's judgement"
    CASES = "cases", "Case answers"


class AppliesWhen(models.TextChoices):
    """Which cases a question is asked of; derived from the case's flags."""

    ALWAYS = "always", "Every case"
    COURT_WORK = "court_work", "Cases with pre-sentence work by the PDU"
    RESETTLEMENT = "resettlement", "Cases released from custody"


class QuestionKind(models.TextChoices):
    KEY_QUESTION = "key_question", "Key question"
    PROMPT = "prompt", "Prompt"
    RESETTLEMENT = "resettlement", "Resettlement item"
    CASE_LEVEL = "case_level", "Case-level item"


class AnswerValue(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_APPLICABLE = "na", "Not applicable"


class Addressee(models.TextChoices):
    PDU = "pdu", "The PDU"
    REGION = "region", "The region"
    NATIONAL = "national", "HMPPS nationally"


class InspectionStatus(models.TextChoices):
    PLANNING = "planning", "Planning"
    FIELDWORK = "fieldwork", "Fieldwork"
    MODERATION = "moderation", "Moderation"
    PUBLISHED = "published", "Published"


class AuditKind(models.TextChoices):
    """What an audit entry records a change to."""

    ANSWER = "answer", "Answer"
    CASE_STATUS = "case_status", "Case status"
    CASE_DETAILS = "case_details", "Case details"
    DOMAIN1 = "domain1", "Domain-1 judgement"
    RECOMMENDATION = "recommendation", "Recommendation"
    TEAM = "team", "Team"
    LIFECYCLE = "lifecycle", "Inspection status"
    QA = "qa", "Quality assurance"
    FRAMEWORK = "framework", "Framework"
