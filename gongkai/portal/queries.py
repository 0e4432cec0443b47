"""What the public may see of the organisation tree: active agencies only."""

from gongkai.orgs.models import Agency, Area


def public_agencies():
    return Agency.objects.filter(is_active=True).select_related("area", "office")


def area_tree_with_agencies():
    """[(area, [agency, ...]), ...] in area-code order, for the agency index page."""
    agencies_by_area: dict[int, list] = {}
    for agency in public_agencies().order_by("sort_order", "code"):
        agencies_by_area.setdefault(agency.area_id, []).append(agency)
    areas = Area.objects.filter(pk__in=agencies_by_area).order_by("code")
    return [(area, agencies_by_area[area.pk]) for area in areas]
