"""The lead's pages that write the report (reports/views/writing.py), without JavaScript and
through the autosave's JSON: what they change, audit and refuse."""

import html
import re

import pytest
from django.urls import reverse

from inspection.choices import AuditKind, InspectionStatus
from inspection.models import (
    AuditEntry,
    ContextFact,
    Footnote,
    RatingWording,
    ReportItem,
    ReportSubsection,
)
from reports import report_writing as writing
from reports.evidence import Tally, record_tallies
from reports.publishing import move
from tests.case_helpers import team_member
from tests.page_text import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead_client(client, lead):
    client.force_login(lead)
    return client


def text_of(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def strengths(subsection):
    return list(
        subsection.items.filter(list="strengths").order_by("order").values_list("text", flat=True)
    )


def snapshot(inspection):
    return (
        list(
            ReportItem.objects.filter(subsection__inspection=inspection)
            .order_by("pk")
            .values_list("pk", "text", "order", "kind")
        ),
        list(ReportSubsection.objects.filter(inspection=inspection).values_list("pk", "heading")),
        AuditEntry.objects.filter(inspection=inspection).count(),
    )


def write_subsection(client, inspection, code="2.3", heading="Resettlement work"):
    """A new sub-section under a standard (by its code) or in a part (by its name)."""
    if code[0].isdigit():
        url = reverse("reports:write_standard", args=[inspection.pk, code])
        where = {"standard__code": code}
    else:
        url = reverse("reports:write_part", args=[inspection.pk, code])
        where = {"part": code}
    response = client.post(url, {"heading": heading})
    assert response.status_code == 302
    return ReportSubsection.objects.get(inspection=inspection, heading=heading, **where)


def add(client, subsection, text, list_="strengths", kind="text"):
    url = reverse("reports:write_item_add", args=[subsection.inspection_id, subsection.pk, list_])
    return client.post(url, {"kind": kind, "text": text})


def test_the_lead_writes_reorders_and_removes_strengths(lead_client, reference_inspection):
    inspection = reference_inspection
    overview = text_of(lead_client.get(reverse("reports:write", args=[inspection.pk])))
    for part in ("Foreword", "Background", "2.3 ", "Acknowledgements", "Annexe", "Footnotes"):
        assert part in overview
    assert "1 sub-section, 12 items" in overview  # 1.1's paragraph, strengths and areas
    subsection = write_subsection(lead_client, inspection)
    assert add(lead_client, subsection, "Staff knew the local services").status_code == 302
    assert add(lead_client, subsection, "Housing was found on release").status_code == 302
    assert strengths(subsection) == [
        "Staff knew the local services",
        "Housing was found on release",
    ]
    page = text_of(lead_client.get(reverse("reports:write_standard", args=[inspection.pk, "2.3"])))
    assert "Resettlement work" in page and "Move down" in page and "Move up" in page
    second = subsection.items.get(text="Housing was found on release")
    move_url = reverse("reports:write_item_move", args=[inspection.pk, second.pk])
    assert lead_client.post(move_url, {"direction": "up"}).status_code == 302
    assert strengths(subsection)[0] == "Housing was found on release"

    remove = reverse("reports:write_item_remove", args=[inspection.pk, second.pk])
    confirm = text_of(lead_client.get(remove))
    assert "Are you sure you want to remove this strength?" in confirm
    assert "Housing was found on release" in confirm
    assert strengths(subsection) == [  # asking changes nothing
        "Housing was found on release",
        "Staff knew the local services",
    ]
    assert lead_client.post(remove).status_code == 302
    assert strengths(subsection) == ["Staff knew the local services"]

    trail = text_of(
        lead_client.get(reverse("inspection:audit", args=[inspection.pk]), {"kind": "report_text"})
    )
    assert "2.3 Resettlement work: strengths 1" in trail
    assert "Housing was found on release" in trail
    entries = AuditEntry.objects.filter(
        inspection=inspection, kind=AuditKind.REPORT_TEXT, user__isnull=False
    )
    assert entries.count() == 5  # the sub-section, two strengths, the move, the removal


def test_a_subsection_is_removed_after_confirmation(lead_client, reference_inspection):
    subsection = write_subsection(lead_client, reference_inspection, code="foreword")
    url = reverse("reports:write_subsection_remove", args=[reference_inspection.pk, subsection.pk])
    assert "Are you sure you want to remove the sub-section" in text_of(lead_client.get(url))
    assert ReportSubsection.objects.filter(pk=subsection.pk).exists()
    assert lead_client.post(url).status_code == 302
    assert not ReportSubsection.objects.filter(pk=subsection.pk).exists()


def test_parts_without_a_standard_take_paragraphs_only(lead_client, reference_inspection):
    url = reverse("reports:write_part", args=[reference_inspection.pk, "foreword"])
    assert lead_client.post(url, {"heading": ""}).status_code == 302
    foreword = ReportSubsection.objects.filter(
        inspection=reference_inspection, part="foreword"
    ).latest("pk")
    assert add(lead_client, foreword, "There were a number of strengths", "body").status_code == 302
    assert add(lead_client, foreword, "No", "strengths").status_code == 404
    assert (
        lead_client.get(
            reverse("reports:write_part", args=[reference_inspection.pk, "nonsense"])
        ).status_code
        == 404
    )


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "Enter the strength"),
        ("x" * 5001, "The strength must be 5,000 characters or fewer (it has 5,001)"),
        (
            "{9.9.9} of cases",
            "{9.9.9}: there is no standard, key question, prompt or item '9.9.9' in the framework",
        ),
        ("{2.2.3:nonsense}", "{2.2.3:nonsense}: unknown form 'nonsense'"),
        ("{fact:nowhere}", "{fact:nowhere}: there is no context fact 'nowhere'"),
    ],
)
def test_bad_text_is_named_and_nothing_changes(lead_client, reference_inspection, text, message):
    subsection = write_subsection(lead_client, reference_inspection)
    before = snapshot(reference_inspection)
    response = add(lead_client, subsection, text)
    assert response.status_code == 400
    assert message in text_of(response)
    # The summary is headed as GOV.UK's, not by the page's own title.
    assert '<h2 class="govuk-error-summary__title">There is a problem</h2>' in (
        response.content.decode()
    )
    assert snapshot(reference_inspection) == before


