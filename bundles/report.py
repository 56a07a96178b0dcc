"""The bundle's `report` section: the written report (docs/report-text.md), checked, written and
exported here so that the three read one shape.

    "report": {"signatory": ..., "signatory_title": ..., "isbn": "978-1-915468-66-6",
               "context_facts": [...], "footnotes": [...],
               "rating_sentences": {"2.4": "The PDU is rated as '{2.4:rating}' ..."},
               "evidence": {...}, "parts": {"foreword": [sub-section, ...],
               "background": [...], "standards": {"1.3": [...], ...}, "acknowledgements": [...],
               "annexe": [...]},
               "confirmed_numbers": [...]}

A sub-section is {"heading", "body", "strengths", "areas"}, each list of {"text": ...} or
{"quote": ...}. Problems name their place as the bundle does
("report.parts.standards.2.2[0].strengths[1]: ..."). The confirmed numbers are
bundles/confirmed_numbers.py's.
"""

import re
from dataclasses import dataclass, field

from cases.import_checks import shown, text_problem
from inspection import audit, input_rules
from inspection.choices import AuditKind
from inspection.framework.spec import FrameworkSpec
from inspection.isbn import TYPED_MAX, isbn_problems, normalised
from inspection.models import (
    ContextFact,
    Footnote,
    Inspection,
    ItemKind,
    ItemList,
    RatingWording,
    ReportImprint,
    ReportItem,
    ReportPart,
    ReportSigning,
    ReportSubsection,
)
from inspection.models.report_text import KEY_MAX
from reports import report_writing
from reports.report_texts import ReportTexts, report_texts

from .confirmed_numbers import export_confirmed, read_confirmed, write_confirmed

REPORT_KEYS = {
    "signatory",
    "signatory_title",
    "isbn",
    "context_facts",
    "footnotes",
    "rating_sentences",
    "evidence",
    "parts",
    "confirmed_numbers",
}
# The bundle's name for each part; "standards" holds one list per standard code.
PARTS = {
    "foreword": ReportPart.FOREWORD,
    "background": ReportPart.BACKGROUND,
    "standards": ReportPart.STANDARD,
    "acknowledgements": ReportPart.ACKNOWLEDGEMENTS,
    "annexe": ReportPart.ANNEXE,
}
SUBSECTION_KEYS = {"heading", *ItemList.values}
FACT_KEYS = {"key", "label", "value", "source"}
FOOTNOTE_KEYS = {"key", "text"}
_KEY = re.compile(r"[-A-Za-z0-9_]+")
# Only the kinds of citation this section defines are checked here (the facts and footnotes it
# carries, and framework codes); the forms and evidence keys are reports/prose.py's to check.
_CITATION = re.compile(r"\{([^{}]*)\}")


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


@dataclass
class ValidSubsection:
    part: str
    standard: str | None  # a standard's code, for the part "standard"
    heading: str
    # (list, kind, text) in order within each list.
    items: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class ValidReport:
    signing: tuple[str, str] | None = None
    isbn: str = ""
    facts: list[dict] = field(default_factory=list)
    footnotes: list[dict] = field(default_factory=list)
    # Standard code -> the lead's wording of its rating sentence.
    rating_sentences: dict[str, str] = field(default_factory=dict)
    subsections: list[ValidSubsection] = field(default_factory=list)
    # {place, written, text_digest}: numbers typed by hand that the lead confirmed.
    confirmed: list[dict] = field(default_factory=list)

    def texts(self) -> list[str]:
        """Every text as it will be stored, read as the app reads a stored report's
        (reports/report_texts.py), from the rows they will be (unsaved)."""
        return list(
            ReportTexts(
                items=[
                    ReportItem(text=text)
                    for subsection in self.subsections
                    for _, _, text in subsection.items
                ],
                rating_wordings=[
                    RatingWording(text=text) for text in self.rating_sentences.values()
                ],
                facts=[ContextFact(source=fact["source"]) for fact in self.facts],
                footnotes=[Footnote(text=note["text"]) for note in self.footnotes],
            ).texts()
        )


# Checking


