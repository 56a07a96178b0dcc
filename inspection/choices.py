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
    POOLED = "pooled", "Pooled results of the region's PDU inspections"


class Scope(models.TextChoices):
    """What a framework inspects: one PDU, or a region (which may pool its PDUs' results)."""

    PDU = "pdu", "A PDU"
    REGION = "region", "A region"


# The applicability every framework has without defining it: the question is asked of every case.
# Any other `applies_when` names one of the framework's own case conditions (CaseCondition).
ALWAYS = "always"


class QuestionKind(models.TextChoices):
    KEY_QUESTION = "key_question", "Key question"
    PROMPT = "prompt", "Prompt"
    ITEM = "item", "Item (in an item group)"


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
    # Blind double marking: the reliability sample, second marks submitted, reconciliation.
    DOUBLE_MARKING = "double_marking", "Double marking"
    FRAMEWORK = "framework", "Framework"
    REPORT_TEXT = "report_text", "Written report"
    EVIDENCE = "evidence", "Domain-1 evidence"
    PRACTICE_EXAMPLE = "practice_example", "Practice example"
    # After publication: an action plan answering a recommendation, its review, its themes.
    ACTION_PLAN = "action_plan", "Action plan"
    # A person's own sign-in: second factor added or removed, recovery codes, password reset.
    ACCOUNT = "account", "Sign-in and account"


class PlanState(models.TextChoices):
    """Where an action plan is in its review by the inspection's lead."""

    DRAFT = "draft", "Not yet submitted"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned"
    ACCEPTED = "accepted", "Accepted"


class PlanProgress(models.TextChoices):
    """How far the addressee has got with a recommendation (or an action)."""

    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    NOT_ACCEPTED = "not_accepted", "Not accepted"
