"""Broken links in published items (电子监察, issue 18: 「broken links in published items」).

check_links reads the links in every published item's public text, asks each distinct address
once with a HEAD request (GET when a server refuses HEAD) within a timeout, at a bounded rate,
and stores the answer per item and link (LinkCheck). It runs as a background task
(tasks.check_links, queued by `gongkai monitor links --background` from cron); the daily
monitoring run turns broken ones into findings (indicators.link_broken).

A link is broken when the server answers 4xx/5xx or cannot be reached (DNS, refused, timeout).
Addresses that resolve to loopback, private or link-local networks are not requested unless
GONGKAI_LINK_CHECK_ALLOW_PRIVATE is set: a link typed into an item must not make the server probe
its own network (SSRF); such links are stored as not checked.
"""

import ipaddress
import re
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gongkai.disclosure.models import Item, Status
from gongkai.supervision.models import LinkCheck

# An address in running Chinese text ends at white space or the first full-width punctuation mark.
URL_RE = re.compile(r"https?://[^\s<>\"'，。；、！？）】》]+")
URL_MAX = LinkCheck._meta.get_field("url").max_length
USER_AGENT = "gongkai-linkcheck/1"  # HTTP headers are Latin-1: no Chinese here


def links_in(text: str) -> list[str]:
    return list(dict.fromkeys(u.rstrip(".,;:!?)") for u in URL_RE.findall(text or "") if len(u) <= URL_MAX))


@dataclass(frozen=True)
class Answer:
    status: int | None
    error: str
    broken: bool


def _private(host: str) -> bool:
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except OSError:
        return False  # unresolvable: the request fails and says so
    return any(not ipaddress.ip_address(a.split("%")[0]).is_global for a in addresses)


def may_request(host: str, own_host: str | None = None) -> bool:
    """Whether a request to ``host`` is allowed: public addresses, the portal's own host when
    crawling it (site_crawl.py names it explicitly), or anything with GONGKAI_LINK_CHECK_ALLOW_PRIVATE."""
    return (settings.GONGKAI_LINK_CHECK_ALLOW_PRIVATE or (own_host is not None and host == own_host)
            or not _private(host))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects are followed only to addresses that may be requested (checked like the first one)."""

    def __init__(self, own_host: str | None = None):
        super().__init__()
        self.own_host = own_host

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not may_request(urlsplit(newurl).hostname or "", self.own_host):
            return None
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def opener(own_host: str | None = None) -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(_NoRedirect(own_host))


def encoded(url: str) -> str:
    # A path or query in Chinese (…/附件.pdf) goes out percent-encoded, as a browser sends it.
    return quote(url, safe=":/?#[]@!$&'()*+,;=%~")


def failure(exc: Exception) -> str:
    reason = getattr(exc, "reason", exc)
    return ("连接超时" if isinstance(reason, TimeoutError | socket.timeout) else f"无法连接：{reason}")[:200]


def check_url(url: str, *, own_host: str | None = None) -> Answer:
    """``own_host``: the portal's own host name, requested even on a private network (site_crawl.py)."""
    host = urlsplit(url).hostname or ""
    if not host:
        return Answer(None, "链接地址不完整", True)
    if not may_request(host, own_host):
        return Answer(None, "内网地址，未检查", False)
    client = opener(own_host)
    address = encoded(url)
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(address, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with client.open(request, timeout=settings.GONGKAI_LINK_CHECK_TIMEOUT) as response:
                return Answer(response.status, "", False)
        except urllib.error.HTTPError as exc:
            if method == "HEAD" and exc.code in (405, 501):
                continue  # the server does not answer HEAD: ask again with GET (only the headers are read)
            return Answer(exc.code, f"HTTP {exc.code}", exc.code >= 400)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            return Answer(None, failure(exc), True)
    return Answer(None, "服务器不响应 HEAD 和 GET 请求", True)


def check_links(*, agency_ids=None) -> dict:
    """Check every link of the published items (of ``agency_ids``, or all) and store the answers."""
    items = Item.objects.filter(status=Status.PUBLISHED)
    if agency_ids is not None:
        items = items.filter(agency_id__in=list(agency_ids))
    found: dict[int, list[str]] = {}
    for item in items.only("pk", "body", "public_body").iterator(chunk_size=500):
        urls = links_in(item.public_body or item.body)
        if urls:
            found[item.pk] = urls
    answers: dict[str, Answer] = {}
    interval = 1 / settings.GONGKAI_LINK_CHECK_PER_SECOND
    for url in dict.fromkeys(u for urls in found.values() for u in urls):
        started = time.monotonic()
        answers[url] = check_url(url)
        time.sleep(max(0.0, interval - (time.monotonic() - started)))  # bounded rate towards other sites
    now = timezone.now()
    with transaction.atomic():
        stale = LinkCheck.objects.filter(item__in=items)
        for item_id, urls in found.items():
            stale = stale.exclude(item_id=item_id, url__in=urls)
        removed, _ = stale.delete()  # links taken out of an item, or items no longer published
        for item_id, urls in found.items():
            for url in urls:
                answer = answers[url]
                LinkCheck.objects.update_or_create(item_id=item_id, url=url, defaults={
                    "checked_at": now, "status": answer.status, "error": answer.error, "broken": answer.broken})
    return {"items": len(found), "links": len(answers), "broken": sum(a.broken for a in answers.values()),
            "removed": removed}
