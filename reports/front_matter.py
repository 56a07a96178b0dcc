"""The report's front matter as the Inspectorate prints it: the cover's publication date, and
what the publisher says in every report (the Inspectorate's role, the note on practice examples'
names, the Crown copyright and Open Government Licence notice, where to download it, who
publishes it). The publisher's words are the same for every report, so they are kept here, once,
not as data; what differs per report is its ISBN (the lead writes it: WrittenReport.isbn) and
its publication date (when its record was stored).
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from inspection.choices import InspectionStatus
from inspection.models import Inspection

from .models import PublishedReport


@dataclass(frozen=True)
class Publisher:
    name: str
    address: tuple[str, ...]
    role: tuple[str, ...]  # paragraphs
    names_note: str
    licence: str
    download_at: str
    follow: str


PUBLISHER = Publisher(
    name="HM Inspectorate of Probation",
    address=("1st Floor Civil Justice Centre", "1 Bridge Street West", "Manchester", "M3 3FX"),
    role=(
        "HM Inspectorate of Probation is the independent inspector of youth offending and "
        "probation services in England and Wales. We report on the effectiveness of probation "
        "and youth offending service work with adults and children.",
        "We inspect these services and publish inspection reports. We highlight good and poor "
        "practice, and use our data and information to encourage high-quality services. We are "
        "independent of government, and speak independently.",
    ),
    names_note=(
        "Please note that throughout the report the names in the practice examples have been "
        "changed to protect the individual's identity."
    ),
    licence=(
        "You may re-use this information (excluding logos) free of charge in any format or "
        "medium, under the terms of the Open Government Licence. To view this licence, visit "
        "www.nationalarchives.gov.uk/doc/open-government-licence or email "
        "psi@nationalarchives.gsi.gov.uk."
    ),
    download_at="www.justiceinspectorates.gov.uk/hmiprobation",
    follow="Follow us on Twitter @hmiprobation",
)


def published_on(inspection: Inspection) -> datetime.date | None:
    """When the inspection's report was published (its newest record: an inspection re-opened
    and published again is dated by the second), or None while it is not published. One query."""
    if inspection.status != InspectionStatus.PUBLISHED:
        return None
    published_at = (
        PublishedReport.objects.filter(inspection_id=inspection.pk)
        .standing()
        .values_list("published_at", flat=True)
        .first()
    )
    return timezone.localdate(published_at) if published_at else None


def front_matter(inspection: Inspection) -> dict:
    """What the report's templates need for the cover and front matter: the publisher, the
    publication date (None for a draft) and the copyright year (a draft's: this year)."""
    date = published_on(inspection)
    return {
        "publisher": PUBLISHER,
        "published_on": date,
        "copyright_year": (date or timezone.localdate()).year,
    }
