"""Writing the report's words: sub-sections and their items, the foreword's signatory, context
facts and footnotes, the ISBN and the lead's wordings of rating sentences (docs/report-text.md).
Pages, admin and imports all write through here.

Each service checks its input first (ValidationError naming what is wrong; nothing written),
then in one transaction locks the inspection (`lock_for_edit`: refused once published), writes
and records one audit entry. A sub-section's `version` goes up with every change to it or its
items, so an autosave sent from a stale page is refused (StaleText) rather than applied.

Every text is checked for citations the inspection cannot render (reports/citations.py) and for
a case of the inspection it names (cases/practice_examples.py), both called here directly.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max

from cases.practice_examples import case_reference_problems_of_texts
from inspection import audit
from inspection import input_rules as rules
from inspection.choices import AuditKind
from inspection.framework.spec import load_framework_spec
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
    Standard,
)
from inspection.models.report_text import KEY_MAX
from inspection.published import lock_for_edit

from . import citations

HEADING_MAX = 200  # the columns' lengths (ReportSubsection.heading, ContextFact.label, ...)
LABEL_MAX = 200
VALUE_MAX = 100
SIGNATORY_MAX = 200


class StaleText(Exception):
    """The page was made from an older version of the sub-section: nothing was saved. Carries
    what is stored now, so the page can show both texts."""

    def __init__(self, subsection: ReportSubsection, stored_text: str = ""):
        self.subsection, self.stored_text, self.version = (
            subsection,
            stored_text,
            subsection.version,
        )
        super().__init__(
            "This text was changed by someone else (or in another tab) since you opened it: "
            "nothing was saved. Both versions are shown: choose what to keep."
        )


def _text(inspection: Inspection, text: str, *, what: str, required: bool = True) -> str:
    """The text as stored, or ValidationError naming every problem (none written)."""
    if not isinstance(text, str):
        raise ValidationError(f"{what[:1].upper()}{what[1:]} is not text")
    text = rules.clean_text(text, what=what, max_length=rules.REPORT_TEXT_MAX).strip()
    if required and not text:
        raise ValidationError(f"Enter {what}", code="required")
    problems = text_problems(inspection, text)
    if problems:
        raise ValidationError(problems, code="citation")
    return text


def text_problems(inspection: Inspection, text: str) -> list[str]:
    """What is wrong with a text of this inspection (citations it cannot render, a case it
    names): the pages, the services and the bundle import all ask here."""
    return problems_of_texts(inspection, [text])[0]


def problems_of_texts(inspection: Inspection, texts: list[str]) -> list[list[str]]:
    """text_problems of each text, with what they may cite and the cases read once."""
    cited = citations.problems_of_texts(inspection, texts)
    named = case_reference_problems_of_texts(inspection, texts)
    return [[*c, *n] for c, n in zip(cited, named, strict=True)]


def _line(value: str, *, what: str, max_length: int, required: bool = True) -> str:
    value = rules.clean_text(value, what=what, max_length=max_length, multiline=False).strip()
    if required and not value:
        raise ValidationError(f"Enter {what}", code="required")
    return value


def _key(key: str, *, what: str) -> str:
    key = _line(key, what=what, max_length=KEY_MAX)
    if not all(c.isascii() and (c.isalnum() or c in "-_") for c in key):
        raise ValidationError(
            f"{what[:1].upper()}{what[1:]} may hold only letters, digits, hyphens and "
            f"underscores (it is cited as {{...:{key}}})",
            code="invalid",
        )
    return key


def where(subsection: ReportSubsection) -> str:
    """How the audit trail and the pages name a sub-section: "1.3 Resettlement work"."""
    place = (
        subsection.standard.code if subsection.standard_id else ReportPart(subsection.part).label
    )
    return f"{place} {subsection.heading}".strip() if subsection.heading else place


def _item_subject(item: ReportItem, subsection: ReportSubsection) -> str:
    return f"{where(subsection)}: {ItemList(item.list).label.lower()} {item.order}"


def _reads(item: ReportItem) -> str:
    return f"(quote) {item.text}" if item.kind == ItemKind.QUOTE else item.text


def _bump(subsection_id: int) -> None:
    ReportSubsection.objects.filter(pk=subsection_id).update(version=F("version") + 1)


def _locked_subsection(subsection_id: int) -> ReportSubsection:
    return (
        ReportSubsection.objects.select_related("standard")
        .select_for_update(of=("self",))
        .get(pk=subsection_id)
    )


def _record(inspection_id: int, *, by, subject: str, old: str = "", new: str = "") -> None:
    audit.record(inspection_id, AuditKind.REPORT_TEXT, by=by, subject=subject, old=old, new=new)


def _subsection_reads(subsection: ReportSubsection) -> str:
    lines = [f"Heading: {subsection.heading}" if subsection.heading else "(no heading)"]
    for item in subsection.items.order_by("list", "order", "pk"):
        lines.append(f"{ItemList(item.list).label}: {_reads(item)}")
    return "\n".join(lines)


# Sub-sections


def add_subsection(
    inspection: Inspection,
    *,
    part: str,
    standard: Standard | None = None,
    heading: str = "",
    by,
) -> ReportSubsection:
    """A new sub-section at the end of its part (of `standard`'s, for the part "standard")."""
    if part not in ReportPart.values:
        raise ValidationError(f"There is no part of the report called {part!r}")
    if (part == ReportPart.STANDARD) != (standard is not None):
        raise ValidationError("A sub-section names a standard exactly when it is in a standard")
    if standard is not None and standard.framework_id != inspection.framework_id:
        raise ValidationError(f"Standard {standard.code} is not in this inspection's framework")
    heading = _line(heading, what="the heading", max_length=HEADING_MAX, required=False)
    with transaction.atomic():
        lock_for_edit(inspection.pk)
        siblings = ReportSubsection.objects.filter(
            inspection=inspection, part=part, standard=standard
        )
        last = siblings.aggregate(last=Max("order"))["last"]
        subsection = ReportSubsection.objects.create(
            inspection=inspection,
            part=part,
            standard=standard,
            heading=heading,
            order=0 if last is None else last + 1,
        )
        _record(inspection.pk, by=by, subject=f"{where(subsection)}: sub-section", new=heading)
    return subsection


def change_subsection(subsection: ReportSubsection, *, heading: str, version: int, by):
    heading = _line(heading, what="the heading", max_length=HEADING_MAX, required=False)
    with transaction.atomic():
        lock_for_edit(subsection.inspection_id)
        stored = _locked_subsection(subsection.pk)
        if stored.version != version:
            raise StaleText(stored, stored.heading)
        if stored.heading != heading:
            before = where(stored)
            old = stored.heading
            stored.heading = heading
            stored.version += 1
            stored.save(update_fields=["heading", "version"])
            _record(stored.inspection_id, by=by, subject=f"{before}: heading", old=old, new=heading)
    return stored


def remove_subsection(subsection: ReportSubsection, *, by) -> None:
    """The sub-section and all its items."""
    with transaction.atomic():
        lock_for_edit(subsection.inspection_id)
        stored = _locked_subsection(subsection.pk)
        old = _subsection_reads(stored)
        stored.delete()
        _record(stored.inspection_id, by=by, subject=f"{where(stored)}: sub-section", old=old)


# Items


def add_item(subsection: ReportSubsection, *, list: str, kind: str, text: str, by) -> ReportItem:
    """Appended at the end of its list."""
    if list not in ItemList.values:
        raise ValidationError(f"There is no list called {list!r}: choose body, strengths or areas")
    if kind not in ItemKind.values:
        raise ValidationError(f"There is no kind of item called {kind!r}: choose text or quote")
    what = "the quote" if kind == ItemKind.QUOTE else f"the {_item_noun(list)}"
    text = _text(subsection.inspection, text, what=what)
    with transaction.atomic():
        lock_for_edit(subsection.inspection_id)
        stored = _locked_subsection(subsection.pk)
        last = stored.items.filter(list=list).aggregate(last=Max("order"))["last"]
        item = ReportItem.objects.create(
            subsection=stored, list=list, kind=kind, text=text, order=(last or 0) + 1
        )
        _bump(stored.pk)
        _record(stored.inspection_id, by=by, subject=_item_subject(item, stored), new=_reads(item))
    return item


def _item_noun(list: str) -> str:
    return {
        ItemList.BODY: "paragraph",
        ItemList.STRENGTHS: "strength",
        ItemList.AREAS: "area for improvement",
    }[list]


def _locked_item(item: ReportItem) -> tuple[ReportItem, ReportSubsection]:
    lock_for_edit(item.subsection.inspection_id)
    subsection = _locked_subsection(item.subsection_id)
    return ReportItem.objects.select_for_update().get(pk=item.pk), subsection


def change_item(item: ReportItem, *, text: str, kind: str, version: int, by) -> ReportItem:
    """`version`: the sub-section's, as the page had it; a stale one is refused (StaleText)."""
    if kind not in ItemKind.values:
        raise ValidationError(f"There is no kind of item called {kind!r}: choose text or quote")
    what = "the quote" if kind == ItemKind.QUOTE else f"the {_item_noun(item.list)}"
    text = _text(item.subsection.inspection, text, what=what)
    with transaction.atomic():
        stored, subsection = _locked_item(item)
        if subsection.version != version:
            raise StaleText(subsection, stored.text)
        before = _reads(stored)
        stored.text, stored.kind = text, kind
        if _reads(stored) != before:
            stored.save(update_fields=["text", "kind"])
            _bump(subsection.pk)
            subsection.version += 1
            _record(
                subsection.inspection_id,
                by=by,
                subject=_item_subject(stored, subsection),
                old=before,
                new=_reads(stored),
            )
    # The version this save left (read under the lock), for the page's next autosave: one read
    # after the transaction could already be a colleague's, which the page would then overwrite.
    stored.subsection = subsection
    return stored


def move_item(item: ReportItem, *, up: bool, by) -> None:
    """Swap with the item before (up) or after it in its list; at the end of the list, nothing."""
    with transaction.atomic():
        stored, subsection = _locked_item(item)
        siblings = list(subsection.items.filter(list=stored.list).order_by("order", "pk"))
        index = next(i for i, sibling in enumerate(siblings) if sibling.pk == stored.pk)
        other = index - 1 if up else index + 1
        if not 0 <= other < len(siblings):
            return
        siblings[index], siblings[other] = siblings[other], siblings[index]
        for order, sibling in enumerate(siblings, start=1):
            if sibling.order != order:
                sibling.order = order
                sibling.save(update_fields=["order"])
        _bump(subsection.pk)
        moved = siblings[other]
        _record(
            subsection.inspection_id,
            by=by,
            subject=_item_subject(moved, subsection),
            old=f"{ItemList(moved.list).label} {index + 1}: {_reads(moved)}",
            new=f"{ItemList(moved.list).label} {other + 1}: {_reads(moved)}",
        )


def remove_item(item: ReportItem, *, by) -> None:
    """The items after it move up one."""
    with transaction.atomic():
        stored, subsection = _locked_item(item)
        subject = _item_subject(stored, subsection)
        stored.delete()
        for order, sibling in enumerate(
            subsection.items.filter(list=stored.list).order_by("order", "pk"), start=1
        ):
            if sibling.order != order:
                sibling.order = order
                sibling.save(update_fields=["order"])
        _bump(subsection.pk)
        _record(subsection.inspection_id, by=by, subject=subject, old=_reads(stored))


# The foreword's signatory, context facts and footnotes


def set_signing(inspection: Inspection, *, signatory: str, signatory_title: str, by) -> None:
    signatory = _line(signatory, what="the signatory", max_length=SIGNATORY_MAX, required=False)
    signatory_title = _line(
        signatory_title, what="the signatory's title", max_length=SIGNATORY_MAX, required=False
    )
    with transaction.atomic():
        lock_for_edit(inspection.pk)
        stored = ReportSigning.objects.select_for_update().filter(inspection=inspection).first()
        before = f"{stored.signatory}, {stored.signatory_title}" if stored else ""
        after = f"{signatory}, {signatory_title}" if signatory or signatory_title else ""
        if before == after or (stored is None and not after):
            return
        ReportSigning.objects.update_or_create(
            inspection=inspection,
            defaults={"signatory": signatory, "signatory_title": signatory_title},
        )
        _record(inspection.pk, by=by, subject="Foreword: signatory", old=before, new=after)


# The ISBN and the rating sentences' wordings


def clean_isbn(isbn: str) -> str:
    """The ISBN as stored ("" for none), or ValidationError naming what is wrong with it."""
    isbn = normalised(_line(isbn, what="the ISBN", max_length=TYPED_MAX, required=False))
    problems = isbn_problems(isbn) if isbn else []
    if problems:
        raise ValidationError(problems, code="invalid")
    return isbn


def set_isbn(inspection: Inspection, *, isbn: str, by) -> None:
    """Give the report its ISBN, change it, or (empty) take it away."""
    isbn = clean_isbn(isbn)
    with transaction.atomic():
        lock_for_edit(inspection.pk)
        stored = ReportImprint.objects.select_for_update().filter(inspection=inspection).first()
        before = stored.isbn if stored else ""
        if before == isbn:
            return
        ReportImprint.objects.update_or_create(inspection=inspection, defaults={"isbn": isbn})
        _record(inspection.pk, by=by, subject="ISBN", old=before, new=isbn)


def isbn_of(inspection_id: int) -> str:
    """The report's ISBN, "" while it has none (publishing needs one: the publish page asks)."""
    return (
        ReportImprint.objects.filter(inspection_id=inspection_id)
        .values_list("isbn", flat=True)
        .first()
        or ""
    )


def has_rating_sentence(standard: Standard) -> bool:
    """StandardSpec.has_rating_sentence, for a standard's row (one query, the framework's spec
    from its cache)."""
    spec = load_framework_spec(standard.framework_id)
    return spec.standard(standard.code).has_rating_sentence


def set_rating_wording(inspection: Inspection, standard: Standard, *, text: str, by) -> None:
    """The lead's wording of the standard's rating sentence; empty text goes back to the
    sentence made from the results."""
    if standard.framework_id != inspection.framework_id:
        raise ValidationError(f"Standard {standard.code} is not in this inspection's framework")
    if not has_rating_sentence(standard):
        raise ValidationError(
            f"{standard.code} {standard.name} has no rating sentence to word: only a standard "
            "rated from its key questions has one"
        )
    text = _text(inspection, text, what="the rating sentence", required=False)
    with transaction.atomic():
        lock_for_edit(inspection.pk)
        stored = (
            RatingWording.objects.select_for_update()
            .filter(inspection=inspection, standard=standard)
            .first()
        )
        before = stored.text if stored else ""
        if before == text:
            return
        if text:
            RatingWording.objects.update_or_create(
                inspection=inspection, standard=standard, defaults={"text": text}
            )
        else:
            stored.delete()
        _record(
            inspection.pk, by=by, subject=f"{standard.code}: rating sentence", old=before, new=text
        )


def _fact_reads(fact: ContextFact) -> str:
    return f"{fact.label}: {fact.value}" + (f" ({fact.source})" if fact.source else "")


def set_fact(
    inspection: Inspection, *, key: str, label: str, value: str, source: str = "", by
) -> ContextFact:
    """Add the fact, or change the one with this key (added at the end)."""
    key = _key(key, what="the fact's key")
    label = _line(label, what="the fact's label", max_length=LABEL_MAX)
    value = _line(value, what="the fact's value", max_length=VALUE_MAX)
    source = _text(inspection, source, what="the fact's source", required=False)
    with transaction.atomic():
        lock_for_edit(inspection.pk)
        stored = ContextFact.objects.select_for_update().filter(inspection=inspection, key=key)
        fact = stored.first()
        before = _fact_reads(fact) if fact else ""
        if fact is None:
            last = ContextFact.objects.filter(inspection=inspection).aggregate(last=Max("order"))
            fact = ContextFact(inspection=inspection, key=key, order=(last["last"] or 0) + 1)
        fact.label, fact.value, fact.source = label, value, source
        if _fact_reads(fact) != before:
            fact.save()
            _record(inspection.pk, by=by, subject=f"Fact {key}", old=before, new=_fact_reads(fact))
    return fact


def remove_fact(inspection: Inspection, *, key: str, by) -> None:
    with transaction.atomic():
        lock_for_edit(inspection.pk)
        fact = ContextFact.objects.select_for_update().get(inspection=inspection, key=key)
        fact.delete()
        _record(inspection.pk, by=by, subject=f"Fact {key}", old=_fact_reads(fact))


def set_footnote(inspection: Inspection, *, key: str, text: str, by) -> Footnote:
    key = _key(key, what="the footnote's key")
    text = _text(inspection, text, what="the footnote")
    with transaction.atomic():
        lock_for_edit(inspection.pk)
        note = Footnote.objects.select_for_update().filter(inspection=inspection, key=key).first()
        before = note.text if note else ""
        if note is None:
            note = Footnote(inspection=inspection, key=key)
        note.text = text
        if text != before:
            note.save()
            _record(inspection.pk, by=by, subject=f"Footnote {key}", old=before, new=text)
    return note


def remove_footnote(inspection: Inspection, *, key: str, by) -> None:
    with transaction.atomic():
        lock_for_edit(inspection.pk)
        note = Footnote.objects.select_for_update().get(inspection=inspection, key=key)
        note.delete()
        _record(inspection.pk, by=by, subject=f"Footnote {key}", old=note.text)


# Reading


def domain1_lists(inspection_id: int) -> dict[str, dict[str, tuple[str, ...]]]:
    """{standard code: {"strengths": (...), "areas_for_improvement": (...)}}: the bullets of each
    standard's first unheaded sub-section, where domain-1 strengths and areas were kept before
    they became report items (the report's full rendering of sub-sections is reports/prose.py's).
    """
    firsts: dict[int, ReportSubsection] = {}
    for subsection in ReportSubsection.objects.filter(
        inspection_id=inspection_id, part=ReportPart.STANDARD, heading=""
    ).order_by("standard_id", "order", "pk"):
        firsts.setdefault(subsection.standard_id, subsection)
    lists: dict[str, dict[str, list[str]]] = {}
    items = ReportItem.objects.filter(
        subsection__in=list(firsts.values()), kind=ItemKind.TEXT
    ).select_related("subsection__standard")
    names = {ItemList.STRENGTHS: "strengths", ItemList.AREAS: "areas_for_improvement"}
    for item in items.order_by("subsection_id", "list", "order", "pk"):
        if item.list in names:
            code = item.subsection.standard.code
            lists.setdefault(code, {"strengths": [], "areas_for_improvement": []})
            lists[code][names[item.list]].append(item.text)
    return {code: {k: tuple(v) for k, v in both.items()} for code, both in lists.items()}
