"""What the admin upload shows before anything is loaded: a checked framework file's data, with
the labels people read (ratings, who rates a domain, what a condition means) beside the codes."""

from inspection.choices import ALWAYS, RatedBy, Rating, Scope

from . import files

PROVENANCE_DEFAULTS = {"source": "", "provisional": False}


def _applies(code: str, conditions: dict[str, dict]) -> str:
    if code == ALWAYS:
        return "every case"
    return f"{code}: {conditions[code]['description']}"


def _question(question: dict, applies_when: str, conditions: dict) -> dict:
    return {
        **PROVENANCE_DEFAULTS,
        **question,
        "applies": _applies(question.get("applies_when", applies_when), conditions),
        "prompts": [{**PROVENANCE_DEFAULTS, **prompt} for prompt in question.get("prompts", [])],
    }


def preview(data: dict) -> dict:
    """The file's data for the preview page. Only for data file_checks.problems found no fault
    with: it relies on every code it looks up being there."""
    conditions = {c["code"]: c for c in data.get("conditions", [])}
    ratings = dict(Rating.choices)
    return {
        **PROVENANCE_DEFAULTS,
        "code": data["code"],
        "version": data["version"],
        "name": data["name"],
        "source": data.get("source", ""),
        "provisional": data.get("provisional", False),
        "scope": Scope(data.get("scope", Scope.PDU)).label,
        "counts": list(files.counts(data).items()),  # a dict's "items" key would hide .items
        "conditions": [
            {
                **c,
                "when": [
                    (attribute, ", ".join(str(v) for v in values))
                    for attribute, values in c["when"].items()
                ],
            }
            for c in data.get("conditions", [])
        ],
        "rating_bands": [
            {**PROVENANCE_DEFAULTS, **b, "label": ratings[b["rating"]]}
            for b in data.get("rating_bands", [])
        ],
        "overall_bands": [
            {**PROVENANCE_DEFAULTS, **b, "label": ratings[b["rating"]]}
            for b in data.get("overall_bands", [])
        ],
        "limiting_rules": [
            {
                **PROVENANCE_DEFAULTS,
                **r,
                "has_label": ratings[r["has_rating"]],
                "forbidden_labels": ", ".join(ratings[f] for f in r["forbidden_ratings"]),
            }
            for r in data.get("limiting_rules", [])
        ],
        "domains": [
            {
                "code": d["code"],
                "name": d["name"],
                "rated_by": RatedBy(d["rated_by"]).label,
                "standards": [
                    {
                        **PROVENANCE_DEFAULTS,
                        **s,
                        "scored": s.get("scored", s["rated"]),
                        "applies": _applies(s.get("applies_when", ALWAYS), conditions),
                        "key_questions": [
                            _question(q, s.get("applies_when", ALWAYS), conditions)
                            for q in s.get("key_questions", [])
                        ],
                    }
                    for s in d["standards"]
                ],
            }
            for d in data["domains"]
        ],
        "item_groups": [
            {
                **g,
                "applies": _applies(g.get("applies_when", ALWAYS), conditions),
                "items": [{**PROVENANCE_DEFAULTS, **item} for item in g["items"]],
            }
            for g in data.get("item_groups", [])
        ],
        "evidence": data.get("evidence", []),
    }
