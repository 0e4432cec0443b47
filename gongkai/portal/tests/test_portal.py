import pytest
from django.urls import reverse

from gongkai.orgs import services

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"


def test_home_lists_governments_and_top_agencies(world, client):
    page = client.get(reverse("portal:home")).content.decode()
    assert "测试县人民政府" in page
    assert 'lang="zh-Hans"' in page and 'href="#main"' in page  # language and skip link for screen readers


def test_main_navigation_leads_to_applying_and_tracking(client, db):
    page = client.get(reverse("portal:home")).content.decode()
    nav = page[page.index('aria-label="主导航"'):page.index("</nav>", page.index('aria-label="主导航"'))]
    assert f'href="{reverse("apply:choose")}"' in nav and f'href="{reverse("apply:track")}"' in nav
    tracking = client.get(reverse("apply:track")).content.decode()
    assert '办理进度查询</a>' in tracking and 'aria-current="page">办理进度查询' in tracking


def test_agency_index_groups_agencies_by_area(world, client):
    response = client.get(reverse("portal:agency_index"))
    areas = dict((area.name, [a.name for a in agencies]) for area, agencies in response.context["areas"])
    assert areas == {"测试县": ["测试县人民政府", "测试县教育局", "测试县财政局"]}  # government first, then by code


def test_agency_page_shows_disclosure_office_contacts(world, client):
    page = client.get(reverse("portal:agency_detail", args=[world.agency_a.code])).content.decode()
    assert "政府信息公开工作机构" in page and "0999-1000001" in page and "人民路1号" in page
    assert "测试县人民政府" in page  # breadcrumb to the superior government


def test_agency_page_accepts_lower_case_codes_and_404s_unknown_ones(world, client):
    assert client.get(reverse("portal:agency_detail", args=[world.agency_a.code.lower()])).status_code == 200
    response = client.get(reverse("portal:agency_detail", args=["NOSUCH999"]))
    assert response.status_code == 404 and "页面不存在" in response.content.decode()


def test_deactivated_agencies_are_not_public(world, client):
    services.agency_update(actor=None, agency=world.agency_b, changes={"is_active": False})
    assert client.get(reverse("portal:agency_detail", args=[world.agency_b.code])).status_code == 404
    assert "测试县教育局" not in client.get(reverse("portal:agency_index")).content.decode()


def test_large_text_toggle_sets_and_clears_a_cookie(client):
    response = client.get(reverse("large_text"), {"next": "/agencies/"})
    assert response.status_code == 302 and response["Location"] == "/agencies/"
    assert response.cookies["gk_large_text"].value == "1"
    page = client.get(reverse("portal:home")).content.decode()
    assert 'class="large-text"' in page and "标准字号" in page
    response = client.get(reverse("large_text"))
    assert response.cookies["gk_large_text"].value == ""


def test_large_text_toggle_does_not_redirect_off_site(client):
    response = client.get(reverse("large_text"), {"next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_portal_pages_use_a_bounded_number_of_queries(world, client, django_assert_max_num_queries):
    for n in range(10):
        services.agency_create(actor=None, name=f"测试县第{n}局", code=f"TESTX{n:04d}", kind="department",
                               area=world.county, parent=world.county_gov)
    # Every portal page reads the site identity (footer, <meta> tags: portal/site_identity.py) once.
    with django_assert_max_num_queries(7):
        client.get(reverse("portal:agency_index"))
    with django_assert_max_num_queries(10):  # one of them lists the published annual reports
        client.get(reverse("portal:agency_detail", args=[world.county_gov.code]))


def test_rate_limit_uses_the_address_our_proxy_appended(rf, settings):
    from gongkai.web.ratelimit import allow, client_key

    settings.GONGKAI_TRUSTED_PROXIES = ["10.0.0.0/8"]
    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9", REMOTE_ADDR="10.0.0.1")
    assert client_key(request) == "203.0.113.9"
    spoofed = [rf.get("/", HTTP_X_FORWARDED_FOR=f"9.9.9.{n}, 203.0.113.9", REMOTE_ADDR="10.0.0.1") for n in range(3)]
    assert [allow(r, "t", limit=2, window_seconds=60) for r in spoofed] == [True, True, False]
    assert allow(request, "zero", limit=0, window_seconds=60) is False
