"""The drawn sample's figures as the report's context facts, so the background can cite them
({fact:sample-size} and the rest): the lead takes them in from the sample page. Facts are the
report's own text (reports/report_writing.py), so once taken in they are what the report says,
whatever happens to the sample later, until taken in again."""

from django.db import transaction
from django.utils.text import slugify

from cases.models import SampleDraw
from cases.sample_draw import representativeness
from inspection.models import Inspection

from .report_writing import set_fact

SOURCE = "Drawn from the caseload extract"


def facts_of(draw: SampleDraw) -> list[tuple[str, str, str]]:
    """(key, label, value) for each fact."""
    facts = [
        (
            "caseload-size",
            "Cases in the caseload extract in the sample windows",
            f"{draw.eligible_rows:,}",
        ),
        ("sample-size", "Cases drawn into the sample", str(draw.size)),
        ("sample-seed", "The sample's random seed", str(draw.seed)),
    ]
    for stratum, part in sorted(draw.allocation.items()):
        facts.append(
            (
                f"sample-{stratum}",
                f"{stratum.capitalize()} cases in the sample",
                f"{part['quota']} of {part['size']:,}",
            )
        )
    for fit in representativeness(draw):
        for share in fit.shares:
            if share.flagged:
                facts.append(
                    (
                        slugify(f"sample-{fit.attribute}-{share.value}")[:40],
                        f"{fit.name}: {share.label}",
                        f"{share.sample_percent:g}% of the sample, {share.extract_percent:g}% of "
                        "the caseload",
                    )
                )
    return facts


def take_into_report(inspection: Inspection, *, by) -> int:
    """Set the draw's facts (each audited by set_fact); how many there are."""
    draw = SampleDraw.objects.get(inspection=inspection)
    facts = facts_of(draw)
    with transaction.atomic():  # all of them or none
        for key, label, value in facts:
            set_fact(inspection, key=key, label=label, value=value, source=SOURCE, by=by)
    return len(facts)
