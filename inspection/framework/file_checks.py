"""Every check a framework file (docs/framework-format.md) must pass before anything is written.

`problems(data)` lists each problem with where it is in the file; an empty list means the file
can be loaded. Unknown keys are problems too, so a misspelt key is never silently ignored.
"""

import re
from collections import Counter
from decimal import Decimal, InvalidOperation

from django.utils.text import slugify

from inspection import input_rules as rules
from inspection.choices import ALWAYS, RatedBy, Rating, Scope
from inspection.input_rules import control_character_problem

from . import case_attributes

FORMAT = 2
# A question's code, and one an `equivalents` or `pooled_from` names; a framework's code.
CODE = re.compile(rf"^[A-Za-z0-9][A-Za-z0-9._-]{{0,{rules.QUESTION_CODE_MAX - 1}}}$")
SLUG = re.compile(rf"^[a-z0-9][a-z0-9-]{{0,{rules.FRAMEWORK_CODE_MAX - 1}}}$")
# An evidence question's key as prose cites it: {evidence:pop_survey.safe}.
EVIDENCE_CODE = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")
PROVENANCE = {"source", "provisional"}
KEYS = {
    "framework": {
        "format",
        "code",
        "version",
        "name",
        "scope",
        "pools_from",
        "agreement_weak_below",
        "conditions",
        "rating_bands",
        "overall_bands",
        "limiting_rules",
        "domains",
        "item_groups",
        "evidence",
    }
    | PROVENANCE,
    "condition": {"code", "description", "when", "not_applicable_reason"},
    "band": {"rating", "min_percent", "points"} | PROVENANCE,
    "overall_band": {"rating", "min_score", "max_score"} | PROVENANCE,
    "rule": {"if_standard", "has_rating", "then_standard", "forbidden_ratings", "description"}
    | PROVENANCE,
    "domain": {"code", "name", "rated_by", "standards"},
    "standard": {"code", "name", "headline", "rated", "scored", "applies_when", "key_questions"}
    | PROVENANCE,
    "key_question": {
        "code",
        "text",
        "applies_when",
        "equivalents",
        "pooled_from",
        "prompts",
        "finding",
    }
    | PROVENANCE,
    "prompt": {"code", "text", "equivalents", "finding"} | PROVENANCE,
    "group": {"code", "name", "report_title", "applies_when", "items"},
    "item": {"code", "text", "equivalents", "finding"} | PROVENANCE,
    "evidence": {"code", "source", "text"},
}
FINDING_KEYS = {"subject", "met", "not_met"}
RATINGS = set(Rating.values)
# The columns' ranges: PositiveIntegerField (version), PositiveSmallIntegerField (points, scores).
MAX_VERSION = 2_147_483_647
MAX_SMALL = 32_767
SHOWN = 40  # characters of a wrong value quoted in a problem


def shown(value) -> str:
    """A value as a problem quotes it ('text' in quotes, 12, None, [...]), cut to 40 characters."""
    text = repr(value)
    return text if len(text) <= SHOWN else text[: SHOWN - 3] + "..."


def hashable_text(value) -> str | None:
    """`value` if it is text (so it can be looked up in a set), else None."""
    return value if isinstance(value, str) else None


def at(where: str, key: str) -> str:
    """The place of `key` in the object at `where`: 'domains[0].name', or 'name' at the top."""
    return f"{where}.{key}" if where else key


class Checker:
    def __init__(self):
        self.problems: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}" if where else message)

    def mapping(self, value, where: str, kind: str) -> bool:
        if not isinstance(value, dict):
            self.add(where, f"must be an object, not {type(value).__name__}")
            return False
        for key in sorted(set(value) - KEYS[kind]):
            self.add(where, f"unknown key '{key}'")
        return True

    def items(self, data: dict, key: str, where: str, *, required: bool = True) -> list:
        value = data.get(key, None if required else [])
        if value is None:
            self.add(where, f"'{key}' is missing")
            return []
        if not isinstance(value, list):
            self.add(at(where, key), "must be a list")
            return []
        return value

    def text(self, data: dict, key: str, where: str, *, limit: int, required: bool = True):
        """The text at `key`, within `limit` characters (every text has one: the column's
        length, inspection/input_rules.py), or "" after noting what is wrong with it."""
        value = data.get(key)
        if key not in data or (required and value is None):
            if required:
                self.add(where, f"'{key}' is missing")
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.add(at(where, key), "must be text" + (", not empty" if required else ""))
            return ""
        if len(value) > limit:
            self.add(at(where, key), f"must be {limit:,} characters or fewer, not {len(value):,}")
        control = control_character_problem(value)
        if control:
            self.add(at(where, key), control)
            return ""
        return value

    def flag(self, data: dict, key: str, where: str, *, required: bool = False) -> None:
        if key not in data:
            if required:
                self.add(where, f"'{key}' is missing")
            return
        if not isinstance(data[key], bool):
            self.add(at(where, key), "must be true or false")

    def provenance(self, data: dict, where: str) -> None:
        self.text(data, "source", where, required=False, limit=rules.FRAMEWORK_SOURCE_MAX)
        self.flag(data, "provisional", where)

    def whole(self, data: dict, key: str, where: str, minimum: int = 0, maximum=MAX_SMALL):
        value = data.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
            self.add(where, f"'{key}' must be a whole number from {minimum} to {maximum:,}")
            return None
        return value

    def rating(self, value, where: str) -> None:
        if hashable_text(value) not in RATINGS:
            self.add(where, f"{shown(value)} is not a rating (one of {', '.join(Rating.values)})")


