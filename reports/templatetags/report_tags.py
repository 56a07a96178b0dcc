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
def runs(value) -> str:
    """A written passage's runs (reports/prose.py) as HTML: emphasis, links (only http(s), as
    prose made them) and footnote marks linking to their footnote; the first citation of a
    footnote is where the footnote links back to."""
    parts = []
    for run in value:
        if run.footnote is not None:
            back = format_html(' id="footnote-ref-{}"', run.footnote) if run.first else ""
            # A superscript number as text (as the published report prints it), named in full.
            parts.append(
                format_html(
                    '<a class="govuk-link app-footnote-mark" href="#footnote-{}"{} '
                    'aria-label="Footnote {}">{}</a>',
                    run.footnote,
                    back,
                    run.footnote,
                    str(run.footnote).translate(SUPERSCRIPT),
                )
            )
            continue
        text = format_html("<em>{}</em>", run.text) if run.emphasis else escape(run.text)
        if run.href:
            text = format_html('<a class="govuk-link" href="{}">{}</a>', run.href, text)
        parts.append(text)
    return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above


@register.filter
def standard_text(text, code: str):
    """The written report's text for one standard (a StandardText, or None)."""
    return text.standard(code)


@register.filter
def footnote_mark(number: int) -> str:
    """A generated footnote's mark (its first and only citation)."""
    return runs((Run(footnote=number, first=True),))