def test_a_good_citation_saves(lead_client, reference_inspection):
    subsection = write_subsection(lead_client, reference_inspection)
    assert add(lead_client, subsection, "{2.2.3.d:count} were seen").status_code == 302


def test_autosave_saves_and_a_stale_page_is_refused_with_both_texts(
    lead_client, reference_inspection
):
    subsection = write_subsection(lead_client, reference_inspection)
    add(lead_client, subsection, "First draft")
    item = subsection.items.get()
    url = reverse("reports:write_item", args=[reference_inspection.pk, item.pk])
    page = lead_client.get(url)
    version = page.context["form"].initial["version"]
    assert 'data-report-autosave="' in page.content.decode()
    fetch = {"HTTP_X_REQUESTED_WITH": "fetch"}
    saved = lead_client.post(url, {"kind": "text", "text": "Second", "version": version}, **fetch)
    assert saved.status_code == 200
    assert saved.json()["version"] == version + 1
    # Another tab, still on the first version, is refused: nothing it sends is applied.
    stale = {"kind": "text", "text": "From the old tab", "version": version}
    refused = lead_client.post(url, stale, **fetch)
    assert refused.status_code == 409 and refused.json()["stale"]
    item.refresh_from_db()
    assert item.text == "Second"
    # Without the script (or when the script hands over): both texts are on the page.
    shown = lead_client.post(url, stale)
    assert shown.status_code == 409
    page = text_of(shown)
    assert "What is saved now" in page and "Second" in page and "From the old tab" in page
    # Saving again from that page keeps the person's text, on purpose.
    again = shown.context["form"].data["version"]
    kept = lead_client.post(url, {"kind": "text", "text": "From the old tab", "version": again})
    assert kept.status_code == 302
    item.refresh_from_db()
    assert item.text == "From the old tab"
    # A bad text through the autosave is named in its JSON, and nothing changes.
    bad = lead_client.post(url, {"kind": "text", "text": "", "version": again + 1}, **fetch)
    assert bad.status_code == 400 and bad.json()["errors"] == ["Enter the strength"]