def problems(data) -> list[str]:
    """Every problem with a framework file's data, in file order; empty when it can be loaded."""
    check = Checker()
    if not check.mapping(data, "", "framework"):
        return check.problems
    if data.get("format") != FORMAT:
        check.add("format", f"must be {FORMAT} (docs/framework-format.md)")
    code = check.text(data, "code", "", limit=rules.FRAMEWORK_CODE_MAX)
    if code and not SLUG.match(code):
        check.add("code", "must be lower-case letters, digits and hyphens, up to 50")
    check.whole(data, "version", "", minimum=1, maximum=MAX_VERSION)
    check.text(data, "name", "", limit=rules.FRAMEWORK_NAME_MAX)
    scope = data.get("scope", Scope.PDU)
    if scope not in Scope.values:
        check.add("scope", f"must be one of {', '.join(Scope.values)}, not {shown(scope)}")
    check.provenance(data, "")

    conditions = _conditions(check, data)
    bands = _bands(check, data)
    standards, scored = _domains(check, data, conditions, bands, scope)
    _overall_bands(check, data, bands, scored)
    _limiting_rules(check, data, standards)
    _item_groups(check, data, conditions, standards)
    _unique_question_codes(check, data)
    _pools_from(check, data)
    _agreement_weak_below(check, data)
    _evidence(check, data)
    return check.problems


def _evidence(check: Checker, data: dict) -> None:
    """Domain-1 evidence questions: a key prose can cite, where the answers come from, wording."""
    codes = []
    for i, question in enumerate(check.items(data, "evidence", "", required=False)):
        where = f"evidence[{i}]"
        if not check.mapping(question, where, "evidence"):
            continue
        code = check.text(question, "code", where, limit=rules.EVIDENCE_CODE_MAX)
        if code and not EVIDENCE_CODE.match(code):
            check.add(
                where,
                f"code {shown(code)} must be lower-case letters, digits and '_' in parts "
                "joined by '.', e.g. 'pop_survey.safe'",
            )
        codes.append(code)
        check.text(question, "source", where, limit=rules.EVIDENCE_SOURCE_MAX)
        check.text(question, "text", where, limit=rules.EVIDENCE_TEXT_MAX)
    _twice(check, "evidence", codes, "code")


def _agreement_weak_below(check: Checker, data: dict) -> None:
    """Optional: the agreement below which double marking flags a key question (default 0.6)."""
    value = data.get("agreement_weak_below")
    if value is None:
        return
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not 0 <= value <= 1
        or round(value, 2) != value
    ):
        check.add(
            "agreement_weak_below",
            "must be a number from 0 to 1 with at most two decimal places (e.g. 0.6)",
        )


def _pools_from(check: Checker, data: dict) -> None:
    """A framework that pools names the PDU framework whose questions its pooled_from name."""
    pools = any(
        isinstance(d, dict) and d.get("rated_by") == RatedBy.POOLED
        for d in data.get("domains") or []
    )
    if pools and data.get("scope") != Scope.REGION:
        return  # the pooled domain is refused for the scope already
    value = data.get("pools_from")
    if pools and not (isinstance(value, str) and SLUG.match(value)):
        check.add(
            "pools_from",
            "a framework with a pooled domain must name the framework code of the PDU "
            "inspections it pools (e.g. hmip-pdu-2023)",
        )
    elif not pools and value is not None:
        check.add("pools_from", "is only for a framework with a pooled domain")


