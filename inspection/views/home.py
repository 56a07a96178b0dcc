from django.db.models import Count, Q
from django.shortcuts import render

from cases.choices import CaseStatus

from ..access import visible_inspections


def home(request):
    """The inspections this user may see, each with its progress."""
    inspections = visible_inspections(request.user).annotate(
        case_total=Count("cases", distinct=True),
        cases_done=Count(
            "cases",
            filter=Q(cases__status__in=[CaseStatus.COMPLETE, CaseStatus.SIGNED_OFF]),
            distinct=True,
        ),
    )
    return render(request, "inspection/home.html", {"inspections": inspections})
