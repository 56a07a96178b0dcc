"""The case attributes a framework's conditions may name, and the values each may take.

They are part of the framework file format (a condition names an attribute and its values), so
they are defined here, with the framework; the cases app stores them on each case (cases/models.py
takes these choices) and the framework file checks read them without importing cases.
Values are pseudonymous categories: no names of people on probation.
"""

from django.db import models


class SentenceType(models.TextChoices):
    COMMUNITY_ORDER = "community_order", "Community order"
    SUSPENDED_SENTENCE_ORDER = "suspended_sentence_order", "Suspended sentence order"
    LICENCE = "licence", "Licence"
    POST_SENTENCE_SUPERVISION = "post_sentence_supervision", "Post-sentence supervision"


class Gender(models.TextChoices):
    MALE = "male", "Male"
    FEMALE = "female", "Female"


class Ethnicity(models.TextChoices):
    WHITE = "white", "White"
    ASIAN = "asian_or_asian_british", "Asian or Asian British"
    BLACK = "black_or_black_british", "Black or Black British"
    MIXED = "mixed", "Mixed"
    OTHER = "other", "Other ethnic group"
    NOT_RECORDED = "not_recorded", "Not recorded"


class AgeBand(models.TextChoices):
    AGE_18_25 = "18-25", "18 to 25"
    AGE_26_35 = "26-35", "26 to 35"
    AGE_36_49 = "36-49", "36 to 49"
    AGE_50_PLUS = "50+", "50 and over"


class RoshLevel(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    VERY_HIGH = "very_high", "Very high"


# What a framework's conditions may ask of a case, with the values each attribute takes.
CASE_ATTRIBUTES: dict[str, tuple] = {
    "court_work": (True, False),
    "resettlement": (True, False),
    "disability": (True, False),
    "sentence_type": tuple(SentenceType.values),
    "rosh": tuple(RoshLevel.values),
    "gender": tuple(Gender.values),
    "age_band": tuple(AgeBand.values),
    "ethnicity": tuple(Ethnicity.values),
}


def known() -> dict[str, tuple]:
    return dict(CASE_ATTRIBUTES)
