"""The crawl of the portal's own pages: against the live test server (no internet)."""

import datetime as dt
import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from gongkai.conftest import on
from gongkai.disclosure import services as disclosure_services
from gongkai.disclosure.models import CatalogueNode
from gongkai.disclosure.tests.conftest import item_data
from gongkai.errors import ServiceError
from gongkai.supervision import site_crawl
from gongkai.supervision.models import Finding, FindingState, PageLinkCheck
from gongkai.supervision.monitoring import monitor_run
from gongkai.supervision.tests.conftest import publish

D = dt.date
pytestmark = [pytest.mark.django_db(transaction=True), on(D(2026, 10, 13))]


def test_anchors_are_made_absolute_without_fragments_and_other_schemes():
    html = ('<a href="/a/">1</a><a href="b?x=1#top">2</a><a href="mailto:x@example.cn">3</a>'
            '<a href="javascript:void(0)">4</a><a href="https://other.example.cn/p">5</a><a href="/a/#again">6</a><a>7</a>')
    assert site_crawl.anchors(html, "http://gk.test/agencies/X/") == [
        "http://gk.test/a/", "http://gk.test/agencies/X/b?x=1", "https://other.example.cn/p"]


SITEMAP_INDEX = """<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>{base}/sitemap-a.xml</loc></sitemap>
</sitemapindex>"""
SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>{base}/agencies/TESTFIN01/ok/</loc></url>
<url><loc>http://other.example.cn/elsewhere/</loc></url><url><loc>{base}/agencies/TESTFIN01/gone/</loc></url></urlset>"""
PAGES = {"/": '<a href="/agencies/TESTFIN01/ok/">财政局</a>',
         "/agencies/TESTFIN01/ok/": '<a href="missing/">旧链接</a><a href="/agencies/TESTFIN01/gone/#top">已删除</a>'}


class Portal(BaseHTTPRequestHandler):
    """A stand-in portal: a sitemap index, one sitemap, a home page and an agency page; the rest is 404."""

    def _send(self, status, body="", kind="text/html; charset=utf-8"):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command == "GET":
            self.wfile.write(data)

    def do_GET(self):  # noqa: N802 - the name http.server calls
        base = f"http://{self.headers['Host']}"
        self.server.seen.append(self.path)
        if self.path == "/sitemap.xml":
            self._send(200, SITEMAP_INDEX.format(base=base), "application/xml")
        elif self.path == "/sitemap-a.xml":
            self._send(200, SITEMAP.format(base=base), "application/xml")
        elif self.path in PAGES:
            self._send(200, PAGES[self.path])
        else:
            self._send(404)

    do_HEAD = do_GET

    def log_message(self, *args):
        pass


@pytest.fixture
def portal():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Portal)
    server.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", server
    server.shutdown()
    server.server_close()


def test_a_page_the_sitemap_lists_that_is_gone_is_a_broken_link_of_the_sitemap(world, portal, settings):
    settings.GONGKAI_LINK_CHECK_PER_SECOND = 100
    base, server = portal
    result = site_crawl.crawl_site(base_url=base)
    assert result.pages == 3 and "/elsewhere/" not in " ".join(server.seen)  # the crawl stays on the portal
    listed = PageLinkCheck.objects.get(page=f"{base}/sitemap.xml", url=f"{base}/agencies/TESTFIN01/gone/")
    assert listed.broken and listed.status == 404 and listed.agency == world.agency_a
    ok_page = f"{base}/agencies/TESTFIN01/ok/"
    assert {(c.url, c.broken) for c in PageLinkCheck.objects.filter(page=ok_page)} == {
        (f"{ok_page}missing/", True), (f"{base}/agencies/TESTFIN01/gone/", True)}
    assert not PageLinkCheck.objects.get(page=f"{base}/", url=ok_page).broken
    assert server.seen.count("/agencies/TESTFIN01/gone/") == 1  # each address is asked once
    # The home page belongs to no agency; the sitemap's row and the agency page's rows belong to 财政局.
    assert PageLinkCheck.objects.get(page=f"{base}/").agency is None
    assert result.broken == 3 and result.links == 3