def _conditions(check: Checker, data: dict) -> dict[str, dict]:
    """{code: its `when`} of the file's well-formed conditions."""
    attributes = case_attributes.known()
    codes: dict[str, dict] = {}
    for i, condition in enumerate(check.items(data, "conditions", "", required=False)):
        where = f"conditions[{i}]"
        if not check.mapping(condition, where, "condition"):
            continue
        code = check.text(condition, "code", where, limit=rules.CONDITION_CODE_MAX)
        if code == ALWAYS:
            check.add(where, f"'{ALWAYS}' is built in and cannot be defined")
        elif code in codes:
            check.add(where, f"code '{code}' is used twice")
        codes[code] = condition.get("when") if isinstance(condition.get("when"), dict) else {}
        check.text(condition, "description", where, limit=rules.CONDITION_DESCRIPTION_MAX)
        check.text(
            condition,
            "not_applicable_reason",
            where,
            required=False,
            limit=rules.NOT_APPLICABLE_REASON_MAX,
        )
        when = condition.get("when")
        if not isinstance(when, dict) or not when:
            check.add(where, "'when' must map at least one case attribute to its values")
            continue
        for attribute, values in when.items():
            if attribute not in attributes:
                check.add(
                    f"{where}.when",
                    f"'{attribute}' is not a case attribute (one of {', '.join(attributes)})",
                )
            elif not isinstance(values, list) or not values:
                check.add(f"{where}.when.{attribute}", "must be a list of values")
            else:
                for value in values:
                    if value not in attributes[attribute] or (
                        isinstance(value, bool) != isinstance(attributes[attribute][0], bool)
                    ):
                        check.add(
                            f"{where}.when.{attribute}",
                            f"{shown(value)} is not a value of {attribute} (one of "
                            f"{', '.join(repr(v) for v in attributes[attribute])})",
                        )
    return codes


def _applies_when(check: Checker, data: dict, where: str, conditions: dict) -> None:
    value = data.get("applies_when", ALWAYS)
    if value != ALWAYS and hashable_text(value) not in conditions:
        check.add(
            where, f"applies_when {shown(value)} is not '{ALWAYS}' or a condition of the file"
        )


def _bands(check: Checker, data: dict) -> list[dict]:
    bands = []
    for i, band in enumerate(check.items(data, "rating_bands", "", required=False)):
        where = f"rating_bands[{i}]"
        if not check.mapping(band, where, "band"):
            continue
        check.rating(band.get("rating"), where)
        value = band.get("min_percent")
        try:
            # A JSON number, not text; the column keeps two decimal places and would round more.
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise InvalidOperation
            percent = Decimal(str(value))
            if not 0 <= percent <= 100 or percent != round(percent, 2):
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            check.add(
                where,
                "'min_percent' must be a number from 0 to 100 with at most two decimal places",
            )
        check.whole(band, "points", where)
        check.provenance(band, where)
        bands.append(band)
    _twice(check, "rating_bands", [b.get("rating") for b in bands], "rating")
    _twice(
        check,
        "rating_bands",
        [
            f"{b['min_percent']:g}"
            for b in bands
            if isinstance(b.get("min_percent"), int | float) and 0 <= b["min_percent"] <= 100
        ],
        "min_percent",
    )
    if bands and not any(str(b.get("min_percent")) in ("0", "0.0") for b in bands):
        check.add("rating_bands", "the lowest band must start at 0, so every proportion is rated")
    return bands


def _twice(check: Checker, where: str, values: list, what: str) -> None:
    for value, count in Counter(v for v in values if isinstance(v, str) and v).items():
        if count > 1:
            check.add(where, f"{what} '{value}' is given {count} times")


