from django.shortcuts import render

from .models import Inspection


def home(request):
    """The inspections this user works on (or, for admins, every inspection)."""
    inspections = Inspection.objects.with_place()
    if not request.user.is_superuser:
        inspections = inspections.filter(team=request.user) | inspections.filter(
            lead_inspector=request.user
        )
    return render(request, "inspection/home.html", {"inspections": inspections.distinct()})
