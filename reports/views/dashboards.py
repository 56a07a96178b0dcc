"""PDU, region and national dashboards: only inspections the user may see count."""

from django.db.models import Q
from django.shortcuts import get_object_or_404, render

from inspection.models import PDU, Region

from ..dashboards import national_overview, pdu_dashboard, region_dashboard
from ..follow_up import national_follow_up, theme_counts, visible_follow_up


def pdu(request, pdu_id: int):
    unit = get_object_or_404(PDU.objects.select_related("region"), pk=pdu_id)
    return render(
        request,
        "reports/pdu.html",
        {
            "dashboard": pdu_dashboard(request.user, unit),
            "follow_up": visible_follow_up(request.user, pdu=unit),
        },
    )


def region(request, region_id: int):
    area = get_object_or_404(Region, pk=region_id)
    return render(
        request,
        "reports/region.html",
        {
            "dashboard": region_dashboard(request.user, area, request.GET),
            "follow_up": visible_follow_up(request.user, Q(pdu__region=area) | Q(region=area)),
        },
    )


def national(request):
    regions = list(Region.objects.order_by("name"))
    return render(
        request,
        "reports/national.html",
        {
            "overview": national_overview(request.user, regions),
            "follow_up": national_follow_up(),
            "themes": theme_counts(),
        },
    )
