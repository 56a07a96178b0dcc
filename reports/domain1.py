"""The lead inspector's judgements of the standards rated by judgement (domain 1 of the PDU
frameworks): checked against the limiting rules, saved, audited; and, before publishing, each
one given (`judgement_blockers`, registered in reports/apps.py).

Here rather than in inspection because the check needs the case-rated standards' ratings as they
stand (cases.summary); the lead's page and Django admin both save through `save_judgements`.
"""

from django.db import transaction
from django.urls import reverse

from cases.summary import summarise
from inspection import audit
from inspection import input_rules as rules
from inspection.framework import rating_engine as engine
from inspection.models import Domain1Judgement, Inspection
from inspection.publish_checklist import Blocker
from inspection.published import lock_for_edit
from reports.judgements import UNJUDGED, judgement_entries

FIELDS = ("rating", "judgement")
JUDGEMENTS_HEADING = "Ratings and judgements"


class Domain1Refused(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


def limiting_problems(inspection: Inspection, ratings: dict[str, str], summary=None) -> list[str]:
    """What the limiting rules refuse if these domain-1 ratings ({code: rating}) were saved."""
    summary = summary or summarise(inspection)
    proposed = {**summary.ratings, **ratings}
    rules = summary.framework.limiting_rules
    return [breach.message for breach in engine.limiting_rule_breaches(proposed, rules)]


def _text(judgement: dict) -> list[str]:
    """What is wrong with a judgement in words (the forms check it first)."""
    return rules.text_messages(
        judgement.get("judgement", ""), what="the judgement", max_length=rules.JUDGEMENT_MAX
    )


def save_judgements(inspection: Inspection, judgements: dict[str, dict], by) -> None:
    """Save {standard code: {rating, judgement}} together, or nothing (Domain1Refused lists the
    limiting rules broken); one entry per part that changed. (Strengths and areas for
    improvement are report items: reports/report_writing.py.)

    A standard the framework rates takes a rating and no judgement in words; one it does not
    rate (judged in words only) takes no rating. `judgement` may be left out (kept as stored)."""
    problems = [message for judgement in judgements.values() for message in _text(judgement)]
    if problems:
        raise Domain1Refused(problems)
    with transaction.atomic():
        # The inspection's row is locked before the check (as publishing locks it), so two saves
        # cannot each pass it against the other's old rating, nor one slip in under a publish.
        lock_for_edit(inspection.pk)
        stored = {
            j.standard_id: j
            for j in Domain1Judgement.objects.select_for_update().filter(inspection=inspection)
        }
        summary = summarise(inspection)
        standards = {s.code: s.standard for s in summary.standards if s.standard.judged}
        unknown = set(judgements) - set(standards)
        if unknown:
            raise ValueError(f"Not domain-1 standards: {', '.join(sorted(unknown))}")
        wrong = [
            f"{code} is not rated: give the judgement in words, not a rating"
            if judgement["rating"]
            else f"{code} is rated: it takes a rating, not a judgement in words"
            for code, judgement in judgements.items()
            if (judgement["rating"] and not standards[code].rated)
            or (judgement.get("judgement") and standards[code].rated)
        ]
        if wrong:
            raise Domain1Refused(wrong)
        ratings = {code: judgement["rating"] for code, judgement in judgements.items()}
        problems = limiting_problems(inspection, ratings, summary)
        if problems:
            raise Domain1Refused(problems)
        entries = []
        for code, after in judgements.items():
            current = stored.get(standards[code].id)
            before = {name: getattr(current, name) for name in FIELDS} if current else UNJUDGED
            after = {name: after.get(name, before[name]) for name in FIELDS}
            if before == after:
                continue
            Domain1Judgement.objects.update_or_create(
                inspection=inspection, standard_id=standards[code].id, defaults=after
            )
            entries += judgement_entries(inspection.pk, code, before, after, by)
        audit.record_many(entries)


def judgement_blockers(inspection: Inspection) -> list[str]:
    """Every standard rated by judgement rated (or, one the framework does not rate, judged in
    words), every standard rated from cases rateable, and no limiting rule broken: each reason
    linking to the lead's page for it."""
    summary = summarise(inspection)
    judged = [s for s in summary.standards if s.standard.judged]
    overview = reverse("reports:domain1", args=[inspection.pk])
    reasons = []
    unrated = [s.code for s in judged if s.standard.rated and not s.rating]
    if unrated:
        reasons.append(
            Blocker(f"Standards rated by judgement not yet rated: {', '.join(unrated)}", overview)
        )
    in_words = [s.code for s in judged if not s.standard.rated]
    written = set(
        Domain1Judgement.objects.filter(inspection=inspection, standard__code__in=in_words)
        .exclude(judgement="")
        .values_list("standard__code", flat=True)
    )
    unwritten = [code for code in in_words if code not in written]
    if unwritten:
        reasons.append(Blocker(f"Judgements not yet written: {', '.join(unwritten)}", overview))
    # A standard rated from its cases with no rating (no relevant case for any key question)
    # leaves the score and the overall rating unset: the report cannot be published so. (A
    # region's pooled standards say why under pooling: reports/pooling.nothing_pooled.)
    report_page = reverse("reports:report", args=[inspection.pk])
    for result in summary.standards:
        spec = result.standard
        if spec.judged or spec.pooled or not spec.rated or result.rating:
            continue
        empty = [kq.code for kq in result.key_questions if not kq.count.relevant]
        why = f"no relevant case for {', '.join(empty)}" if empty else "its figures give none"
        reasons.append(Blocker(f"{result.code} {spec.name} cannot be rated: {why}", report_page))
    judged_codes = {s.code for s in judged}
    for breach in summary.breaches:
        limited = breach.rule.then_standard
        page = (
            reverse("reports:domain1_edit", args=[inspection.pk, limited])
            if limited in judged_codes
            else overview
        )
        reasons.append(Blocker(f"Limiting rule broken: {breach.message}", page))
    return reasons