def test_heading_signatory_facts_and_footnotes(lead_client, reference_inspection):
    inspection = reference_inspection
    subsection = write_subsection(lead_client, inspection)
    heading = reverse("reports:write_subsection", args=[inspection.pk, subsection.pk])
    response = lead_client.post(heading, {"heading": "Resettlement", "version": subsection.version})
    assert response.status_code == 302
    subsection.refresh_from_db()
    assert subsection.heading == "Resettlement"

    signing = reverse("reports:write_signing", args=[inspection.pk])
    assert (
        lead_client.post(
            signing, {"signatory": "Justin Russell", "signatory_title": "Chief Inspector"}
        ).status_code
        == 302
    )
    assert "Justin Russell, Chief Inspector" in text_of(
        lead_client.get(reverse("reports:write", args=[inspection.pk]))
    )

    facts = reverse("reports:write_facts", args=[inspection.pk])
    fact = {"key": "test_rate", "label": "Proven reoffending", "value": "28.7", "source": "MoJ"}
    assert lead_client.post(facts, fact).status_code == 302
    again = lead_client.post(facts, fact)
    assert again.status_code == 400
    assert "There is already a fact with this key" in text_of(again)
    bad = lead_client.post(facts, {**fact, "key": "no spaces"})
    assert "letters, digits, hyphens and underscores" in text_of(bad)
    edit = reverse("reports:write_facts_edit", args=[inspection.pk, "test_rate"])
    assert lead_client.post(edit, {**fact, "value": "28.8"}).status_code == 302
    assert ContextFact.objects.get(inspection=inspection, key="test_rate").value == "28.8"
    # Now the fact can be cited.
    assert add(lead_client, subsection, "A rate of {fact:test_rate}").status_code == 302

    notes = reverse("reports:write_footnotes", args=[inspection.pk])
    assert lead_client.post(notes, {"key": "scope", "text": "The framework"}).status_code == 302
    remove = reverse("reports:write_footnotes_remove", args=[inspection.pk, "scope"])
    assert "{note:scope}" in text_of(lead_client.get(remove))
    assert lead_client.post(remove).status_code == 302
    assert not Footnote.objects.filter(inspection=inspection, key="scope").exists()
    subjects = list(
        AuditEntry.objects.filter(
            inspection=inspection, kind=AuditKind.REPORT_TEXT, user__isnull=False
        )
        .order_by("id")
        .values_list("subject", flat=True)
    )
    assert subjects[1:] == [
        "2.3 Resettlement work: heading",
        "Foreword: signatory",
        "Fact test_rate",
        "Fact test_rate",
        "2.3 Resettlement: strengths 1",
        "Footnote scope",
        "Footnote scope",
    ]


