"""The reports app's tables: what was published (records.py), and what follows publication,
the action plans answering its recommendations (action_plans.py)."""

from .action_plans import (
    ActionPlan,
    PlanAction,
    PlanReview,
    ProgressUpdate,
    RecommendationTheme,
    ReminderSent,
    Theme,
)
from .records import PUBLISHED, PublishedPdf, PublishedReport, PublishedReportQuerySet, legacy

__all__ = [
    "PUBLISHED",
    "ActionPlan",
    "PlanAction",
    "PlanReview",
    "ProgressUpdate",
    "PublishedPdf",
    "PublishedReport",
    "PublishedReportQuerySet",
    "RecommendationTheme",
    "ReminderSent",
    "Theme",
    "legacy",
]
