"""The 政民互动 column pages: government-wide (/hudong/) and one agency's (/agencies/<code>/hudong/)."""

from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from gongkai.orgs.queries import public_agencies
from gongkai.portal import participation
from gongkai.portal.metadata import PARTICIPATION_COLUMN_TYPE

NAV = "hudong"  # the main navigation's 「政民互动」 entry; the consultations and enquiries pages light it too


def column(request):
    return render(request, "portal/participation.html", {
        "agency": None, "column": participation.column(None, timezone.localdate()), "nav": NAV,
        "column_type": PARTICIPATION_COLUMN_TYPE})


def agency_column(request, code: str):
    agency = get_object_or_404(public_agencies(), code=code.upper())
    return render(request, "portal/participation.html", {
        "agency": agency, "column": participation.column(agency, timezone.localdate()), "nav": NAV,
        "column_type": PARTICIPATION_COLUMN_TYPE})
