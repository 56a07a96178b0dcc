"""The published Blackburn with Darwen figures (methodology.md section 4), in one place."""

RATINGS = {
    "1.1": "requires_improvement",
    "1.2": "good",
    "1.3": "requires_improvement",
    "1.4": "requires_improvement",
    "2.1": "inadequate",
    "2.2": "requires_improvement",
    "2.3": "good",
    "2.4": "requires_improvement",
    "2.5": "requires_improvement",
    "2.6": None,
}
SCORE, MAX_SCORE, OVERALL = 10, 27, "requires_improvement"

# code: (yes, relevant, percent)
KEY_QUESTIONS = {
    "2.1.1": (4, 9, 44),
    "2.2.1": (18, 21, 86),
    "2.2.2": (15, 21, 71),
    "2.2.3": (11, 21, 52),
    "2.3.1": (18, 21, 86),
    "2.3.2": (16, 21, 76),
    "2.3.3": (14, 21, 67),
    "2.4.1": (18, 21, 86),
    "2.4.2": (12, 21, 57),
    "2.4.3": (13, 21, 62),
    "2.5.1": (17, 21, 81),
    "2.5.2": (14, 21, 67),
    "2.5.3": (12, 21, 57),
    "2.6.1": (9, 21, 43),
}

# code: (yes, relevant); the report states these in words ("in 9 out of 17 relevant cases").
PROMPTS = {
    "2.1.1.a": (4, 9),
    "2.1.1.b": (3, 7),
    "2.2.3.d": (8, 17),
    "2.2.3.c": (10, 16),
    "2.3.3.a": (13, 20),
    "2.3.3.d": (12, 20),
    "2.4.2.c": (6, 18),
    "2.4.3.b": (13, 20),
    "2.5.1.b": (15, 21),
    "2.5.1.c": (14, 18),
    "2.5.2.b": (13, 18),
    "2.5.3.a": (6, 15),
    "2.5.3.b": (6, 19),
    "2.6.1.a": (19, 21),
    "2.6.1.b": (13, 17),
    "2.6.1.c": (2, 13),
    "2.6.1.d": (1, 11),
    "2.6.1.e": (8, 20),
    "2.6.1.f": (2, 8),
    "R.f": (5, 8),
    "R.c": (7, 8),
    "R.e": (4, 8),
    "R.d": (6, 8),
    "C.a": (10, 20),
    "C.b": (14, 20),
    "C.c": (20, 21),
    "C.d": (18, 20),
}
# Percentages the report states for prompts.
PROMPT_PERCENTS = {"2.5.1.b": 71, "2.2.3.c": 63}
