"""Records stored before the results model changed shape, read in today's shape.

A stored record is never rewritten (it is a public record, and the database refuses). What it
says is read through this: fields the model gained take what the record's own frozen framework
version says, so an old record renders and verifies like a new one. Only shape changes; no
figure is touched.

- Framework files, format 2 (inspection migrations 0012-0013): questions of the old kinds
  "resettlement" and "case_level" are items of an item group, and an item group says which cases
  it applies to (its condition's description), with an anchor made from its title.
- Any field a stored question or standard lacks is the frozen framework's value for it (its
  condition, group, equivalents...): the record predates the field, not the fact.
"""

from django.utils.text import slugify

from inspection.choices import QuestionKind
from inspection.framework.spec import FrameworkSpec

from . import plain_data

OLD_ITEM_KINDS = ("resettlement", "case_level")


def upgraded(results: dict, framework: FrameworkSpec) -> dict:
    """The stored results (JSON-ready data) in the current shape; `results` is left as it is."""
    group_of = {q.code: q.group_code for q in framework.questions if q.group_code}
    questions = {q.code: plain_data.dump(q) for q in framework.questions}
    standards = {s.code: plain_data.dump(s) for s in framework.standards}
    described = {}
    for group in framework.item_groups:
        condition = framework.condition(group.applies_when)
        described[group.report_title] = condition.description if condition else ""

    def walk(value):
        if isinstance(value, list):
            return [walk(v) for v in value]
        if not isinstance(value, dict):
            return value
        value = {key: walk(v) for key, v in value.items()}
        if value.get("kind") in OLD_ITEM_KINDS and "code" in value:
            value["kind"] = QuestionKind.ITEM.value
            value.setdefault("group_code", group_of.get(value["code"]))
        if "kind" in value and "text" in value:
            _fill(value, questions.get(value.get("code")))
        elif "domain_code" in value and "judged" in value:
            _fill(value, standards.get(value.get("code")))
        return value

    results = walk(results)
    for group in results.get("item_groups", []):
        if "applies_to" not in group:
            group["applies_to"] = described.get(group.get("title"), "")
            group["slug"] = slugify(group.get("title", ""))
    return results


def _fill(stored: dict, current: dict | None) -> None:
    for key, field_value in (current or {}).items():
        stored.setdefault(key, field_value)
