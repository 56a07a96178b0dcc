"""The reference inspection's report page and PDF hold the published report's sentences.

Every sentence of five words or more of the published report from "Foreword" to the end of
"Annexe one – Web links" (../shared/reference/ from the repository), normalised (case, quotes,
dashes, footnote marks, markdown emphasis and links, whitespace), is looked for in the page's
text and in the PDF's, normalised the same way. Each must hold every one of them (the rating
sentences of 2.2, 2.4 and 2.5 are the lead's wordings, citing their figures, as published).
"""

import io
import re
from pathlib import Path

import pytest
from django.urls import reverse
from pypdf import PdfReader

from inspection.choices import InspectionStatus
from reports.publishing import move
from tests.page_text import page_text

REFERENCE = (
    Path(__file__).resolve().parent.parent.parent
    / "shared/reference/blackburn-with-darwen-pdu-2023.txt"
)
THRESHOLD = 1.0
MIN_WORDS = 5

FOOTNOTE_MARKS = re.compile(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]+")
MARKDOWN_LINK = re.compile(r"\[((?:[^\]\\]|\\.)+)\]\([^)\s]*\)")
QUOTES = str.maketrans({"‘": "'", "’": "'", "‛": "'", "′": "'", "“": '"', "”": '"', "„": '"'})
DASHES = re.compile(r"[‐‑‒–—―−]")
SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[\"'(]?[A-Z0-9])")
LIST_MARK = re.compile(r"^\s*(?:[-*•]|\d+\.)\s+")


def _plain(text: str) -> str:
    text = MARKDOWN_LINK.sub(r"\1", text)
    text = text.replace("\\(", "(").replace("\\)", ")").replace("*", "")
    text = FOOTNOTE_MARKS.sub("", text)
    return " ".join(DASHES.sub("-", text.translate(QUOTES)).split())


def normalise(text: str) -> str:
    return _plain(text).lower()


def reference_sentences() -> list[str]:
    lines = REFERENCE.read_text(encoding="utf-8").splitlines()
    start = lines.index("Foreword")  # the heading, not the contents' "Foreword<TAB>3"
    sentences = []
    for line in lines[start:]:
        for cell in LIST_MARK.sub("", line).split("\t"):
            for sentence in SENTENCE_BREAK.split(_plain(cell)):
                if len(sentence.split()) >= MIN_WORDS:
                    sentences.append(sentence.lower())
    return sentences


def found(sentences: list[str], text: str) -> list[str]:
    haystack = normalise(text)
    return [s for s in sentences if s in haystack]


def share(label: str, sentences: list[str], text: str) -> float:
    hits = found(sentences, text)
    missing = [s for s in sentences if s not in hits]
    print(
        f"\n{label}: {len(hits)}/{len(sentences)} sentences "
        f"({100 * len(hits) / len(sentences):.1f}%)"
    )
    for sentence in missing:
        print(f"  missing: {sentence}")
    return len(hits) / len(sentences)


def test_the_reference_is_read_as_expected():
    sentences = reference_sentences()
    assert sentences[0].startswith("there were a number of positive aspects to this probation")
    assert sentences[-1].startswith("a glossary of terms used in this report is available")
    assert 300 <= len(sentences) <= 330


@pytest.fixture
def written_reference(reference_inspection, lead, client):
    """The reference inspection with its written report, published as the demo ships it."""
    move(reference_inspection, InspectionStatus.PUBLISHED, lead)
    client.force_login(lead)
    return reference_inspection


@pytest.mark.django_db
def test_the_report_page_and_pdf_hold_the_published_reports_sentences(written_reference, client):
    sentences = reference_sentences()
    page = client.get(reverse("reports:report", args=[written_reference.pk]))
    assert page.status_code == 200
    pdf = client.get(reverse("exports:pdf", args=[written_reference.pk]))
    assert pdf.status_code == 200
    # A line the PDF breaks after a hyphen ("decision-" / "making") is one word again.
    pdf_text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    page_share = share("page", sentences, page_text(page.content.decode()))
    pdf_share = share("pdf", sentences, re.sub(r"-\n", "-", pdf_text))
    assert page_share >= THRESHOLD
    assert pdf_share >= THRESHOLD
