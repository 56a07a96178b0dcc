"""The first framework file format and its loader, frozen for migrations 0002 and 0005.

Those migrations loaded hmip-pdu-2021 in this format; migration 0012 converts what they made to
format 2 (inspection/framework/loader.py). Kept as it was so that a new database is built by the
same steps as an old one. (Django skips migration modules whose names start with "_".)
"""

import json
from pathlib import Path

FILE = Path(__file__).resolve().parent / "hmip-pdu-2021-format1.json"
# The question kinds of format 1 (format 2 has one kind of item, in item groups).
KEY_QUESTION, PROMPT = "key_question", "prompt"
ITEM_KINDS = {"R": "resettlement", "C": "case_level"}


def read_framework_file(code: str) -> dict:
    assert code == "hmip-pdu-2021", code
    return json.loads(FILE.read_text(encoding="utf-8"))


def finding_fields(question: dict, Question=None) -> dict:
    """The report's wording for a finding on this question, where the data file gives one.

    Empty for a historical Question model from before the wording fields existed (an early
    migration loading the framework); a later migration fills them in.
    """
    if Question is not None and not hasattr(Question, "finding_subject"):
        return {}
    finding = question.get("finding") or {}
    return {
        "finding_subject": finding.get("subject", ""),
        "finding_met": finding.get("met", ""),
        "finding_not_met": finding.get("not_met", ""),
    }


def iter_question_data(data: dict):
    """Every prompt and item of a framework file, as dicts with at least a code."""
    for domain in data["domains"]:
        for standard in domain["standards"]:
            for key_question in standard["key_questions"]:
                yield key_question
                yield from key_question.get("prompts", [])
    for group in data.get("item_groups", []):
        yield from group["items"]


def load_framework(data: dict, get_model) -> object:
    """Create one framework with all its rows; `get_model(name)` returns an inspection model."""
    Framework = get_model("Framework")
    Domain = get_model("Domain")
    Standard = get_model("Standard")
    Question = get_model("Question")

    framework = Framework.objects.create(
        code=data["code"], version=data["version"], name=data["name"]
    )
    get_model("RatingBand").objects.bulk_create(
        get_model("RatingBand")(
            framework=framework,
            rating=band["rating"],
            min_percent=band["min_percent"],
            points=band["points"],
        )
        for band in data["rating_bands"]
    )
    get_model("OverallBand").objects.bulk_create(
        get_model("OverallBand")(
            framework=framework,
            rating=band["rating"],
            min_score=band["min_score"],
            max_score=band["max_score"],
        )
        for band in data["overall_bands"]
    )

    order = 0
    standards = {}
    for domain_order, domain_data in enumerate(data["domains"]):
        domain = Domain.objects.create(
            framework=framework,
            code=domain_data["code"],
            name=domain_data["name"],
            rated_by=domain_data["rated_by"],
            order=domain_order,
        )
        for standard_order, standard_data in enumerate(domain_data["standards"]):
            standard = Standard.objects.create(
                framework=framework,
                domain=domain,
                code=standard_data["code"],
                name=standard_data["name"],
                headline=standard_data.get("headline", ""),
                rated=standard_data["rated"],
                applies_when=standard_data["applies_when"],
                order=domain_order * 100 + standard_order,
            )
            standards[standard.code] = standard
            for kq_data in standard_data["key_questions"]:
                order += 1
                key_question = Question.objects.create(
                    framework=framework,
                    standard=standard,
                    kind=KEY_QUESTION,
                    code=kq_data["code"],
                    text=kq_data["text"],
                    applies_when=standard.applies_when,
                    order=order,
                )
                prompts = []
                for prompt_data in kq_data.get("prompts", []):
                    order += 1
                    prompts.append(
                        Question(
                            framework=framework,
                            standard=standard,
                            parent=key_question,
                            kind=PROMPT,
                            code=prompt_data["code"],
                            text=prompt_data["text"],
                            applies_when=standard.applies_when,
                            order=order,
                            **finding_fields(prompt_data, Question),
                        )
                    )
                Question.objects.bulk_create(prompts)

    for group in data.get("item_groups", []):
        items = []
        for item in group["items"]:
            order += 1
            items.append(
                Question(
                    framework=framework,
                    kind=ITEM_KINDS[group["code"]],
                    code=item["code"],
                    text=item["text"],
                    applies_when=group["applies_when"],
                    order=order,
                    **finding_fields(item, Question),
                )
            )
        Question.objects.bulk_create(items)

    get_model("LimitingRule").objects.bulk_create(
        get_model("LimitingRule")(
            framework=framework,
            if_standard=standards[rule["if_standard"]],
            has_rating=rule["has_rating"],
            then_standard=standards[rule["then_standard"]],
            forbidden_ratings=rule["forbidden_ratings"],
            description=rule["description"],
        )
        for rule in data.get("limiting_rules", [])
    )
    return framework
