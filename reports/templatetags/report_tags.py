"""Small display helpers for the report and dashboard pages."""

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from inspection.framework.rating_engine import Count
from reports.prose import Run
from reports.statistics import wilson_interval

register = template.Library()

SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


@register.filter
def code_id(code: str) -> str:
    """'2.2.3.d' -> 'q-2-2-3-d', usable as an HTML id and URL fragment."""
    return "q-" + code.replace(".", "-").lower()


@register.filter
def standard_id(code: str) -> str:
    """'2.2' -> 'standard-2-2'."""
    return "standard-" + code.replace(".", "-").lower()


@register.filter
def percent_text(count: Count | None) -> str:
    if count is None or not count.relevant:
        return "No relevant cases"
    return f"{count.percent}%"


@register.filter
def interval_text(count: Count | None) -> str:
    interval = wilson_interval(count.yes, count.relevant) if count else None
    return str(interval) if interval else "Not available"


@register.filter
def runs(value, notes=None) -> str:
    """A written passage's runs (reports/prose.py) as HTML: emphasis, links (only http(s), as
    prose made them) and footnote marks linking to their footnote; the first citation of a
    footnote is where the footnote links back to.

    `notes` (the report's footnotes, in the PDF only): the first citation of a footnote holds its
    text, which the print CSS moves to the foot of the page, as the report is printed."""
    by_number = {note.number: note for note in notes} if notes else {}
    parts = []
    for run in value:
        if run.footnote is not None:
            parts.append(_footnote(run, by_number.get(run.footnote) if run.first else None))
            continue
        text = format_html("<em>{}</em>", run.text) if run.emphasis else escape(run.text)
        if run.href:
            text = format_html('<a class="govuk-link" href="{}">{}</a>', run.href, text)
        parts.append(text)
    return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above


def _footnote(run: Run, note=None) -> str:
    mark = str(run.footnote).translate(SUPERSCRIPT)
    if note is not None:
        # The footnote itself, at its first citation: its mark is printed where it stands and
        # again before its text at the foot of the page (pdf.css, `float: footnote`). A
        # footnote's own citations of others are plain marks.
        return format_html(
            '<span class="app-footnote" id="footnote-{}" data-mark="{}">{}</span>',
            run.footnote,
            mark,
            runs(note.runs),
        )
    back = format_html(' id="footnote-ref-{}"', run.footnote) if run.first else ""
    # A superscript number as text (as the published report prints it), named in full.
    return format_html(
        '<a class="govuk-link app-footnote-mark" href="#footnote-{}"{} '
        'aria-label="Footnote {}">{}</a>',
        run.footnote,
        back,
        run.footnote,
        mark,
    )


@register.filter
def cited_only_in_footnotes(notes) -> list:
    """The footnotes first cited in another footnote's text: in the PDF, where footnotes are
    printed at the foot of the page citing them, these have no such page."""
    nested = {run.footnote for note in notes for run in note.runs if run.first}
    return [note for note in notes if note.number in nested]


@register.filter
def standard_text(text, code: str):
    """The written report's text for one standard (a StandardText, or None)."""
    return text.standard(code)


@register.filter
def footnote_mark(number: int, notes=None) -> str:
    """A generated footnote's mark (its first and only citation); `notes` as for `runs`."""
    return runs((Run(footnote=number, first=True),), notes)
