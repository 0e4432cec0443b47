"""网站标识: the system administrator's settings, the portal footer, and the government-site
<meta> tags (《政府网站网页设计规范》) on an item page and a column page."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from gongkai.audit.models import Action, AuditEntry
from gongkai.errors import PermissionDeniedError, ServiceError
from gongkai.portal import site_identity
from gongkai.portal.tests.test_disclosure_pages import publish

pytestmark = pytest.mark.django_db

IDENTITY = {
    "site_domain": "https://WWW.Qinghe.gov.cn/", "site_code": "9801210001", "icp_number": "冀ICP备05070218号-1",
    "police_number": "冀公网安备13010202000123号", "sponsor": "测试县人民政府办公室", "organiser": "测试县大数据中心",
}


class Metas(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.found: dict[str, str] = {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and "name" in attrs:
            self.found[attrs["name"]] = attrs.get("content", "")


def metas(response) -> dict[str, str]:
    return Metas(response.content.decode()).found


def test_only_a_system_administrator_edits_it_and_every_change_is_audited(county):
    with pytest.raises(PermissionDeniedError):
        site_identity.site_identity_update(actor=county.admin_a, changes={"site_code": "9801210001"})
    identity = site_identity.site_identity_update(actor=county.sysadmin, changes=IDENTITY)
    assert identity.site_domain == "www.qinghe.gov.cn"
    entry = AuditEntry.objects.get(action=Action.SITE_UPDATE)
    assert entry.actor == county.sysadmin
    assert entry.before["site_code"] == "" and entry.after["site_code"] == "9801210001"
    site_identity.site_identity_update(actor=county.sysadmin, changes={"site_code": "9801210001"})
    assert AuditEntry.objects.filter(action=Action.SITE_UPDATE).count() == 1  # nothing changed, no row


@pytest.mark.parametrize(("field", "value", "code"), [
    ("site_code", "98012100", "SITE_CODE_INVALID"),
    ("site_code", "xx01000001", "SITE_CODE_INVALID"),
    ("site_domain", "清河 县", "SITE_DOMAIN_INVALID"),
    ("police_url", "beian.mps.gov.cn", "SITE_URL_INVALID"),
    ("error_report_url", "javascript:alert(1)", "SITE_URL_INVALID"),
    ("police_number", "冀公网安备号", "SITE_POLICE_NUMBER_INVALID"),
])
def test_bad_values_are_refused_with_the_field_named(county, field, value, code):
    with pytest.raises(ServiceError) as refused:
        site_identity.site_identity_update(actor=county.sysadmin, changes={field: value})
    assert (refused.value.code, refused.value.field) == (code, field)
    assert not AuditEntry.objects.filter(action=Action.SITE_UPDATE).exists()


def test_a_department_site_code_is_accepted(county):
    assert site_identity.site_identity_update(actor=county.sysadmin, changes={"site_code": "bm01000001"}).site_code == "bm01000001"


def test_footer_shows_the_identity_and_the_error_report_link(county, client):
    page = client.get(reverse("portal:home")).content.decode()
    assert "网站标识码" not in page  # nothing made up before it is set
    site_identity.site_identity_update(actor=county.sysadmin, changes=IDENTITY)
    page = client.get(reverse("portal:agency_index")).content.decode()
    for text in ("网站标识码：9801210001", "冀ICP备05070218号-1", "主办单位：测试县人民政府办公室", "承办单位：测试县大数据中心"):
        assert text in page
    assert 'href="https://beian.miit.gov.cn/"' in page
    assert 'href="https://beian.mps.gov.cn/#/query/webSearch?code=13010202000123"' in page
    link = re.search(r'<a href="([^"]*)" id="error-report-link">我要纠错</a>', page).group(1)
    try:
        expected = reverse("enquiries_public:ask_any")  # the 留言 page, once the enquiries app has it
    except NoReverseMatch:
        expected = reverse("portal:agency_index")
    assert link == expected
    site_identity.site_identity_update(actor=county.sysadmin, changes={"error_report_url": "https://zfwzgl.www.gov.cn/exposure/jiucuo.html"})
    assert 'href="https://zfwzgl.www.gov.cn/exposure/jiucuo.html" id="error-report-link"' in client.get(reverse("portal:home")).content.decode()


def test_item_page_carries_the_article_tags(county, client):
    site_identity.site_identity_update(actor=county.sysadmin, changes=IDENTITY)
    item = publish(county, title="清河县2026年财政预算公开说明", keywords="预算；公开", summary="本年度预算公开说明。")
    found = metas(client.get(reverse("portal:item", args=[county.agency_a.code, item.pk])))
    first = timezone.localtime(item.first_published_at)
    expected_date = (f"{first:%Y-%m-%d %H:%M}" if first.date() == item.published_on
                     else f"{item.published_on:%Y-%m-%d} 00:00")
    assert found == {
        "viewport": found["viewport"],
        "SiteName": "政府信息公开平台", "SiteDomain": "www.qinghe.gov.cn", "SiteIDCode": "9801210001",
        "ColumnName": item.catalogue_node.name, "ColumnType": "政府信息公开",
        "ArticleTitle": "清河县2026年财政预算公开说明", "PubDate": expected_date, "ContentSource": item.publisher,
        "Keywords": "预算；公开", "Description": "本年度预算公开说明。",
    }
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", found["PubDate"])


def test_column_page_carries_the_column_tags_and_the_request_host_without_a_domain(county, client, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "gk.example.cn"]
    item = publish(county)
    node = item.catalogue_node
    found = metas(client.get(reverse("portal:catalogue", args=[county.agency_a.code, node.code]), HTTP_HOST="gk.example.cn"))
    assert found["SiteDomain"] == "gk.example.cn" and "SiteIDCode" not in found
    assert found["ColumnName"] == node.name and found["ColumnType"] == "政府信息公开"
    assert found["ColumnDescription"] == f"{county.agency_a.name}·{node.name}"
    assert "ArticleTitle" not in found and "PubDate" not in found


def test_imported_item_keeps_its_own_date_in_pubdate(county):
    from gongkai.portal.metadata import pub_date

    item = publish(county)
    item.published_on = item.published_on.replace(year=2019)  # as an import from an older site
    assert pub_date(item) == f"{item.published_on:%Y-%m-%d} 00:00"


def test_the_staff_page_saves_through_the_service(county, client, login):
    login(county.admin_a)
    assert client.get(reverse("portal_staff:site_identity")).status_code == 403
    login(county.sysadmin)
    response = client.post(reverse("portal_staff:site_identity"), {**IDENTITY, "site_code": "123"})
    assert "网站标识码应为10位" in response.content.decode()
    response = client.post(reverse("portal_staff:site_identity"), IDENTITY)
    assert response.status_code == 302
    assert site_identity.current().site_code == "9801210001"
    assert AuditEntry.objects.get(action=Action.SITE_UPDATE).actor == county.sysadmin
