"""sitemap.xml: an index of every kind of public page, every published item listed (past the
first page of a section), lastmod from the publication shown."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.conftest import on
from gongkai.disclosure import services as disclosure
from gongkai.disclosure.models import Item
from gongkai.portal import sitemaps
from gongkai.portal.tests.test_disclosure_pages import publish
from gongkai.portal.tests.test_site_identity import metas
from gongkai.reports.filing import filing, publishing
from gongkai.reports.tests.test_filing import FILING_DAY, YEAR, ready

pytestmark = [pytest.mark.django_db, on(FILING_DAY)]


def entries(client, url) -> dict[str, str]:
    """loc -> lastmod ("" when absent) of one sitemap."""
    xml = client.get(url).content.decode()
    found = {}
    for block in re.findall(r"<url>(.*?)</url>", xml, re.S):
        loc = re.search(r"<loc>(.*?)</loc>", block).group(1)
        lastmod = re.search(r"<lastmod>(.*?)</lastmod>", block)
        found[loc.removeprefix("http://testserver")] = lastmod.group(1) if lastmod else ""
    return found


def test_the_index_names_every_section(county, client):
    xml = client.get("/sitemap.xml").content.decode()
    for section in ("portal", "agencies", "guides", "catalogue", "items", "reports"):
        assert f"/sitemap-{section}.xml" in xml


def test_items_columns_guides_and_reports_are_listed_with_lastmod(county, client):
    code = county.agency_a.code
    item = publish(county, title="预算公开说明", written_on=dt.date(YEAR, 12, 1))
    withdrawn = publish(county, title="将被撤回", written_on=dt.date(YEAR, 12, 1))
    disclosure.item_withdraw(actor=county.admin_a, item=withdrawn, reason="重复发布")
    report = filing.send_for_review(actor=county.drafter_a, report=ready(county))
    report = filing.decide(actor=county.supervisor, report=filing.submit(actor=county.leader_a, report=report), accept=True)
    version = publishing.publish(actor=county.admin_a, report=report)

    items = entries(client, "/sitemap-items.xml")
    assert reverse("portal:item", args=[code, item.pk]) in items
    assert reverse("portal:item", args=[code, withdrawn.pk]) not in items
    assert items[reverse("portal:item", args=[code, item.pk])] == f"{item.last_published_at:%Y-%m-%d}"

    columns = entries(client, "/sitemap-catalogue.xml")
    node = item.catalogue_node
    assert columns[reverse("portal:catalogue", args=[code, node.code])] == f"{item.last_published_at:%Y-%m-%d}"
    if node.parent_id:  # a parent's page lists its children's items
        assert reverse("portal:catalogue", args=[code, node.parent.code]) in columns
    assert columns[reverse("portal:catalogue", args=[code, "ndbg"])] == f"{version.published_at:%Y-%m-%d}"
    assert reverse("portal:catalogue", args=[code, "qt"]) not in columns  # empty: hidden on the portal too

    assert reverse("portal:guide", args=[code]) in entries(client, "/sitemap-guides.xml")
    reports = entries(client, "/sitemap-reports.xml")
    assert reports == {reverse("portal:report", args=[code, report.pk]): f"{version.published_at:%Y-%m-%d}"}
    site = entries(client, "/sitemap-portal.xml")
    assert site[reverse("portal:reports")] == f"{version.published_at:%Y-%m-%d}"
    assert reverse("portal:agency_detail", args=[code]) in entries(client, "/sitemap-agencies.xml")
    # The report's own page carries the article tags (portal/metadata.py).
    found = metas(client.get(reverse("portal:report", args=[code, report.pk])))
    assert found["ArticleTitle"] == str(report) and found["ContentSource"] == county.agency_a.name
    assert found["PubDate"] == f"{timezone.localtime(version.published_at):%Y-%m-%d %H:%M}"


def test_every_item_is_listed_past_the_first_page(county, client, monkeypatch):
    monkeypatch.setattr(sitemaps.ItemSitemap, "limit", 2)
    made = [publish(county, title=f"第{n}条", written_on=dt.date(YEAR, 12, 1)) for n in range(5)]
    index = client.get("/sitemap.xml").content.decode()
    pages = re.findall(r"<loc>http://testserver(/sitemap-items\.xml(?:\?p=\d+)?)</loc>", index)
    assert len(pages) == 3
    listed = {}
    for page in pages:
        listed |= entries(client, page.replace("&amp;", "&"))
    assert set(listed) == {reverse("portal:item", args=[county.agency_a.code, i.pk]) for i in made}
    assert Item.objects.count() == 5


def test_the_participation_column_of_every_public_agency_is_listed_without_lastmod(county, client):
    from gongkai.orgs import services as org_services

    assert "/sitemap-participation.xml" in client.get("/sitemap.xml").content.decode()
    assert entries(client, "/sitemap-portal.xml")[reverse("portal:participation")] == ""
    listed = entries(client, "/sitemap-participation.xml")
    every = {reverse("portal:agency_participation", args=[a.code]) for a in (county.county_gov, county.agency_a,
                                                                               county.agency_b)}
    assert listed == dict.fromkeys(every, "")
    org_services.agency_update(actor=None, agency=county.agency_b, changes={"is_active": False})
    assert set(entries(client, "/sitemap-participation.xml")) == every - {
        reverse("portal:agency_participation", args=[county.agency_b.code])}
