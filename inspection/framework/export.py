"""A framework version as a framework file (docs/framework-format.md): what loading reads.

Every key is written, defaults included, so that loading an exported file and exporting it again
gives the same file, and the shipped files are exactly what export writes.
"""

import json
from decimal import Decimal

from inspection.choices import QuestionKind
from inspection.models import Framework

from .file_checks import FORMAT

DEFAULT_WEAK_BELOW = Framework._meta.get_field("agreement_weak_below").default


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _provenance(row) -> dict:
    return {"source": row.source, "provisional": row.provisional}


def _question(question, prompts=None) -> dict:
    data = {"code": question.code, "text": question.text}
    if question.kind == QuestionKind.KEY_QUESTION:
        data["applies_when"] = question.applies_when
        if question.pooled_from:
            data["pooled_from"] = question.pooled_from
    if question.finding_subject:
        data["finding"] = {
            "subject": question.finding_subject,
            "met": question.finding_met,
            "not_met": question.finding_not_met,
        }
    data["equivalents"] = dict(sorted(question.equivalents.items()))
    data.update(_provenance(question))
    if prompts is not None:
        data["prompts"] = [_question(p) for p in prompts]
    return data


def export_framework(framework: Framework) -> dict:
    questions = list(framework.questions.order_by("order"))
    prompts: dict[int, list] = {}
    for q in questions:
        if q.parent_id:
            prompts.setdefault(q.parent_id, []).append(q)
    evidence = [
        {"code": e.code, "source": e.source, "text": e.text}
        for e in framework.evidence_questions.order_by("order")
    ]
    return {
        "format": FORMAT,
        "code": framework.code,
        "version": framework.version,
        "name": framework.name,
        "scope": framework.scope,
        **({"pools_from": framework.pools_from} if framework.pools_from else {}),
        **(
            {"agreement_weak_below": float(framework.agreement_weak_below)}
            if framework.agreement_weak_below != DEFAULT_WEAK_BELOW
            else {}
        ),
        **_provenance(framework),
        "conditions": [
            {
                "code": c.code,
                "description": c.description,
                "when": c.when,
                "not_applicable_reason": c.not_applicable_reason,
            }
            for c in framework.conditions.order_by("code")
        ],
        "rating_bands": [
            {
                "rating": b.rating,
                "min_percent": _number(b.min_percent),
                "points": b.points,
                **_provenance(b),
            }
            for b in framework.rating_bands.order_by("-min_percent")
        ],
        "overall_bands": [
            {
                "rating": b.rating,
                "min_score": b.min_score,
                "max_score": b.max_score,
                **_provenance(b),
            }
            for b in framework.overall_bands.order_by("-min_score")
        ],
        "limiting_rules": [
            {
                "if_standard": r.if_standard.code,
                "has_rating": r.has_rating,
                "then_standard": r.then_standard.code,
                "forbidden_ratings": list(r.forbidden_ratings),
                "description": r.description,
                **_provenance(r),
            }
            for r in framework.limiting_rules.select_related(
                "if_standard", "then_standard"
            ).order_by("pk")
        ],
        "domains": [
            {
                "code": d.code,
                "name": d.name,
                "rated_by": d.rated_by,
                "standards": [
                    {
                        "code": s.code,
                        "name": s.name,
                        "headline": s.headline,
                        "rated": s.rated,
                        "scored": s.scored,
                        "applies_when": s.applies_when,
                        **_provenance(s),
                        "key_questions": [
                            _question(q, prompts.get(q.pk, []))
                            for q in questions
                            if q.standard_id == s.pk and q.kind == QuestionKind.KEY_QUESTION
                        ],
                    }
                    for s in d.standards.order_by("order")
                ],
            }
            for d in framework.domains.order_by("order")
        ],
        "item_groups": [
            {
                "code": g.code,
                "name": g.name,
                "report_title": g.report_title,
                "applies_when": g.applies_when,
                "items": [_question(q) for q in questions if q.group_id == g.pk],
            }
            for g in framework.item_groups.order_by("order")
        ],
        # Only where there is any, so a framework without domain-1 evidence keeps its file.
        **({"evidence": evidence} if evidence else {}),
    }


def framework_file_text(framework: Framework) -> str:
    """The file as the shipped ones are written: 2-space indent, UTF-8 as is, a final newline."""
    return json.dumps(export_framework(framework), indent=2, ensure_ascii=False) + "\n"
