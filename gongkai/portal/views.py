from django.shortcuts import get_object_or_404, render

from gongkai.disclosure.catalogue import catalogue_tree
from gongkai.disclosure.queries import public_counts_by_node, public_items
from gongkai.disclosure.taxonomy import ANNUAL_REPORT_NODE
from gongkai.orgs.queries import area_tree_with_agencies, public_agencies
from gongkai.orgs.tree import in_tree_order
from gongkai.reports.filing.publishing import published_versions


def home(request):
    top = public_agencies().filter(parent__isnull=True)
    governments = in_tree_order(public_agencies().filter(kind="government"))[:12]
    return render(request, "portal/home.html", {"top_agencies": top, "governments": governments,
                                                "latest": public_items().order_by("-published_on", "-id")[:12],
                                                "agency_count": public_agencies().count(), "nav": "home"})


def agency_index(request):
    return render(request, "portal/agency_index.html", {"areas": area_tree_with_agencies(), "nav": "agencies"})


def agency_detail(request, code: str):
    agency = get_object_or_404(public_agencies(), code=code.upper())
    children = public_agencies().filter(parent=agency)
    items = public_items().filter(agency=agency)
    annual_reports = published_versions(agency)
    return render(request, "portal/agency_detail.html", {
        "agency": agency, "office": agency.office, "children": children,
        "units": agency.units.all(), "ancestors": _ancestors(agency), "nav": "agencies",
        "tree": column_tree(agency, len(annual_reports)),
        "latest": items.order_by("-published_on", "-id")[:10],
        "reports": items.filter(catalogue_node__code=ANNUAL_REPORT_NODE).order_by("-published_on")[:10],
        "annual_reports": annual_reports,
    })


def column_tree(agency, annual_reports: int):
    """The catalogue tree with public counts; the 年度报告 node also counts the ``annual_reports``
    published through the reports workflow (条例第五十条), which are not catalogue items, so the
    column does not call 「年度报告」 empty while listing reports under it."""
    tree = catalogue_tree(agency, public_counts_by_node(agency))
    for branch in tree:
        if branch["node"].code == ANNUAL_REPORT_NODE:
            branch["count"] += annual_reports
    return tree


def _ancestors(agency):
    ids = [int(p) for p in agency.path.strip("/").split("/")[:-1]]
    by_id = {a.pk: a for a in public_agencies().filter(pk__in=ids)}
    return [by_id[i] for i in ids if i in by_id]