def test_a_broken_internal_link_on_an_agency_page_is_found_and_closes_once_fixed(taxonomy, county, live_server,
                                                                                  settings):
    settings.GONGKAI_LINK_CHECK_PER_SECOND = 100
    world = county
    code = world.agency_a.code
    # The target is still a draft: its public address answers 404 until it is published.
    target = disclosure_services.item_create(actor=world.drafter_a, agency=world.agency_a, data=item_data(
        world.agency_a, title="2026年预算说明", written_on=D(2026, 10, 9),
        catalogue_node=CatalogueNode.objects.get(agency=world.agency_a, code="yjs")))
    target_path = reverse("portal:item", args=[code, target.pk])
    page = publish(world, written_on=D(2026, 10, 9), published_on=D(2026, 10, 12), title="关于预算公开的通知",
                   body=f'<p>详见<a href="{target_path}">预算说明</a>。</p>')
    page_url = live_server.url + reverse("portal:item", args=[code, page.pk])

    result = site_crawl.crawl_site(base_url=live_server.url)
    assert page_url in {c.page for c in PageLinkCheck.objects.all()}
    broken = PageLinkCheck.objects.get(page=page_url, url=live_server.url + target_path)
    assert broken.broken and broken.status == 404 and broken.internal and broken.agency_id == world.agency_a.pk
    assert (page_url, live_server.url + target_path, "HTTP 404") in result.broken_links
    # Every other link to the portal itself answers (links to other sites depend on the network here).
    assert PageLinkCheck.objects.filter(internal=True, broken=True).count() == 1
    assert PageLinkCheck.objects.filter(internal=False).exists() and result.pages > 3 and result.links > 10

    monitor_run(on=D(2026, 10, 13), agencies=[world.agency_a])
    finding = Finding.objects.get(indicator="page_link_broken", detail__contains=target_path)
    assert finding.agency == world.agency_a and finding.state == FindingState.OPEN and target_path in finding.detail

    # Fixed: the target is published, so the link answers; the next crawl and monitoring run close the finding.
    disclosure_services.item_submit(actor=world.drafter_a, item=target)
    disclosure_services.item_approve(actor=world.first_a, item=target)
    disclosure_services.item_approve(actor=world.second_a, item=target)
    site_crawl.crawl_site(base_url=live_server.url)
    assert not PageLinkCheck.objects.filter(internal=True, broken=True).exists()
    assert not PageLinkCheck.objects.get(page=page_url, url=live_server.url + target_path).broken
    monitor_run(on=D(2026, 10, 13), agencies=[world.agency_a])
    finding.refresh_from_db()
    assert finding.state == FindingState.CLOSED


def test_the_command_crawls_at_most_the_configured_number_of_pages(taxonomy, county, live_server, settings):
    settings.GONGKAI_LINK_CHECK_PER_SECOND = 100
    settings.GONGKAI_SITE_CRAWL_MAX_PAGES = 3
    for day in (5, 6, 7):
        publish(county, written_on=D(2026, 10, day), published_on=D(2026, 10, 12), title=f"通知{day}")
    out = io.StringIO()
    call_command("monitor", "links", "--site", "--base-url", live_server.url, "--json", stdout=out)
    assert json.loads(out.getvalue())["pages"] == 3
    assert len({c.page for c in PageLinkCheck.objects.all()}) <= 3
    out = io.StringIO()
    call_command("monitor", "links", "--site", "--base-url", live_server.url, stdout=out)
    assert "网站页面链接检查" in out.getvalue() and "3 个页面上的" in out.getvalue()


def test_without_a_site_address_the_crawl_says_what_to_set(settings):
    settings.GONGKAI_SITE_CRAWL_URL = ""
    with pytest.raises(ServiceError) as missing:
        site_crawl.crawl_site()
    assert missing.value.code == "SITE_URL_MISSING" and "GONGKAI_SITE_CRAWL_URL" in missing.value.message
    with pytest.raises(CommandError, match="SITE_URL_MISSING"):
        call_command("monitor", "links", "--site", stdout=io.StringIO())
    with pytest.raises(CommandError, match="BASE_URL_WITHOUT_SITE"):
        call_command("monitor", "links", "--base-url", "http://gk.test", stdout=io.StringIO())