def validate_report(
    report, spec: FrameworkSpec, legacy: dict[str, dict[str, list[str]]], problems: list[str]
) -> ValidReport:
    """The section as rows to write. `legacy`: domain-1 strengths and areas for improvement given
    the old way (in `domain1`), {code: {"strengths": [...], "areas": [...]}}: each becomes its
    standard's first sub-section unless the section gives that standard's text."""
    valid = ValidReport()
    if report is None:
        report = {}
    if not isinstance(report, dict):
        problems.append("report: expected an object")
        return valid
    for key in sorted(set(report) - REPORT_KEYS):
        problems.append(f"report: unknown field {shown(key)}")

    if "signatory" in report or "signatory_title" in report:
        length = _max_length(ReportSigning, "signatory")
        valid.signing = (
            _line(report.get("signatory", ""), "report.signatory", problems, length) or "",
            _line(report.get("signatory_title", ""), "report.signatory_title", problems, length)
            or "",
        )
    if "isbn" in report:
        valid.isbn = _isbn(report["isbn"], problems)
    valid.facts = _keyed(
        report.get("context_facts", []), "report.context_facts", FACT_KEYS, _fact, problems
    )
    valid.footnotes = _keyed(
        report.get("footnotes", []), "report.footnotes", FOOTNOTE_KEYS, _footnote, problems
    )
    valid.rating_sentences = _rating_sentences(report.get("rating_sentences", {}), spec, problems)
    # `evidence` (the domain-1 evidence tallies) is read, written and exported with the tallies
    # (bundles/evidence.py), not here.

    parts = report.get("parts", {})
    if not isinstance(parts, dict):
        problems.append("report.parts: expected an object of parts")
        parts = {}
    for name in parts:
        if name not in PARTS:
            problems.append(
                f"report.parts: unknown part {shown(name)} (the parts are {', '.join(PARTS)})"
            )
    standards = parts.get("standards", {})
    if not isinstance(standards, dict):
        problems.append("report.parts.standards: expected an object keyed by standard code")
        standards = {}
    codes = [s.code for s in spec.standards]
    for code in standards:
        if code not in codes:
            problems.append(
                f"report.parts.standards: unknown standard code {shown(code)} "
                f"(the framework's standards are {', '.join(codes)})"
            )
    for name, part in PARTS.items():
        if part == ReportPart.STANDARD:
            for code in codes:
                if code in standards:
                    valid.subsections += _subsections(
                        standards[code], f"report.parts.standards.{code}", part, code, problems
                    )
                elif any(legacy.get(code, {}).values()):
                    items = [
                        (list_name, ItemKind.TEXT, text)
                        for list_name in (ItemList.STRENGTHS, ItemList.AREAS)
                        for text in legacy[code][list_name]
                    ]
                    valid.subsections.append(ValidSubsection(part, code, "", items))
        elif name in parts:
            valid.subsections += _subsections(
                parts[name], f"report.parts.{name}", part, None, problems
            )
    _check_citations(valid, report, spec, problems)
    if "confirmed_numbers" in report:
        valid.confirmed = read_confirmed(report["confirmed_numbers"], valid.texts(), problems)
    return valid


def _line(value, where: str, problems: list[str], max_length: int, required=False) -> str | None:
    """One line of text (a heading, a label, a key); empty allowed unless `required`."""
    if not isinstance(value, str):
        problems.append(f"{where}: expected text, got {shown(value)}")
        return None
    value = value.strip()
    if required and not value:
        problems.append(f"{where}: required text is missing or empty")
        return None
    if "\n" in value or "\r" in value:
        problems.append(f"{where}: contains a line break; it is one line")
        return None
    if problem := text_problem(value, max_length):
        problems.append(f"{where}: {problem}")
        return None
    return value


def _paragraph(value, where: str, problems: list[str], required=True) -> str | None:
    """A paragraph, strength, quote, source or footnote: within REPORT_TEXT_MAX."""
    if not isinstance(value, str):
        problems.append(f"{where}: expected text, got {shown(value)}")
        return None
    value = input_rules.normalise_line_endings(value).strip()
    if required and not value:
        problems.append(f"{where}: required text is missing or empty")
        return None
    if problem := text_problem(value, input_rules.REPORT_TEXT_MAX):
        problems.append(f"{where}: {problem}")
        return None
    return value


def _isbn(value, problems: list[str]) -> str:
    isbn = _line(value, "report.isbn", problems, TYPED_MAX)
    if not isbn:
        return ""
    found = isbn_problems(isbn)
    problems += [f"report.isbn: {problem}" for problem in found]
    return "" if found else normalised(isbn)