def _domains(check, data, conditions, bands, scope) -> tuple[dict[str, dict], int]:
    standards: dict[str, dict] = {}
    scored = 0
    domains = check.items(data, "domains", "")
    if not domains and "domains" in data:
        check.add("domains", "a framework needs at least one domain")
    domain_codes = []
    for d, domain in enumerate(domains):
        where = f"domains[{d}]"
        if not check.mapping(domain, where, "domain"):
            continue
        domain_codes.append(check.text(domain, "code", where, limit=rules.SECTION_CODE_MAX))
        check.text(domain, "name", where, limit=rules.FRAMEWORK_NAME_MAX)
        rated_by = domain.get("rated_by")
        if rated_by not in RatedBy.values:
            check.add(where, f"rated_by must be one of {', '.join(RatedBy.values)}")
        elif rated_by == RatedBy.POOLED and scope != Scope.REGION:
            check.add(where, "only a region framework (scope 'region') can pool PDU results")
        for s, standard in enumerate(check.items(domain, "standards", where)):
            s_where = f"{where}.standards[{s}]"
            if not check.mapping(standard, s_where, "standard"):
                continue
            code = check.text(standard, "code", s_where, limit=rules.SECTION_CODE_MAX)
            if code and not CODE.match(code):
                check.add(s_where, f"code '{code}' may hold only letters, digits, '.', '-', '_'")
            if code in standards:
                check.add(s_where, f"standard code '{code}' is used twice")
            standards[code] = standard
            check.text(standard, "name", s_where, limit=rules.FRAMEWORK_NAME_MAX)
            check.text(standard, "headline", s_where, required=False, limit=rules.HEADLINE_MAX)
            check.flag(standard, "rated", s_where, required=True)
            check.flag(standard, "scored", s_where)
            check.provenance(standard, s_where)
            _applies_when(check, standard, s_where, conditions)
            rated = standard.get("rated") is True
            if standard.get("scored", rated) is True:
                if not rated:
                    check.add(s_where, "only a rated standard can be scored")
                scored += 1
            questions = check.items(standard, "key_questions", s_where, required=False)
            if rated_by == RatedBy.JUDGEMENT and questions:
                check.add(s_where, "a standard rated by judgement has no key questions")
            if rated_by in (RatedBy.CASES, RatedBy.POOLED):
                if not questions:
                    check.add(s_where, "a standard rated from cases needs key questions")
                if rated and not bands:
                    check.add(s_where, "is rated from cases, but the file has no rating_bands")
            for q, question in enumerate(questions):
                _key_question(
                    check,
                    question,
                    f"{s_where}.key_questions[{q}]",
                    conditions,
                    # A pooled domain refused above for its scope is not refused again per question.
                    pooled=rated_by == RatedBy.POOLED and scope == Scope.REGION,
                    standard_applies_when=standard.get("applies_when", ALWAYS),
                )
    _twice(check, "domains", domain_codes, "domain code")
    return standards, scored


def _question(check, question, where, kind) -> None:
    if not check.mapping(question, where, kind):
        return
    code = check.text(question, "code", where, limit=rules.QUESTION_CODE_MAX)
    if code and not CODE.match(code):
        check.add(where, f"code '{code}' may hold only letters, digits, '.', '-' and '_'")
    check.text(question, "text", where, limit=rules.QUESTION_TEXT_MAX)
    check.provenance(question, where)
    equivalents = question.get("equivalents", {})
    if not isinstance(equivalents, dict) or not all(
        SLUG.match(k) and isinstance(v, str) and CODE.match(v) for k, v in equivalents.items()
    ):
        check.add(where, "'equivalents' must map framework codes to question codes")
    finding = question.get("finding")
    if finding is not None and (
        not isinstance(finding, dict)
        or set(finding) - FINDING_KEYS
        or not all(isinstance(finding.get(k), str) and finding.get(k) for k in FINDING_KEYS)
    ):
        check.add(where, "'finding' must give subject, met and not_met, as text")
    elif finding is not None:
        for key in sorted(FINDING_KEYS):
            check.text(finding, key, f"{where}.finding", limit=rules.FINDING_WORDING_MAX)


def _key_question(
    check, question, where, conditions, *, pooled: bool, standard_applies_when=ALWAYS
) -> None:
    _question(check, question, where, "key_question")
    if not isinstance(question, dict):
        return
    _applies_when(check, question, where, conditions)
    own = question.get("applies_when", standard_applies_when)
    if not _narrows(conditions, own, standard_applies_when):
        check.add(
            where,
            f"applies_when '{own}' asks of cases its standard's '{standard_applies_when}' "
            "leaves out: a key question's condition may only narrow its standard's (list the "
            "standard's attributes and values in it too)",
        )
    pooled_from = question.get("pooled_from")
    if pooled and not (isinstance(pooled_from, str) and CODE.match(pooled_from)):
        check.add(where, "a pooled key question needs 'pooled_from': the PDU question's code")
    if not pooled and pooled_from is not None:
        check.add(where, "'pooled_from' is only for key questions of a pooled domain")
    for p, prompt in enumerate(check.items(question, "prompts", where, required=False)):
        _question(check, prompt, f"{where}.prompts[{p}]", "prompt")


def _narrows(conditions: dict, own, standard) -> bool:
    """Whether every case meeting condition `own` meets `standard` (unknown codes are reported
    elsewhere, so they pass here)."""
    if own == standard or standard == ALWAYS or not isinstance(own, str):
        return True
    theirs = conditions.get(standard) if isinstance(standard, str) else None
    if theirs is None:
        return True
    if own == ALWAYS:
        return False
    mine = conditions.get(own)
    if mine is None:
        return True
    return all(
        isinstance(mine.get(attribute), list)
        and isinstance(values, list)
        and set(map(repr, mine[attribute])) <= set(map(repr, values))
        for attribute, values in theirs.items()
    )


