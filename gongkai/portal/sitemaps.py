"""sitemap.xml: an index (/sitemap.xml) of one sitemap per kind of public page, each paginated at
``limit`` URLs so every published item is listed however many there are (a single sitemap
stopped at its first page). lastmod is the latest publication shown on the page."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from gongkai.disclosure.models import CatalogueNode, DisclosureSettings, PressConference
from gongkai.disclosure.queries import public_items
from gongkai.disclosure.taxonomy import ANNUAL_REPORT_NODE
from gongkai.orgs.queries import public_agencies
from gongkai.reports.filing.publishing import published_versions


def _latest_item_by_agency() -> dict[int, object]:
    rows = public_items().order_by().values("agency_id").annotate(latest=Max("last_published_at"))
    return {row["agency_id"]: row["latest"] for row in rows}


def _public_reports() -> list:
    return [v for v in published_versions() if v.report.agency_id is not None and v.report.agency.is_active]


class PortalSitemap(Sitemap):
    """The column pages of the whole site."""

    changefreq = "daily"

    def items(self):
        return ["portal:home", "portal:agency_index", "portal:reports", "portal:participation"]

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        if name == "portal:participation":
            return None  # see ParticipationSitemap
        if name == "portal:reports":
            return max((v.published_at for v in _public_reports()), default=None)
        return max(filter(None, _latest_item_by_agency().values()), default=None)


class AgencySitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        latest = _latest_item_by_agency()
        agencies = list(public_agencies().select_related(None).order_by("code").only("id", "code"))
        for agency in agencies:
            agency.latest = latest.get(agency.pk)
        return agencies

    def location(self, agency):
        return reverse("portal:agency_detail", args=[agency.code])

    def lastmod(self, agency):
        return agency.latest


class ParticipationSitemap(Sitemap):
    """Each agency's 政民互动 column. No lastmod: the page changes with the date alone (a consultation
    moves from 正在征集 to 征集结果反馈 at midnight without any write), so no stored time is right."""

    changefreq = "daily"

    def items(self):
        return list(public_agencies().select_related(None).order_by("code").only("id", "code"))

    def location(self, agency):
        return reverse("portal:agency_participation", args=[agency.code])


class GuideSitemap(Sitemap):
    """Each agency's 政府信息公开指南 (条例第十二条)."""

    changefreq = "monthly"

    def items(self):
        updated = dict(DisclosureSettings.objects.values_list("agency_id", "guide_updated_at"))
        agencies = list(public_agencies().select_related(None).order_by("code").only("id", "code"))
        for agency in agencies:
            agency.guide_updated_at = updated.get(agency.pk)
        return agencies

    def location(self, agency):
        return reverse("portal:guide", args=[agency.code])

    def lastmod(self, agency):
        return agency.guide_updated_at


class CatalogueSitemap(Sitemap):
    """The catalogue pages that show something: a node with public items (its own or a child's),
    and the 年度报告 node of an agency with a published report (the portal hides empty nodes)."""

    changefreq = "weekly"

    def items(self):
        latest = dict(public_items().order_by().values("catalogue_node_id").annotate(latest=Max("last_published_at"))
                      .values_list("catalogue_node_id", "latest"))
        reported = {}
        for version in _public_reports():
            agency_id = version.report.agency_id
            reported[agency_id] = max(filter(None, [reported.get(agency_id), version.published_at]))
        nodes = list(CatalogueNode.objects.filter(agency__in=public_agencies())
                     .select_related("agency").only("id", "code", "parent_id", "agency__code")
                     .order_by("agency__code", "sort_order", "id"))
        for node in nodes:
            node.latest = latest.get(node.pk)
        by_id = {node.pk: node for node in nodes}
        for node in nodes:  # a parent's page lists its children's items too
            parent = by_id.get(node.parent_id)
            if parent is not None and node.latest and (parent.latest is None or node.latest > parent.latest):
                parent.latest = node.latest
        for node in nodes:
            if node.code == ANNUAL_REPORT_NODE and node.agency_id in reported:
                node.latest = max(filter(None, [node.latest, reported[node.agency_id]]))
        return [node for node in nodes if node.latest is not None]

    def location(self, node):
        return reverse("portal:catalogue", args=[node.agency.code, node.code])

    def lastmod(self, node):
        return node.latest


class ItemSitemap(Sitemap):
    changefreq = "monthly"
    limit = 5000

    def items(self):
        return public_items().select_related(None).select_related("agency").only("id", "agency__code", "last_published_at").order_by("id")

    def location(self, item):
        return reverse("portal:item", args=[item.agency.code, item.pk])

    def lastmod(self, item):
        return item.last_published_at


class ConferenceSitemap(Sitemap):
    changefreq = "yearly"
    limit = 5000

    def items(self):
        return (PressConference.objects.filter(agency__in=public_agencies()).select_related("agency")
                .only("id", "agency__code", "updated_at").order_by("id"))

    def location(self, conference):
        return reverse("portal:conference", args=[conference.agency.code, conference.pk])

    def lastmod(self, conference):
        return conference.updated_at


class ReportSitemap(Sitemap):
    """The published annual reports (条例第五十条), at their latest version."""

    changefreq = "yearly"

    def items(self):
        return _public_reports()

    def location(self, version):
        return reverse("portal:report", args=[version.report.agency.code, version.report.pk])

    def lastmod(self, version):
        return version.published_at


SITEMAPS = {"portal": PortalSitemap, "agencies": AgencySitemap, "guides": GuideSitemap,
            "catalogue": CatalogueSitemap, "items": ItemSitemap, "reports": ReportSitemap,
            "conferences": ConferenceSitemap, "participation": ParticipationSitemap}