def _rating_sentences(sentences, spec: FrameworkSpec, problems: list[str]) -> dict[str, str]:
    """{standard code: wording}: only a standard rated from its key questions has a rating
    sentence (StandardSpec.has_rating_sentence)."""
    if not isinstance(sentences, dict):
        problems.append("report.rating_sentences: expected an object keyed by standard code")
        return {}
    worded = [s.code for s in spec.standards if s.has_rating_sentence]
    valid = {}
    for code, text in sentences.items():
        at = f"report.rating_sentences.{code}"
        if code not in worded:
            problems.append(
                f"report.rating_sentences: {shown(code)} has no rating sentence (the standards "
                f"rated from their key questions are {', '.join(worded) or 'none'})"
            )
            continue
        text = _paragraph(text, at, problems)
        if text is not None:
            valid[code] = text
    return valid


def _keyed(entries, where: str, allowed: set[str], read, problems: list[str]) -> list[dict]:
    """A list of objects each with a unique `key` (context facts, footnotes)."""
    if not isinstance(entries, list):
        problems.append(f"{where}: expected a list")
        return []
    valid, first_at = [], {}
    for index, entry in enumerate(entries):
        at = f"{where}[{index}]"
        if not isinstance(entry, dict):
            problems.append(f"{at}: expected an object")
            continue
        for key in sorted(set(entry) - allowed):
            problems.append(f"{at}: unknown field {shown(key)}")
        key = _line(entry.get("key"), f"{at}.key", problems, KEY_MAX, required=True)
        if key is not None and not _KEY.fullmatch(key):
            problems.append(
                f"{at}.key: {shown(key)} may hold only letters, digits, hyphens and underscores"
            )
            key = None
        if key is not None:
            if key in first_at:
                problems.append(f"{at}.key: duplicate key {key!r} (also {first_at[key]})")
            first_at.setdefault(key, at)
        row = read(entry, at, problems)
        if key is not None and row is not None:
            valid.append({"key": key, **row})
    return valid


def _fact(entry: dict, at: str, problems: list[str]) -> dict | None:
    row = {
        "label": _line(
            entry.get("label"),
            f"{at}.label",
            problems,
            _max_length(ContextFact, "label"),
            required=True,
        ),
        "value": _line(
            entry.get("value"),
            f"{at}.value",
            problems,
            _max_length(ContextFact, "value"),
            required=True,
        ),
        "source": _paragraph(entry.get("source", ""), f"{at}.source", problems, required=False),
    }
    return None if None in row.values() else row


def _footnote(entry: dict, at: str, problems: list[str]) -> dict | None:
    text = _paragraph(entry.get("text"), f"{at}.text", problems)
    return None if text is None else {"text": text}


def _subsections(
    subsections, where: str, part: str, standard: str | None, problems: list[str]
) -> list[ValidSubsection]:
    if not isinstance(subsections, list):
        problems.append(f"{where}: expected a list of sub-sections")
        return []
    valid = []
    for index, subsection in enumerate(subsections):
        at = f"{where}[{index}]"
        if not isinstance(subsection, dict):
            problems.append(f"{at}: expected an object")
            continue
        for key in sorted(set(subsection) - SUBSECTION_KEYS):
            problems.append(f"{at}: unknown field {shown(key)}")
        heading = _line(
            subsection.get("heading", ""),
            f"{at}.heading",
            problems,
            _max_length(ReportSubsection, "heading"),
        )
        items = []
        for name in ItemList.values:
            items += _items(subsection.get(name, []), f"{at}.{name}", name, problems)
        if heading is not None:
            valid.append(ValidSubsection(part, standard, heading, items))
    return valid


def _items(items, where: str, name: str, problems: list[str]) -> list[tuple[str, str, str]]:
    if not isinstance(items, list):
        problems.append(f'{where}: expected a list of {{"text": ...}} or {{"quote": ...}}')
        return []
    valid = []
    for index, item in enumerate(items):
        at = f"{where}[{index}]"
        kinds = [kind for kind in ItemKind.values if isinstance(item, dict) and kind in item]
        if not isinstance(item, dict) or len(item) != 1 or len(kinds) != 1:
            problems.append(
                f'{at}: expected {{"text": ...}} or {{"quote": ...}}, got {shown(item)}'
            )
            continue
        text = _paragraph(item[kinds[0]], f"{at}.{kinds[0]}", problems)
        if text is not None:
            valid.append((name, kinds[0], text))
    return valid


