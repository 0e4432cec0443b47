"""Broken links on the portal's own pages (电子监察, issue 18: 「broken links … on the portal, checked by
a crawler of the site's own pages and the links they hold, with a bounded rate」).

crawl_site starts from the portal's sitemap (GONGKAI_SITE_CRAWL_URL, by default GONGKAI_PUBLIC_URL,
+ /sitemap.xml), fetches at most GONGKAI_SITE_CRAWL_MAX_PAGES of the pages it lists over HTTP as a
visitor would, collects the <a href> links on them and asks each distinct address once: links to
the portal itself (relative ones included) with the portal's own host allowed even on a private
network, other sites through links.check_url with its private-network rule. Every request waits
its turn (GONGKAI_LINK_CHECK_PER_SECOND) and has the same timeout as the item link check.

The answers are stored per page and link (PageLinkCheck), kept for the pages crawled this time
and dropped for links no longer on them; the daily monitoring run turns broken ones on an
agency's pages (/agencies/<code>/…) into findings (indicators.page_link_broken); a page the sitemap
lists that does not answer is stored as a broken link of the sitemap and found against the agency
whose page it is. Links on the site-wide pages (home, column pages) belong to no agency: they are
stored and counted, not turned into findings.
"""

import re
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gongkai.errors import ServiceError
from gongkai.orgs.models import Agency
from gongkai.supervision import links
from gongkai.supervision.models import PageLinkCheck

PAGE_MAX_BYTES = 2 * 1024 * 1024  # a page or sitemap larger than this is read only this far
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
AGENCY_PATH = re.compile(r"/agencies/([^/]+)/")
URL_MAX = PageLinkCheck._meta.get_field("url").max_length


class _Anchors(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href.strip())


def anchors(html: str, page_url: str) -> list[str]:
    """The http(s) addresses the page's <a href> links lead to, absolute, without #fragment, once each."""
    parser = _Anchors()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        url = urldefrag(urljoin(page_url, href)).url
        # The byte bound keeps the (page, url) unique index under PostgreSQL's index-row limit.
        if urlsplit(url).scheme in ("http", "https") and len(url) <= URL_MAX and len(url.encode()) <= 2 * URL_MAX:
            found.append(url)
    return list(dict.fromkeys(found))


class _Pacer:
    """One request per 1/GONGKAI_LINK_CHECK_PER_SECOND seconds, whoever asks (pages, sitemaps, links)."""

    def __init__(self):
        self.interval = 1 / settings.GONGKAI_LINK_CHECK_PER_SECOND
        self.last = None

    def wait(self):
        if self.last is not None:
            time.sleep(max(0.0, self.interval - (time.monotonic() - self.last)))
        self.last = time.monotonic()


@dataclass
class _Fetched:
    answer: links.Answer
    text: str = ""
    html: bool = False


@dataclass
class CrawlResult:
    base: str
    pages: int = 0
    links: int = 0
    broken: int = 0
    removed: int = 0
    broken_links: list[tuple[str, str, str]] = field(default_factory=list)  # (page, link, error)

    def as_dict(self) -> dict:
        return {"base": self.base, "pages": self.pages, "links": self.links, "broken": self.broken,
                "removed": self.removed, "broken_links": [list(b) for b in self.broken_links]}


def _fetch(url: str, own_host: str) -> _Fetched:
    """GET one of the portal's own pages (or its sitemap), following redirects within the rules."""
    request = urllib.request.Request(links.encoded(url), headers={"User-Agent": links.USER_AGENT})
    try:
        with links.opener(own_host).open(request, timeout=settings.GONGKAI_LINK_CHECK_TIMEOUT) as response:
            kind = response.headers.get_content_type()
            body = response.read(PAGE_MAX_BYTES)
            charset = response.headers.get_content_charset() or "utf-8"
            return _Fetched(links.Answer(response.status, "", False), body.decode(charset, errors="replace"),
                            kind in ("text/html", "application/xhtml+xml", "application/xml", "text/xml"))
    except urllib.error.HTTPError as exc:
        return _Fetched(links.Answer(exc.code, f"HTTP {exc.code}", exc.code >= 400))
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return _Fetched(links.Answer(None, links.failure(exc), True))


