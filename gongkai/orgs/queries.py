"""What the public may see of the organisation tree: active agencies only."""

from gongkai.orgs.models import Agency, AgencyKind, Area


def public_agencies():
    return Agency.objects.filter(is_active=True).select_related("area", "office")


def area_tree_with_agencies():
    """[(area, [agency, ...]), ...] in area-code order, for the agency index page."""
    agencies_by_area: dict[int, list] = {}
    # Governments head their area's list; then the agencies' own sort order.
    ordered = sorted(public_agencies(), key=lambda a: (a.kind != AgencyKind.GOVERNMENT, a.sort_order, a.code))
    for agency in ordered:
        agencies_by_area.setdefault(agency.area_id, []).append(agency)
    areas = Area.objects.filter(pk__in=agencies_by_area).order_by("code")
    return [(area, agencies_by_area[area.pk]) for area in areas]