def _check_citations(valid: ValidReport, report: dict, spec: FrameworkSpec, problems) -> None:
    """Every {fact:KEY} and {note:KEY} names a fact or footnote the section defines, and every
    cited framework code exists. Places are named as the other problems name them."""
    facts = {fact["key"] for fact in valid.facts}
    notes = {note["key"] for note in valid.footnotes}
    codes = {q.code for q in spec.questions} | {s.code for s in spec.standards}
    for where, text in _cited_texts(report):
        for match in _CITATION.finditer(text):
            head, _, rest = match.group(1).strip().partition(":")
            key = rest.strip()
            if head == "fact" and key not in facts:
                problems.append(f"{where}: {match.group()}: no context fact {key!r} is defined")
            elif head == "note" and key not in notes:
                problems.append(f"{where}: {match.group()}: no footnote {key!r} is defined")
            elif head not in ("fact", "note", "evidence") and head.strip() not in codes:
                problems.append(
                    f"{where}: {match.group()}: there is no standard, key question, prompt or "
                    f"item {head.strip()!r} in the framework"
                )


def _cited_texts(report: dict):
    """(place, text) of every text in the section that may cite, as given (checked or not)."""

    def strings(value, where):
        if isinstance(value, str):
            yield where, value

    for name in ("context_facts", "footnotes"):
        entries = report.get(name)
        for index, entry in enumerate(entries if isinstance(entries, list) else []):
            if isinstance(entry, dict):
                field_name = "source" if name == "context_facts" else "text"
                yield from strings(entry.get(field_name), f"report.{name}[{index}].{field_name}")
    sentences = report.get("rating_sentences")
    for code, text in sentences.items() if isinstance(sentences, dict) else ():
        yield from strings(text, f"report.rating_sentences.{code}")
    parts = report.get("parts")
    if not isinstance(parts, dict):
        return
    places = [(f"report.parts.{n}", parts[n]) for n in PARTS if n != "standards" and n in parts]
    if isinstance(parts.get("standards"), dict):
        places += [(f"report.parts.standards.{c}", s) for c, s in parts["standards"].items()]
    for where, subsections in places:
        for index, subsection in enumerate(subsections if isinstance(subsections, list) else []):
            if not isinstance(subsection, dict):
                continue
            for name in ItemList.values:
                items = subsection.get(name)
                for number, item in enumerate(items if isinstance(items, list) else []):
                    if isinstance(item, dict):
                        for kind in ItemKind.values:
                            yield from strings(
                                item.get(kind), f"{where}[{index}].{name}[{number}].{kind}"
                            )


# Writing


def write_report(inspection: Inspection, report: ValidReport, spec, by, reason: str) -> list:
    """The rows (inside the import's transaction) and their unsaved audit entries."""
    entries = []

    def entry(subject: str, new: str):
        entries.append(
            audit.entry(
                inspection.pk,
                AuditKind.REPORT_TEXT,
                by=by,
                subject=subject,
                new=new,
                reason=reason,
            )
        )

    if report.signing is not None:
        signatory, title = report.signing
        ReportSigning.objects.create(
            inspection=inspection, signatory=signatory, signatory_title=title
        )
        entry("Foreword: signatory", f"{signatory}, {title}")
    if report.isbn:
        ReportImprint.objects.create(inspection=inspection, isbn=report.isbn)
        entry("ISBN", report.isbn)
    for order, fact in enumerate(report.facts, start=1):
        ContextFact.objects.create(inspection=inspection, order=order, **fact)
        entry(f"Fact {fact['key']}", _fact_reads(fact))
    for note in report.footnotes:
        Footnote.objects.create(inspection=inspection, **note)
        entry(f"Footnote {note['key']}", note["text"])

    standard_ids = {s.code: s.id for s in spec.standards}
    for code, text in report.rating_sentences.items():
        RatingWording.objects.create(
            inspection=inspection, standard_id=standard_ids[code], text=text
        )
        entry(f"{code}: rating sentence", text)
    orders: dict[tuple, int] = {}
    rows = []
    for valid in report.subsections:
        place = (valid.part, valid.standard)
        orders[place] = orders.get(place, -1) + 1
        rows.append(
            ReportSubsection(
                inspection=inspection,
                part=valid.part,
                standard_id=standard_ids[valid.standard] if valid.standard else None,
                heading=valid.heading,
                order=orders[place],
            )
        )
    subsections = ReportSubsection.objects.bulk_create(rows)
    items = []
    for row, valid in zip(subsections, report.subsections, strict=True):
        where = _where(valid)
        entry(f"{where}: sub-section", valid.heading)
        numbers: dict[str, int] = {}
        for name, kind, text in valid.items:
            numbers[name] = numbers.get(name, 0) + 1
            items.append(
                ReportItem(subsection=row, list=name, kind=kind, text=text, order=numbers[name])
            )
            entry(
                f"{where}: {ItemList(name).label.lower()} {numbers[name]}",
                f"(quote) {text}" if kind == ItemKind.QUOTE else text,
            )
    ReportItem.objects.bulk_create(items)
    entries += write_confirmed(inspection, report.confirmed, by, reason)
    return entries