def _sitemap_pages(base: str, own_host: str, limit: int, pace: _Pacer) -> list[str]:
    """The page addresses of the sitemap index and its sitemaps, in their order, at most ``limit``."""
    pages, queue, seen = [base + "/"], [base + "/sitemap.xml"], set()
    while queue and len(pages) < limit:
        sitemap = queue.pop(0)
        if sitemap in seen:
            continue
        seen.add(sitemap)
        pace.wait()
        fetched = _fetch(sitemap, own_host)
        if fetched.answer.broken:
            if sitemap == base + "/sitemap.xml":
                raise ServiceError("SITEMAP_UNAVAILABLE", f"无法读取网站地图 {sitemap}：{fetched.answer.error}")
            continue
        try:
            root = ET.fromstring(fetched.text)
        except ET.ParseError:
            raise ServiceError("SITEMAP_INVALID", f"网站地图 {sitemap} 不是有效的 XML。") from None
        for loc in root.iter(f"{SITEMAP_NS}loc"):
            address = (loc.text or "").strip()
            if urlsplit(address).hostname != own_host:
                continue  # the crawl stays on the portal
            if root.tag == f"{SITEMAP_NS}sitemapindex":
                queue.append(address)
            elif address not in pages:
                pages.append(address)
    return pages[:limit]


def _agency_ids_by_code() -> dict[str, int]:
    return dict(Agency.objects.values_list("code", "pk"))


def crawl_site(*, base_url: str | None = None, max_pages: int | None = None) -> CrawlResult:
    """Crawl the portal at ``base_url`` (default: the setting) and store what its pages' links answer."""
    base = (base_url or settings.GONGKAI_SITE_CRAWL_URL or "").strip().rstrip("/")
    own_host = urlsplit(base).hostname
    if urlsplit(base).scheme not in ("http", "https") or not own_host:
        raise ServiceError("SITE_URL_MISSING", "请设置 GONGKAI_SITE_CRAWL_URL 或 GONGKAI_PUBLIC_URL（门户网站地址，"
                                               "如 https://gk.example.gov.cn），或用 --base-url 指定。")
    limit = max_pages or settings.GONGKAI_SITE_CRAWL_MAX_PAGES
    pace = _Pacer()
    pages = _sitemap_pages(base, own_host, limit, pace)

    answers: dict[str, links.Answer] = {}
    on_page: dict[str, list[str]] = {}
    for page in pages:
        pace.wait()
        fetched = _fetch(page, own_host)
        answers[page] = fetched.answer
        on_page[page] = anchors(fetched.text, page) if fetched.html and not fetched.answer.broken else []
    # A page the sitemap lists that does not answer is a broken link of the sitemap itself.
    sitemap = base + "/sitemap.xml"
    on_page[sitemap] = [p for p in pages if answers[p].broken]
    for url in dict.fromkeys(u for urls in on_page.values() for u in urls):
        if url not in answers:
            pace.wait()
            answers[url] = links.check_url(url, own_host=own_host if urlsplit(url).hostname == own_host else None)

    agencies = _agency_ids_by_code()
    result = CrawlResult(base=base, pages=len(pages))
    now = timezone.now()
    with transaction.atomic():
        stale = PageLinkCheck.objects.filter(page__in=[*pages, sitemap])
        for page, urls in on_page.items():
            stale = stale.exclude(page=page, url__in=urls)
        result.removed, _ = stale.delete()  # links taken off a page, or pages that no longer answer
        for page, urls in on_page.items():
            for url in urls:
                # An agency's page, or for the sitemap's own rows the agency of the page it lists.
                match = AGENCY_PATH.search(urlsplit(url if page == sitemap else page).path)
                agency_id = agencies.get(match.group(1)) if match else None
                answer = answers[url]
                PageLinkCheck.objects.update_or_create(page=page, url=url, defaults={
                    "agency_id": agency_id, "internal": urlsplit(url).hostname == own_host, "checked_at": now,
                    "status": answer.status, "error": answer.error, "broken": answer.broken})
                if answer.broken:
                    result.broken_links.append((page, url, answer.error))
    result.links = len({u for p, urls in on_page.items() if p != sitemap for u in urls})
    result.broken = len(result.broken_links)
    return result
