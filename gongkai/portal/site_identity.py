"""The deployment's identity on its public pages (网站标识码, 备案号, 主办/承办单位, 纠错):

    current() -> SiteIdentity                       the row (unsaved and empty until first edited)
    site_identity_update(actor=, changes=) -> ...   the system administrator's edit, audited
    error_report_link(identity) -> str             where 「我要纠错」 points
    police_link(identity) -> str                    the 公安机关备案 link
"""

import re

from django.db import transaction
from django.urls import NoReverseMatch, reverse

from gongkai.audit.models import Action
from gongkai.audit.services import record, snapshot
from gongkai.errors import PermissionDeniedError, ServiceError
from gongkai.orgs import access
from gongkai.portal.models import SiteIdentity

FIELDS = ["site_domain", "site_code", "icp_number", "police_number", "police_url", "sponsor", "organiser",
          "conac_url", "error_report_url"]
# 网站标识码: 10 characters, the 6-digit 行政区划代码 and a 4-digit serial for a government's
# site, "bm" and 8 digits for a department's (全国政府网站基本信息数据库).
SITE_CODE = re.compile(r"^(?:\d{10}|bm\d{8})$")
DOMAIN = re.compile(r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}(?::\d{1,5})?$")
# Where 「我要纠错」 points when no address is set: the first of these routes that exists (the
# public's messages, 留言, once that app has its page; else the list of agencies and their
# disclosure offices' contacts).
ERROR_REPORT_ROUTES = ("enquiries_public:ask_any", "portal:agency_index")
POLICE_SEARCH = "https://beian.mps.gov.cn/#/query/webSearch?code={digits}"


def current() -> SiteIdentity:
    return SiteIdentity.objects.filter(pk=1).first() or SiteIdentity(pk=1)


def site_identity_update(*, actor, changes: dict) -> SiteIdentity:
    """The system administrator's edit of the site's identity; one audit row with before/after."""
    if not access.is_system_admin(actor):
        raise PermissionDeniedError("只有系统管理员可以修改网站标识。")
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise ServiceError("SITE_FIELD_UNKNOWN", f"没有这些设置项：{'、'.join(sorted(unknown))}。")
    cleaned = {name: (value or "").strip() for name, value in changes.items()}
    _validate(cleaned)
    with transaction.atomic():
        identity, _created = SiteIdentity.objects.select_for_update().get_or_create(pk=1)
        before = snapshot(identity, FIELDS)
        for name, value in cleaned.items():
            setattr(identity, name, value)
        after = snapshot(identity, FIELDS)
        if after != before:
            identity.save()
            record(actor=actor, action=Action.SITE_UPDATE, obj=identity, before=before, after=after)
    return identity


def _validate(data: dict) -> None:
    if "site_domain" in data:
        data["site_domain"] = data["site_domain"].lower().removeprefix("https://").removeprefix("http://").rstrip("/")
        if data["site_domain"] and not DOMAIN.match(data["site_domain"]):
            raise ServiceError("SITE_DOMAIN_INVALID", f"“{data['site_domain']}”不是有效的域名，请填写如 www.example.gov.cn。",
                               field="site_domain")
    if data.get("site_code") and not SITE_CODE.match(data["site_code"]):
        raise ServiceError("SITE_CODE_INVALID", "网站标识码应为10位：政府门户网站为6位行政区划代码加4位顺序号"
                           "（如 1101000001），部门网站为 bm 加8位数字（如 bm01000001）。", field="site_code")
    for name, label in (("police_url", "公安机关备案链接"), ("conac_url", "党政机关网站标识链接")):
        if data.get(name) and not re.match(r"^https?://\S+$", data[name]):
            raise ServiceError("SITE_URL_INVALID", f"“{label}”应为以 http:// 或 https:// 开头的网址。", field=name)
    link = data.get("error_report_url")
    if link and not re.match(r"^(?:https?://\S+|/\S*)$", link):
        raise ServiceError("SITE_URL_INVALID", "“纠错链接”应为以 http:// 或 https:// 开头的网址，或以 / 开头的站内路径。",
                           field="error_report_url")
    if data.get("police_number") and not re.search(r"\d{6,}", data["police_number"]):
        raise ServiceError("SITE_POLICE_NUMBER_INVALID", "公安机关备案号应含备案编号数字，如 京公网安备11010502030001号。",
                           field="police_number")


def error_report_link(identity: SiteIdentity) -> str:
    if identity.error_report_url:
        return identity.error_report_url
    for route in ERROR_REPORT_ROUTES:
        try:
            return reverse(route)
        except NoReverseMatch:
            continue
    return "/"


def police_link(identity: SiteIdentity) -> str:
    if identity.police_url:
        return identity.police_url
    digits = re.search(r"\d{6,}", identity.police_number or "")
    return POLICE_SEARCH.format(digits=digits.group(0)) if digits else ""