def written_problems(inspection: Inspection, report: ValidReport) -> list[str]:
    """After the rows are written (the tallies and cases too): every problem the registered
    text checks find, the same checks the lead's pages run (citation forms, evidence keys, a
    case named), so an import can never bring in text the pages would refuse."""
    texts = [(f"report: fact {fact['key']}, source", fact["source"]) for fact in report.facts]
    texts += [(f"report: footnote {note['key']}", note["text"]) for note in report.footnotes]
    texts += [
        (f"report: {code}, rating sentence", text) for code, text in report.rating_sentences.items()
    ]
    for subsection in report.subsections:
        numbers: dict[str, int] = {}
        for name, _, text in subsection.items:
            numbers[name] = numbers.get(name, 0) + 1
            label = ItemList(name).label.lower()
            texts.append((f"report: {_where(subsection)}, {label} {numbers[name]}", text))
    found = report_writing.problems_of_texts(inspection, [text for _, text in texts])
    return [
        f"{where}: {problem}"
        for (where, _), problems in zip(texts, found, strict=True)
        for problem in problems
    ]


def _where(subsection: ValidSubsection) -> str:
    """As the trail names a sub-section elsewhere: "1.3 Resettlement work", "Foreword"."""
    place = subsection.standard or ReportPart(subsection.part).label
    return f"{place} {subsection.heading}" if subsection.heading else place


def _fact_reads(fact: dict) -> str:
    return f"{fact['label']}: {fact['value']}" + (f" ({fact['source']})" if fact["source"] else "")


# Exporting


def export_report(inspection: Inspection) -> dict | None:
    """The section as validate_report reads it, or None when nothing of the report is written."""
    report: dict = {}
    signing = ReportSigning.objects.filter(inspection=inspection).first()
    if signing is not None:
        report["signatory"] = signing.signatory
        report["signatory_title"] = signing.signatory_title
    if isbn := report_writing.isbn_of(inspection.pk):
        report["isbn"] = isbn
    facts = ContextFact.objects.filter(inspection=inspection).order_by("order", "pk")
    if facts:
        report["context_facts"] = [
            {"key": f.key, "label": f.label, "value": f.value, "source": f.source} for f in facts
        ]
    notes = Footnote.objects.filter(inspection=inspection).order_by("key")
    if notes:
        report["footnotes"] = [{"key": n.key, "text": n.text} for n in notes]
    wordings = RatingWording.objects.filter(inspection=inspection).select_related("standard")
    if wordings:
        report["rating_sentences"] = {w.standard.code: w.text for w in wordings}

    subsections = (
        ReportSubsection.objects.filter(inspection=inspection)
        .select_related("standard")
        .prefetch_related("items")
        .order_by("standard__order", "order", "pk")
    )
    parts: dict = {}
    for subsection in subsections:
        items = sorted(subsection.items.all(), key=lambda item: (item.order, item.pk))
        exported = {"heading": subsection.heading}
        for name in ItemList.values:
            listed = [{item.kind: item.text} for item in items if item.list == name]
            if listed:
                exported[name] = listed
        if subsection.part == ReportPart.STANDARD:
            standards = parts.setdefault("standards", {})
            standards.setdefault(subsection.standard.code, []).append(exported)
        else:
            name = next(n for n, p in PARTS.items() if p == subsection.part)
            parts.setdefault(name, []).append(exported)
    if parts:
        report["parts"] = {name: parts[name] for name in PARTS if name in parts}
    if confirmed := export_confirmed(inspection, list(report_texts(inspection).texts())):
        report["confirmed_numbers"] = confirmed
    return report or None
