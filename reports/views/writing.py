"""The lead inspector's pages that write the report's words: an overview of every part, a page
per part (its sub-sections and their items), adding, changing, moving and removing them, the
foreword's signatory, context facts and footnotes. Every write is reports/report_writing.py's;
these pages only read forms, and once the inspection is published they are read-only (a POST is
refused by ensure_editable). Also the report's ISBN and, for a standard rated from its key
questions, the lead's own wording of its rating sentence. Without JavaScript everything works;
with it, an item's text saves as it is typed (static/js/report-autosave.js), through the same
versioned save."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from inspection.access import can_lead, can_write_report, inspection_or_404
from inspection.models import (
    ContextFact,
    Footnote,
    ItemList,
    RatingWording,
    ReportItem,
    ReportPart,
    ReportSigning,
    ReportSubsection,
    Standard,
)
from inspection.published import ensure_editable
from reports import report_writing as writing
from reports.report_forms import (
    FactForm,
    FootnoteForm,
    IsbnForm,
    ItemForm,
    MoveForm,
    RatingWordingForm,
    SigningForm,
    SubsectionForm,
)

from ..citations import figure_warnings
from ..publication import report_for
from ..templatetags.report_tags import standard_id

# The parts other than the standards', in the report's order around them.
BEFORE_STANDARDS = (ReportPart.FOREWORD, ReportPart.BACKGROUND)
AFTER_STANDARDS = (ReportPart.ACKNOWLEDGEMENTS, ReportPart.ANNEXE)
NOUNS = {  # what one item of each list is called on the pages
    ItemList.BODY: "paragraph",
    ItemList.STRENGTHS: "strength",
    ItemList.AREAS: "area for improvement",
}
# "a paragraph", "an area for improvement"
WITH_ARTICLE = {
    name: ("an " if noun[0] in "aeiou" else "a ") + noun for name, noun in NOUNS.items()
}


def _standards(inspection):
    return list(
        Standard.objects.filter(framework=inspection.framework)
        .select_related("domain")
        .order_by("domain__order", "order", "code")
    )


def _part_url(inspection_id: int, part: str, standard=None) -> str:
    if standard is not None:
        return reverse("reports:write_standard", args=[inspection_id, standard.code])
    return reverse("reports:write_part", args=[inspection_id, part])


def _subsection_url(subsection: ReportSubsection) -> str:
    url = _part_url(subsection.inspection_id, subsection.part, subsection.standard)
    return f"{url}#subsection-{subsection.pk}"


def _preview_url(inspection_id: int, part: str, standard=None) -> str:
    anchor = standard_id(standard.code) if standard is not None else part
    return reverse("reports:report", args=[inspection_id]) + f"#{anchor}"


def _title(part: str, standard=None) -> str:
    return f"{standard.code} {standard.name}" if standard is not None else ReportPart(part).label


def _context(request, inspection, **extra) -> dict:
    return {
        "inspection": inspection,
        "editable": can_write_report(request.user, inspection),
        "overview_url": reverse("reports:write", args=[inspection.pk]),
        **extra,
    }


def _saved(request, inspection, message: str, text: str, back: str):
    """A redirect to `back` with the success banner, and a warning for each citation in the text
    with no figure yet (it saves: the figure may still come; publishing refuses it until then).
    With a warning the page opens at its top, where the banners are, not at the item."""
    messages.success(request, message)
    check = reverse("reports:number_check", args=[inspection.pk]) + "#citation-problems"
    warnings = figure_warnings(inspection, text)
    for problem in warnings:
        messages.warning(
            request, f"No figure yet, so publishing will be refused: {problem}", extra_tags=check
        )
    return redirect(back.partition("#")[0] if warnings else back)


def overview(request, inspection_id: int):
    inspection = inspection_or_404(request.user, inspection_id, need=can_lead)
    counts: dict[tuple, list[int]] = {}
    for subsection in ReportSubsection.objects.filter(inspection=inspection).annotate(
        n=Count("items")
    ):
        key = (subsection.part, subsection.standard_id)
        counts.setdefault(key, [0, 0])
        counts[key][0] += 1
        counts[key][1] += subsection.n

    def row(part, standard=None):
        subsections, items = counts.get((part, standard.pk if standard else None), (0, 0))
        return {
            "title": _title(part, standard),
            "url": _part_url(inspection.pk, part, standard),
            "subsections": subsections,
            "items": items,
        }

    groups = [("Before the standards", [row(part) for part in BEFORE_STANDARDS])]
    domains: dict[str, list] = {}
    for standard in _standards(inspection):
        domains.setdefault(standard.domain.name, []).append(row(ReportPart.STANDARD, standard))
    groups += list(domains.items())
    groups.append(("After the standards", [row(part) for part in AFTER_STANDARDS]))
    return render(
        request,
        "reports/write_overview.html",
        _context(
            request,
            inspection,
            groups=groups,
            signing=ReportSigning.objects.filter(inspection=inspection).first(),
            isbn=writing.isbn_of(inspection.pk),
            facts=ContextFact.objects.filter(inspection=inspection).count(),
            footnotes=Footnote.objects.filter(inspection=inspection).count(),
        ),
    )


def _part_page(request, inspection, part: str, standard=None):
    form = SubsectionForm(request.POST or None)
    if request.method == "POST":
        ensure_editable(inspection)
        if form.is_valid():
            try:
                subsection = writing.add_subsection(
                    inspection,
                    part=part,
                    standard=standard,
                    heading=form.cleaned_data["heading"],
                    by=request.user,
                )
            except ValidationError as refused:
                form.add_error("heading", refused)
            else:
                messages.success(request, "Sub-section added")
                return redirect(_subsection_url(subsection))
    subsections = list(
        ReportSubsection.objects.filter(inspection=inspection, part=part, standard=standard)
        .order_by("order", "pk")
        .prefetch_related("items")
    )
    lists = [ItemList.BODY] if standard is None else list(ItemList)
    shown = [
        {
            "subsection": subsection,
            "lists": [
                {
                    "name": name,
                    "label": ItemList(name).label,
                    "noun": NOUNS[name],
                    "a_noun": WITH_ARTICLE[name],
                    "items": sorted(
                        (i for i in subsection.items.all() if i.list == name),
                        key=lambda i: (i.order, i.pk),
                    ),
                }
                for name in lists
            ],
        }
        for subsection in subsections
    ]
    return render(
        request,
        "reports/write_part.html",
        _context(
            request,
            inspection,
            title=_title(part, standard),
            standard=standard,
            subsections=shown,
            form=form,
            preview_url=_preview_url(inspection.pk, part, standard),
            **_rating_sentence(inspection, standard),
        ),
        status=400 if form.errors else 200,
    )


def _rating_sentence(inspection, standard) -> dict:
    """For a standard with a rating sentence: the lead's wording of it, if any, and where to
    word it."""
    if standard is None or not writing.has_rating_sentence(standard):
        return {}
    return {
        "rating_url": reverse("reports:write_rating", args=[inspection.pk, standard.code]),
        "rating_wording": RatingWording.objects.filter(
            inspection=inspection, standard=standard
        ).first(),
    }


def part(request, inspection_id: int, part: str):
    inspection = inspection_or_404(request.user, inspection_id, need=can_lead)
    if part not in (*BEFORE_STANDARDS, *AFTER_STANDARDS):
        raise Http404("No such part of the report")
    return _part_page(request, inspection, part)


def standard(request, inspection_id: int, code: str):
    inspection = inspection_or_404(request.user, inspection_id, need=can_lead)
    found = get_object_or_404(
        Standard.objects.select_related("domain"), framework=inspection.framework, code=code
    )
    return _part_page(request, inspection, ReportPart.STANDARD, found)


def _subsection_or_404(request, inspection_id: int, pk: int):
    inspection = inspection_or_404(request.user, inspection_id, need=can_lead)
    subsection = get_object_or_404(
        ReportSubsection.objects.select_related("standard"), pk=pk, inspection=inspection
    )
    return inspection, subsection


def _item_or_404(request, inspection_id: int, pk: int):
    inspection = inspection_or_404(request.user, inspection_id, need=can_lead)
    item = get_object_or_404(
        ReportItem.objects.select_related("subsection__standard"),
        pk=pk,
        subsection__inspection=inspection,
    )
    return inspection, item


def _form_page(request, inspection, form, *, title, back_url, status=None, **extra):
    return render(
        request,
        "reports/write_form.html",
        _context(request, inspection, form=form, title=title, back_url=back_url, **extra),
        status=status or (400 if form.errors else 200),
    )


def subsection_edit(request, inspection_id: int, pk: int):
    inspection, subsection = _subsection_or_404(request, inspection_id, pk)
    data = request.POST if request.method == "POST" else None
    form = SubsectionForm(
        data,
        initial={"heading": subsection.heading, "version": subsection.version},
        submit="Save heading",
    )
    stale = None
    if request.method == "POST":
        ensure_editable(inspection)
        form.version_missing()
        if form.is_valid():
            try:
                writing.change_subsection(
                    subsection,
                    heading=form.cleaned_data["heading"],
                    version=form.cleaned_data["version"],
                    by=request.user,
                )
            except ValidationError as refused:
                form.add_error("heading", refused)
            except writing.StaleText as refused:
                stale = refused
                form = _restale(
                    SubsectionForm, request.POST, refused, "heading", submit="Save heading"
                )
            else:
                messages.success(request, "Heading saved")
                return redirect(_subsection_url(subsection))
    return _form_page(
        request,
        inspection,
        form,
        title=f"Change the heading: {writing.where(subsection)}",
        back_url=_subsection_url(subsection),
        stale=stale,
    )


def _restale(form_class, posted, stale: "writing.StaleText", field: str, **kwargs):
    """The person's text again, now at the stored version (so saving again keeps theirs), with
    the refusal; the page shows what is stored beside it."""
    data = posted.copy()
    data["version"] = stale.version
    form = form_class(data, **kwargs)
    form.is_valid()
    form.add_error(field, str(stale))
    return form


def subsection_remove(request, inspection_id: int, pk: int):
    inspection, subsection = _subsection_or_404(request, inspection_id, pk)
    back = _part_url(inspection.pk, subsection.part, subsection.standard)
    if request.method == "POST":
        ensure_editable(inspection)
        writing.remove_subsection(subsection, by=request.user)
        messages.success(request, "Sub-section removed")
        return redirect(back)
    items = subsection.items.count()
    return render(
        request,
        "reports/write_remove.html",
        _context(
            request,
            inspection,
            question=f"Are you sure you want to remove the sub-section "
            f"{subsection.heading or '(no heading)'}?",
            detail=f"It has {items} item{'s' if items != 1 else ''}, removed with it.",
            text="",
            button="Yes, remove the sub-section",
            back_url=_subsection_url(subsection),
        ),
    )


def item_add(request, inspection_id: int, pk: int, list: str):
    inspection, subsection = _subsection_or_404(request, inspection_id, pk)
    if list not in ItemList.values or (subsection.standard_id is None and list != ItemList.BODY):
        raise Http404("No such list")
    noun = NOUNS[list]
    form = ItemForm(request.POST or None, what=noun.capitalize(), submit=f"Add {noun}")
    if request.method == "POST":
        ensure_editable(inspection)
        if form.is_valid():
            try:
                item = writing.add_item(
                    subsection,
                    list=list,
                    kind=form.cleaned_data["kind"],
                    text=form.cleaned_data["text"],
                    by=request.user,
                )
            except ValidationError as refused:
                form.add_error("text", refused)
            else:
                return _saved(
                    request,
                    inspection,
                    f"{noun.capitalize()} added",
                    item.text,
                    _part_url(inspection.pk, subsection.part, subsection.standard)
                    + f"#item-{item.pk}",
                )
    return _form_page(
        request,
        inspection,
        form,
        title=f"Add {WITH_ARTICLE[list]}: {writing.where(subsection)}",
        back_url=_subsection_url(subsection),
    )


def item_edit(request, inspection_id: int, pk: int):
    """Also the autosave's address: a POST sent by the script (X-Requested-With: fetch) gets
    JSON back, 409 when the sub-section changed since the page was made."""
    inspection, item = _item_or_404(request, inspection_id, pk)
    subsection = item.subsection
    noun = NOUNS[item.list]
    autosave = request.headers.get("X-Requested-With") == "fetch"
    form = ItemForm(
        request.POST or None,
        initial={"kind": item.kind, "text": item.text, "version": subsection.version},
        what=noun.capitalize(),
        submit=f"Save {noun}",
    )
    stale = None
    back = _part_url(inspection.pk, subsection.part, subsection.standard) + f"#item-{item.pk}"
    if request.method == "POST":
        ensure_editable(inspection)
        form.version_missing()
        if form.is_valid():
            try:
                saved = writing.change_item(
                    item,
                    text=form.cleaned_data["text"],
                    kind=form.cleaned_data["kind"],
                    version=form.cleaned_data["version"],
                    by=request.user,
                )
            except ValidationError as refused:
                form.add_error("text", refused)
            except writing.StaleText as refused:
                stale = refused
                if autosave:
                    return JsonResponse({"stale": True, "message": str(refused)}, status=409)
                form = _restale(
                    ItemForm,
                    request.POST,
                    refused,
                    "text",
                    what=noun.capitalize(),
                    submit=f"Save {noun}",
                )
            else:
                if autosave:
                    version = saved.subsection.version
                    saved_at = timezone.localtime().strftime("%H:%M:%S")
                    return JsonResponse({"version": version, "saved_at": saved_at})
                return _saved(request, inspection, f"{noun.capitalize()} saved", saved.text, back)
        if autosave and stale is None:
            errors = [str(e) for errors in form.errors.values() for e in errors]
            return JsonResponse({"errors": errors}, status=400)
    return _form_page(
        request,
        inspection,
        form,
        title=f"Change the {noun}: {writing.where(subsection)}",
        back_url=back,
        stale=stale,
        autosave_url=request.path,
        item=item,
        status=409 if stale else None,
    )


@require_POST
def item_move(request, inspection_id: int, pk: int):
    inspection, item = _item_or_404(request, inspection_id, pk)
    ensure_editable(inspection)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose Move up or Move down")
    else:
        writing.move_item(item, up=form.cleaned_data["direction"] == "up", by=request.user)
    subsection = item.subsection
    return redirect(
        _part_url(inspection.pk, subsection.part, subsection.standard) + f"#item-{item.pk}"
    )


def item_remove(request, inspection_id: int, pk: int):
    inspection, item = _item_or_404(request, inspection_id, pk)
    subsection = item.subsection
    noun = NOUNS[item.list]
    back = _part_url(inspection.pk, subsection.part, subsection.standard)
    if request.method == "POST":
        ensure_editable(inspection)
        writing.remove_item(item, by=request.user)
        messages.success(request, f"{noun.capitalize()} removed")
        return redirect(f"{back}#subsection-{subsection.pk}")
    return render(
        request,
        "reports/write_remove.html",
        _context(
            request,
            inspection,
            question=f"Are you sure you want to remove this {noun}?",
            detail=f"From {writing.where(subsection)}:",
            text=item.text,
            button=f"Yes, remove the {noun}",
            back_url=f"{back}#item-{item.pk}",
        ),
    )


def signing(request, inspection_id: int):
    inspection = inspection_or_404(request.user, inspection_id, need=can_lead)
    stored = ReportSigning.objects.filter(inspection=inspection).first()
    initial = (
        {"signatory": stored.signatory, "signatory_title": stored.signatory_title}
        if (stored)
        else {}
    )
    form = SigningForm(request.POST or None, initial=initial)
    back = reverse("reports:write", args=[inspection.pk])
    if request.method == "POST":
        ensure_editable(inspection)
        if form.is_valid():
            writing.set_signing(inspection, by=request.user, **form.cleaned_data)
            messages.success(request, "Signatory saved")
            return redirect(back)
    return _form_page(request, inspection, form, title="The foreword's signatory", back_url=back)


def isbn(request, inspection_id: int):
    inspection = inspection_or_404(request.user, inspection_id, need=can_lead)
    stored = writing.isbn_of(inspection.pk)
    form = IsbnForm(request.POST or None, initial={"isbn": stored})
    back = reverse("reports:write", args=[inspection.pk])
    if request.method == "POST":
        ensure_editable(inspection)
        if form.is_valid():
            writing.set_isbn(inspection, isbn=form.cleaned_data["isbn"], by=request.user)
            messages.success(request, "ISBN saved")
            return redirect(back)
    return _form_page(
        request, inspection, form, title="The report's ISBN", back_url=back, stored_text=stored
    )


def rating_wording(request, inspection_id: int, code: str):
    """The lead's wording of a standard's rating sentence, beside the one made from the
    results (which is printed while there is none)."""
    inspection = inspection_or_404(request.user, inspection_id, need=can_lead)
    standard = get_object_or_404(
        Standard.objects.select_related("domain"), framework=inspection.framework, code=code
    )
    if not writing.has_rating_sentence(standard):
        raise Http404("This standard has no rating sentence")
    stored = RatingWording.objects.filter(inspection=inspection, standard=standard).first()
    form = RatingWordingForm(
        request.POST or None, initial={"text": stored.text if stored else ""}, code=code
    )
    back = _part_url(inspection.pk, ReportPart.STANDARD, standard) + "#rating-sentence"
    if request.method == "POST":
        ensure_editable(inspection)
        if form.is_valid():
            try:
                writing.set_rating_wording(
                    inspection, standard, text=form.cleaned_data["text"], by=request.user
                )
            except ValidationError as refused:
                form.add_error("text", refused)
            else:
                return _saved(
                    request, inspection, "Rating sentence saved", form.cleaned_data["text"], back
                )
    section = next(
        (s for s in report_for(inspection).case_supervision if s.standard.code == code), None
    )
    return _form_page(
        request,
        inspection,
        form,
        title=f"The rating sentence: {standard.code} {standard.name}",
        back_url=back,
        generated=section.rating_sentence if section else "",
        stored_text=stored.text if stored else "",
    )


# Context facts and footnotes: a list with an add form, a page to change one, and removal.

KEYED = {
    "facts": (ContextFact, FactForm, "fact", "Context facts"),
    "footnotes": (Footnote, FootnoteForm, "footnote", "Footnotes"),
}


def _keyed_save(kind: str, inspection, data: dict, by):
    if kind == "facts":
        return writing.set_fact(inspection, by=by, **data)
    return writing.set_footnote(inspection, by=by, **data)


def _keyed_text(kind: str, data: dict) -> str:
    """The text of a fact or footnote that may cite: its source, or the footnote."""
    return data.get("source", "") if kind == "facts" else data["text"]


def keyed_list(request, inspection_id: int, kind: str):
    inspection = inspection_or_404(request.user, inspection_id, need=can_lead)
    model, form_class, noun, title = KEYED[kind]
    form = form_class(request.POST or None)
    if request.method == "POST":
        ensure_editable(inspection)
        if form.is_valid():
            if model.objects.filter(inspection=inspection, key=form.cleaned_data["key"]).exists():
                form.add_error("key", f"There is already a {noun} with this key: change that one")
            else:
                try:
                    _keyed_save(kind, inspection, form.cleaned_data, request.user)
                except ValidationError as refused:
                    form.add_error(None, refused)
                else:
                    text = _keyed_text(kind, form.cleaned_data)
                    list_url = reverse(f"reports:write_{kind}", args=[inspection.pk])
                    return _saved(request, inspection, f"{noun.capitalize()} added", text, list_url)
    return render(
        request,
        "reports/write_keyed.html",
        _context(
            request,
            inspection,
            kind=kind,
            noun=noun,
            title=title,
            rows=model.objects.filter(inspection=inspection),
            form=form,
        ),
        status=400 if form.errors else 200,
    )


def keyed_edit(request, inspection_id: int, kind: str, key: str):
    inspection = inspection_or_404(request.user, inspection_id, need=can_lead)
    model, form_class, noun, _ = KEYED[kind]
    stored = get_object_or_404(model, inspection=inspection, key=key)
    fields = list(form_class.base_fields)
    form = form_class(
        request.POST or None,
        initial={name: getattr(stored, name) for name in fields},
        fixed_key=True,
    )
    back = reverse(f"reports:write_{kind}", args=[inspection.pk])
    if request.method == "POST":
        ensure_editable(inspection)
        if form.is_valid():
            try:
                _keyed_save(kind, inspection, form.cleaned_data, request.user)
            except ValidationError as refused:
                form.add_error(None, refused)
            else:
                text = _keyed_text(kind, form.cleaned_data)
                return _saved(request, inspection, f"{noun.capitalize()} saved", text, back)
    return _form_page(
        request, inspection, form, title=f"Change the {noun} {stored.key}", back_url=back
    )


def keyed_remove(request, inspection_id: int, kind: str, key: str):
    inspection = inspection_or_404(request.user, inspection_id, need=can_lead)
    model, _, noun, _ = KEYED[kind]
    stored = get_object_or_404(model, inspection=inspection, key=key)
    back = reverse(f"reports:write_{kind}", args=[inspection.pk])
    if request.method == "POST":
        ensure_editable(inspection)
        if kind == "facts":
            writing.remove_fact(inspection, key=key, by=request.user)
        else:
            writing.remove_footnote(inspection, key=key, by=request.user)
        messages.success(request, f"{noun.capitalize()} removed")
        return redirect(back)
    return render(
        request,
        "reports/write_remove.html",
        _context(
            request,
            inspection,
            question=f"Are you sure you want to remove the {noun} {key}?",
            detail=f"Text that cites it ({{{'fact' if kind == 'facts' else 'note'}:{key}}}) "
            "must be changed too.",
            text=str(stored),
            button=f"Yes, remove the {noun}",
            back_url=back,
        ),
    )
