"""Broken links in published items: checked against a real HTTP server on this machine (no internet)."""

import datetime as dt
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from gongkai.disclosure import services as disclosure_services
from gongkai.supervision import links
from gongkai.supervision.models import Finding, FindingState, LinkCheck
from gongkai.supervision.monitoring import monitor_run
from gongkai.supervision.tests.conftest import publish

pytestmark = pytest.mark.django_db
D = dt.date


class Site(BaseHTTPRequestHandler):
    """/ok answers, /gone is 404, /get-only refuses HEAD (405) but answers GET, /slow never answers in time."""

    def _answer(self, head: bool):
        if self.path == "/slow":
            time.sleep(2)
        if self.path == "/get-only" and head:
            self.send_response(405)
        elif self.path in ("/ok", "/get-only", "/slow"):
            self.send_response(200)
        else:
            self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()
        self.server.seen.append((self.command, self.path))

    def do_HEAD(self):  # noqa: N802 - the name http.server calls
        self._answer(head=True)

    def do_GET(self):  # noqa: N802
        self._answer(head=False)

    def log_message(self, *args):
        pass


@pytest.fixture
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    server.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", server
    server.shutdown()
    server.server_close()


def test_links_are_found_in_running_chinese_text():
    text = "详见https://example.cn/a?b=1，或访问 http://example.cn/x。另见（https://example.cn/y）"
    assert links.links_in(text) == ["https://example.cn/a?b=1", "http://example.cn/x", "https://example.cn/y"]


def test_broken_links_become_findings_and_close_when_fixed(county, site, settings):
    base, server = site
    settings.GONGKAI_LINK_CHECK_ALLOW_PRIVATE = True
    settings.GONGKAI_LINK_CHECK_TIMEOUT = 0.5
    settings.GONGKAI_LINK_CHECK_PER_SECOND = 50
    item = publish(county, written_on=D(2026, 10, 9), published_on=D(2026, 10, 12), node="gzdt",
                   body=f"附件下载：{base}/ok，申报表：{base}/gone。办事指南见{base}/get-only；系统入口{base}/slow。")
    summary = links.check_links()
    assert summary == {"items": 1, "links": 4, "broken": 2, "removed": 0}
    checks = {c.url.removeprefix(base): c for c in LinkCheck.objects.all()}
    assert not checks["/ok"].broken and checks["/ok"].status == 200
    assert checks["/gone"].broken and checks["/gone"].status == 404
    assert not checks["/get-only"].broken and ("GET", "/get-only") in server.seen  # HEAD refused, GET answered
    assert checks["/slow"].broken and checks["/slow"].error == "连接超时"
    assert ("HEAD", "/ok") in server.seen and ("GET", "/ok") not in server.seen  # HEAD is enough

    today = timezone.localdate()  # the day the links were checked
    monitor_run(on=today, agencies=[county.agency_a])
    open_links = Finding.objects.filter(indicator="link_broken", state=FindingState.OPEN)
    assert open_links.count() == 2 and all(f.subject_repr == item.title for f in open_links)
    assert any(f"{base}/gone" in f.detail and "HTTP 404" in f.detail for f in open_links)

    # The agency fixes the item: the broken links are gone from it; the next check and run close them.
    disclosure_services.item_update(actor=county.second_a, item=item, data={"body": f"附件下载：{base}/ok。"})
    item.refresh_from_db()
    assert links.check_links()["removed"] == 3
    monitor_run(on=today, agencies=[county.agency_a])
    assert not Finding.objects.filter(indicator="link_broken", state=FindingState.OPEN).exists()


def test_links_to_private_addresses_are_not_requested_by_default(county, site, settings):
    base, server = site
    settings.GONGKAI_LINK_CHECK_ALLOW_PRIVATE = False
    publish(county, written_on=D(2026, 10, 9), published_on=D(2026, 10, 12), node="gzdt", body=f"见{base}/gone。")
    assert links.check_links()["broken"] == 0
    check = LinkCheck.objects.get()
    assert check.error == "内网地址，未检查" and not check.broken and server.seen == []


def test_the_command_checks_the_links_and_prints_a_summary_in_chinese(county, site, settings):
    import io
    import json

    from django.core.management import call_command

    base, _server = site
    settings.GONGKAI_LINK_CHECK_ALLOW_PRIVATE = True
    publish(county, written_on=D(2026, 10, 9), published_on=D(2026, 10, 12), node="gzdt", body=f"见{base}/gone。")
    out = io.StringIO()
    call_command("monitor", "links", stdout=out)
    assert "1 条已发布信息中的 1 个链接，无法访问 1 个" in out.getvalue()
    out = io.StringIO()
    call_command("monitor", "links", "--json", stdout=out)
    assert json.loads(out.getvalue())["broken"] == 1