def _overall_bands(check, data, bands, scored) -> None:
    overall = check.items(data, "overall_bands", "", required=False)
    spans = []
    for i, band in enumerate(overall):
        where = f"overall_bands[{i}]"
        if not check.mapping(band, where, "overall_band"):
            continue
        check.rating(band.get("rating"), where)
        low = check.whole(band, "min_score", where)
        high = check.whole(band, "max_score", where)
        check.provenance(band, where)
        if low is not None and high is not None:
            if low > high:
                check.add(where, f"min_score {low} is above max_score {high}")
            spans.append((low, high))
    _twice(
        check, "overall_bands", [b.get("rating") for b in overall if isinstance(b, dict)], "rating"
    )
    if not overall:
        return
    if not scored:
        check.add("overall_bands", "are given, but no standard is scored")
        return
    max_points = max(
        (b.get("points") for b in bands if isinstance(b.get("points"), int)), default=0
    )
    maximum = scored * max_points
    expected = 0
    for low, high in sorted(spans):
        if low != expected:
            check.add(
                "overall_bands",
                f"no band covers score {expected}"
                if low > expected
                else f"score {low} is in two bands",
            )
        expected = high + 1
    if spans and expected - 1 != maximum:
        check.add(
            "overall_bands",
            f"end at {expected - 1}, but the maximum score is {maximum} "
            f"({scored} scored standards x {max_points} points)",
        )


def _limiting_rules(check, data, standards) -> None:
    for i, rule in enumerate(check.items(data, "limiting_rules", "", required=False)):
        where = f"limiting_rules[{i}]"
        if not check.mapping(rule, where, "rule"):
            continue
        for key in ("if_standard", "then_standard"):
            if hashable_text(rule.get(key)) not in standards:
                check.add(where, f"{key} {shown(rule.get(key))} is not a standard of the file")
            elif standards[rule[key]].get("rated") is not True:
                check.add(where, f"{key} '{rule.get(key)}' is not rated")
        check.rating(rule.get("has_rating"), where)
        forbidden = rule.get("forbidden_ratings")
        if not isinstance(forbidden, list) or not forbidden:
            check.add(where, "'forbidden_ratings' must be a list of ratings")
        else:
            for rating in forbidden:
                check.rating(rating, where)
        check.text(rule, "description", where, limit=rules.RULE_DESCRIPTION_MAX)
        check.provenance(rule, where)


def _item_groups(check, data, conditions, standards) -> None:
    codes, anchors = [], []
    for g, group in enumerate(check.items(data, "item_groups", "", required=False)):
        where = f"item_groups[{g}]"
        if not check.mapping(group, where, "group"):
            continue
        code = check.text(group, "code", where, limit=rules.SECTION_CODE_MAX)
        if code and not CODE.match(code):
            check.add(where, f"code '{code}' may hold only letters, digits, '.', '-' and '_'")
        if code in standards:
            check.add(where, f"code '{code}' is also a standard's code")
        codes.append(code)
        check.text(group, "name", where, limit=rules.FRAMEWORK_NAME_MAX)
        title = check.text(
            group, "report_title", where, required=False, limit=rules.FRAMEWORK_NAME_MAX
        )
        # The report links to each group by an anchor made from its title.
        anchor = slugify(title or group.get("name") or "")
        if isinstance(group.get("name"), str) and group.get("name") and not anchor:
            check.add(where, "its title needs a letter or digit, for the report's link to it")
        anchors.append(anchor or None)
        _applies_when(check, group, where, conditions)
        items = check.items(group, "items", where)
        if not items and isinstance(group.get("items"), list):
            check.add(where, "a group needs at least one item")
        for i, item in enumerate(items):
            _question(check, item, f"{where}.items[{i}]", "item")
    _twice(check, "item_groups", codes, "code")
    _twice(check, "item_groups", anchors, "title (as the report's link)")


def _unique_question_codes(check, data) -> None:
    codes = [
        question.get("code")
        for question in iter_questions(data)
        if isinstance(question, dict) and isinstance(question.get("code"), str)
    ]
    _twice(check, "questions", codes, "question code")


def iter_questions(data: dict):
    """Every key question, prompt and item of a framework file, in file order."""
    for domain in _list(data, "domains"):
        for standard in _list(domain, "standards"):
            for question in _list(standard, "key_questions"):
                yield question
                yield from _list(question, "prompts")
    for group in _list(data, "item_groups"):
        yield from _list(group, "items")


def _list(data, key) -> list:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, list) else []
