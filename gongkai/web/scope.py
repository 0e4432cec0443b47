"""Resolving the agency a staff URL names, with the caller's rights checked once, here.

An agency the user may not see answers 404 (its existence is not confirmed); one they may see
but not act on in the requested way answers 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from gongkai.orgs import access
from gongkai.orgs.models import Agency
from gongkai.orgs.roles import Perm

SESSION_KEY = "gongkai_agency_id"


def agency_for(request, code: str, perm: str = Perm.VIEW_WORK) -> Agency:
    agency = access.agencies_visible_to(request.user).select_related("area").filter(code=code.upper()).first()
    if agency is None:
        raise Http404("agency not visible")
    if not access.can(request.user, perm, agency):
        raise PermissionDenied(f"您在“{agency.name}”没有“{Perm(perm).label}”的权限。")
    if request.session.get(SESSION_KEY) != agency.pk:  # a session write on every page would serialise writers
        request.session[SESSION_KEY] = agency.pk
    return agency


def current_agency(request) -> Agency | None:
    """The agency the workspace is showing: the last one chosen, else the person's first."""
    visible = access.agencies_visible_to(request.user)
    chosen = request.session.get(SESSION_KEY)
    if chosen:
        agency = visible.filter(pk=chosen).first()
        if agency:
            return agency
    return access.home_agencies(request.user).order_by("path").first()
