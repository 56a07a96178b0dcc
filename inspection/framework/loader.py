"""Load a framework file (docs/framework-format.md) into the framework tables, all or nothing.

`load_framework` checks the whole file first (inspection/framework/file_checks.py) and writes
nothing if any check fails; the shipped files in inspection/frameworks/ are loaded after every
migrate (`load_shipped`), so a new framework ships by adding its file.
"""

import json
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from inspection import input_rules as rules
from inspection.choices import ALWAYS, QuestionKind, Scope
from inspection.models import (
    CaseCondition,
    Domain,
    EvidenceQuestion,
    Framework,
    ItemGroup,
    LimitingRule,
    OverallBand,
    Question,
    RatingBand,
    Standard,
)

from . import file_checks

FRAMEWORKS_DIR = Path(__file__).resolve().parent.parent / "frameworks"


class FrameworkFileError(ValueError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


def read_framework_file(code: str) -> dict:
    return json.loads((FRAMEWORKS_DIR / f"{code}.json").read_text(encoding="utf-8"))


def _no_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def _object(pairs: list) -> dict:
    """A JSON object, refusing a key given twice (json.loads would keep the last silently)."""
    data = {}
    for key, value in pairs:
        if key in data:
            raise ValueError(f"the key {file_checks.shown(key)} is given twice in one object")
        data[key] = value
    return data


def parse(text: str | bytes) -> dict:
    """A framework file's JSON, or FrameworkFileError saying where it is broken."""
    if len(text) > rules.FRAMEWORK_FILE_MAX_BYTES:  # a character is at least a byte
        limit = rules.FRAMEWORK_FILE_MAX_BYTES // 1_000_000
        raise FrameworkFileError([f"the file is larger than {limit} MB, the limit"])
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")  # UTF-8, with or without the BOM some editors write
        except UnicodeDecodeError as error:
            raise FrameworkFileError(
                [f"the file is not UTF-8 text: the byte at offset {error.start:,} cannot be read"]
            ) from None
    try:
        data = json.loads(text, object_pairs_hook=_object, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise FrameworkFileError(
            [f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"]
        ) from None
    except ValueError as error:  # a key given twice, NaN, or an integer of over 4,300 digits
        raise FrameworkFileError([f"not valid JSON: {error}"]) from None
    except RecursionError:  # a framework nests 8 deep; json.loads gives up near 1,000
        raise FrameworkFileError(["not valid JSON: objects and lists nested too deep"]) from None
    return data


def check(data) -> list[str]:
    """Every problem with the file, including a version that already exists."""
    problems = file_checks.problems(data)
    if problems:
        return problems
    versions = Framework.objects.filter(code=data["code"])
    if versions.filter(version=data["version"]).exists():
        problems.append(
            f"{data['code']} version {data['version']} is already loaded: a loaded version is "
            "never replaced; give the file the next version number"
        )
    scope = data.get("scope", Scope.PDU)
    if versions.exclude(scope=scope).exists():
        # Inspections move between versions of one code: a PDU's may not land on a region's.
        problems.append(
            f"scope: {data['code']} is loaded with another scope; a new version keeps its "
            f"framework's scope ({versions.first().scope}), or needs a new code"
        )
    return problems


def _provenance(data: dict) -> dict:
    return {"source": data.get("source", ""), "provisional": data.get("provisional", False)}


def _finding(data: dict) -> dict:
    finding = data.get("finding") or {}
    return {
        "finding_subject": finding.get("subject", ""),
        "finding_met": finding.get("met", ""),
        "finding_not_met": finding.get("not_met", ""),
    }


@transaction.atomic
def load_framework(data: dict) -> Framework:
    """Create the framework version the file describes, or raise FrameworkFileError (nothing
    written)."""
    problems = check(data)
    if problems:
        raise FrameworkFileError(problems)
    framework = Framework.objects.create(
        code=data["code"],
        version=data["version"],
        name=data["name"],
        scope=data.get("scope", Scope.PDU),
        pools_from=data.get("pools_from", ""),
        **(
            {"agreement_weak_below": Decimal(str(data["agreement_weak_below"]))}
            if "agreement_weak_below" in data
            else {}
        ),
        **_provenance(data),
    )
    CaseCondition.objects.bulk_create(
        CaseCondition(
            framework=framework,
            code=c["code"],
            description=c["description"],
            when=c["when"],
            not_applicable_reason=c.get("not_applicable_reason", ""),
        )
        for c in data.get("conditions", [])
    )
    RatingBand.objects.bulk_create(
        RatingBand(
            framework=framework,
            rating=b["rating"],
            min_percent=b["min_percent"],
            points=b["points"],
            **_provenance(b),
        )
        for b in data.get("rating_bands", [])
    )
    OverallBand.objects.bulk_create(
        OverallBand(
            framework=framework,
            rating=b["rating"],
            min_score=b["min_score"],
            max_score=b["max_score"],
            **_provenance(b),
        )
        for b in data.get("overall_bands", [])
    )
    order = 0

    def question(data: dict, kind: str, **fields) -> Question:
        nonlocal order
        order += 1
        return Question(
            framework=framework,
            kind=kind,
            code=data["code"],
            text=data["text"],
            order=order,
            equivalents=data.get("equivalents", {}),
            **_finding(data),
            **_provenance(data),
            **fields,
        )

    standards = {}
    for domain_order, domain_data in enumerate(data["domains"]):
        domain = Domain.objects.create(
            framework=framework,
            code=domain_data["code"],
            name=domain_data["name"],
            rated_by=domain_data["rated_by"],
            order=domain_order,
        )
        for standard_order, s in enumerate(domain_data["standards"]):
            standard = Standard.objects.create(
                framework=framework,
                domain=domain,
                code=s["code"],
                name=s["name"],
                headline=s.get("headline", ""),
                rated=s["rated"],
                scored=s.get("scored", s["rated"]),
                applies_when=s.get("applies_when", ALWAYS),
                order=domain_order * 100 + standard_order,
                **_provenance(s),
            )
            standards[standard.code] = standard
            for kq in s.get("key_questions", []):
                applies_when = kq.get("applies_when", standard.applies_when)
                key_question = question(
                    kq,
                    QuestionKind.KEY_QUESTION,
                    standard=standard,
                    applies_when=applies_when,
                    pooled_from=kq.get("pooled_from", ""),
                )
                key_question.save()
                Question.objects.bulk_create(
                    question(
                        prompt,
                        QuestionKind.PROMPT,
                        standard=standard,
                        parent=key_question,
                        applies_when=applies_when,
                    )
                    for prompt in kq.get("prompts", [])
                )
    for group_order, g in enumerate(data.get("item_groups", [])):
        group = ItemGroup.objects.create(
            framework=framework,
            code=g["code"],
            name=g["name"],
            report_title=g.get("report_title", ""),
            applies_when=g.get("applies_when", ALWAYS),
            order=group_order,
        )
        Question.objects.bulk_create(
            question(item, QuestionKind.ITEM, group=group, applies_when=group.applies_when)
            for item in g["items"]
        )
    LimitingRule.objects.bulk_create(
        LimitingRule(
            framework=framework,
            if_standard=standards[r["if_standard"]],
            has_rating=r["has_rating"],
            then_standard=standards[r["then_standard"]],
            forbidden_ratings=r["forbidden_ratings"],
            description=r["description"],
            **_provenance(r),
        )
        for r in data.get("limiting_rules", [])
    )
    EvidenceQuestion.objects.bulk_create(
        EvidenceQuestion(
            framework=framework, code=e["code"], source=e["source"], text=e["text"], order=order
        )
        for order, e in enumerate(data.get("evidence", []))
    )
    return framework


def shipped_files() -> list[Path]:
    return sorted(FRAMEWORKS_DIR.glob("*.json"))


def load_shipped(**kwargs) -> list[Framework]:
    """Load every shipped framework version not in the database yet (run after migrate)."""
    loaded = []
    for path in shipped_files():
        data = parse(path.read_bytes())
        if not Framework.objects.filter(code=data["code"], version=data["version"]).exists():
            loaded.append(load_framework(data))
    return loaded