def test_only_the_lead_and_admins_write(client, reference_inspection, lead, admin_user):
    subsection = ReportSubsection.objects.filter(
        inspection=reference_inspection, part="standard"
    ).first()
    item = subsection.items.first()
    inspector = team_member(reference_inspection, "inspector")
    before = snapshot(reference_inspection)
    client.force_login(inspector)
    urls = [
        reverse("reports:write", args=[reference_inspection.pk]),
        reverse("reports:write_item", args=[reference_inspection.pk, item.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404
    add_url = reverse(
        "reports:write_item_add", args=[reference_inspection.pk, subsection.pk, "strengths"]
    )
    assert client.post(add_url, {"kind": "text", "text": "Mine"}).status_code == 404
    move_url = reverse("reports:write_item_move", args=[reference_inspection.pk, item.pk])
    assert client.post(move_url, {"direction": "down"}).status_code == 404
    assert snapshot(reference_inspection) == before
    client.force_login(admin_user)
    assert client.post(add_url, {"kind": "text", "text": "Admin's"}).status_code == 302


def test_published_is_read_only(lead_client, reference_inspection, lead):
    subsection = ReportSubsection.objects.filter(
        inspection=reference_inspection, part="standard"
    ).first()
    item = subsection.items.first()
    move(reference_inspection, InspectionStatus.PUBLISHED, lead)
    before = snapshot(reference_inspection)

    def url(name, *args):
        return reverse(name, args=[reference_inspection.pk, *args])

    code = subsection.standard.code
    page = text_of(lead_client.get(url("reports:write_standard", code)))
    assert "This inspection is published" in page
    assert "Move up" not in page and "Move down" not in page and "Add a sub-section" not in page
    assert item.text in page
    overview = lead_client.get(url("reports:write")).content.decode()
    assert ">Read<span" in overview and ">Write<span" not in overview
    posts = [
        (url("reports:write_standard", code), {"heading": "x"}),
        (url("reports:write_item_add", subsection.pk, "strengths"), {"kind": "text", "text": "x"}),
        (
            url("reports:write_item", item.pk),
            {"kind": "text", "text": "x", "version": subsection.version},
        ),
        (url("reports:write_item_move", item.pk), {"direction": "down"}),
        (url("reports:write_item_remove", item.pk), {}),
        (url("reports:write_subsection", subsection.pk), {"heading": "x", "version": "1"}),
        (url("reports:write_subsection_remove", subsection.pk), {}),
        (url("reports:write_signing"), {"signatory": "x"}),
        (url("reports:write_isbn"), {"isbn": "978-1-915468-67-3"}),
        (url("reports:write_rating", "2.2"), {"text": "Rated {2.2:rating}."}),
        (url("reports:write_facts"), {"key": "k", "label": "l", "value": "1"}),
        (url("reports:write_footnotes"), {"key": "k", "text": "t"}),
    ]
    for address, data in posts:
        assert lead_client.post(address, data).status_code == 403, address
    assert snapshot(reference_inspection) == before


# The ISBN and the rating sentence (issue 18)


def read(response) -> str:
    """The page's text as a reader sees it."""
    return page_text(response.content.decode())


def test_the_lead_gives_the_isbn_and_a_wrong_one_is_named(lead_client, reference_inspection):
    url = reverse("reports:write_isbn", args=[reference_inspection.pk])
    assert 'value="978-1-915468-66-6"' in lead_client.get(url).content.decode()
    wrong = lead_client.post(url, {"isbn": "978-1-915468-66-5"})
    assert wrong.status_code == 400
    assert "There is a problem" in read(wrong)
    assert "The last digit (the check digit) should be 6 for the twelve before it, not 5" in (
        read(wrong)
    )
    assert writing.isbn_of(reference_inspection.pk) == "978-1-915468-66-6"
    assert lead_client.post(url, {"isbn": "978 1 915468 67 3"}).status_code == 302
    overview = read(lead_client.get(reverse("reports:write", args=[reference_inspection.pk])))
    assert "ISBN 978-1-915468-67-3" in overview
    assert lead_client.post(url, {"isbn": ""}).status_code == 302
    overview = read(lead_client.get(reverse("reports:write", args=[reference_inspection.pk])))
    assert "No ISBN yet: it is needed before publishing" in overview


def test_the_lead_words_a_rating_sentence_shown_beside_the_one_made_from_results(
    lead_client, reference_inspection
):
    inspection = reference_inspection
    standard_page = read(
        lead_client.get(reverse("reports:write_standard", args=[inspection.pk, "2.3"]))
    )
    assert "The rating sentence" in standard_page
    assert "Write the rating sentence" in standard_page
    url = reverse("reports:write_rating", args=[inspection.pk, "2.3"])
    page = read(lead_client.get(url))
    assert (
        "The sentence made from the results Blackburn with Darwen PDU is rated as 'Good' for "
        "planning as the lowest score of the three questions was 67 per cent." in page
    )
    assert "{2.3:rating}" in page  # the hint
    bad = lead_client.post(url, {"text": "The lowest was {2.3.9}."})
    assert bad.status_code == 400
    assert "{2.3.9}: there is no standard, key question, prompt or item '2.3.9'" in read(bad)
    assert not RatingWording.objects.filter(inspection=inspection, standard__code="2.3").exists()
    wording = "Planning is rated as '{2.3:rating}', its lowest score {2.3.3}."
    assert lead_client.post(url, {"text": wording}).status_code == 302
    report = read(lead_client.get(reverse("reports:report", args=[inspection.pk])))
    assert "Planning is rated as 'Good', its lowest score 67 per cent." in report
    assert "for planning as the lowest score of the three questions" not in report
    standard_page = read(
        lead_client.get(reverse("reports:write_standard", args=[inspection.pk, "2.3"]))
    )
    assert wording in standard_page and "Change the rating sentence" in standard_page


def test_a_rating_sentence_citing_no_figure_yet_saves_with_a_warning(
    lead_client, reference_inspection, lead
):
    """As every other text of the report: the tally may still be recorded."""
    record_tallies(reference_inspection, {"pop_survey.safe": Tally()}, by=lead)
    url = reverse("reports:write_rating", args=[reference_inspection.pk, "2.3"])
    wording = "Planning is rated '{2.3:rating}'; {evidence:pop_survey.safe} felt safe."
    response = lead_client.post(url, {"text": wording}, follow=True)
    page = read(response)
    assert "Rating sentence saved" in page
    assert (
        "No figure yet, so publishing will be refused: {evidence:pop_survey.safe}: no tally is "
        "recorded for the evidence question 'pop_survey.safe'" in page
    )
    # With a warning the page opens at its top, where the banners are.
    assert response.redirect_chain[-1][0] == reverse(
        "reports:write_standard", args=[reference_inspection.pk, "2.3"]
    )
    stored = RatingWording.objects.get(inspection=reference_inspection, standard__code="2.3")
    assert stored.text == wording


@pytest.mark.parametrize("code", ["1.2", "2.6"])
def test_a_standard_without_a_rating_sentence_has_no_such_page(
    lead_client, reference_inspection, code
):
    url = reverse("reports:write_rating", args=[reference_inspection.pk, code])
    assert lead_client.get(url).status_code == 404
    page = reverse("reports:write_standard", args=[reference_inspection.pk, code])
    assert "The rating sentence" not in read(lead_client.get(page))
