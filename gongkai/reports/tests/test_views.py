"""Staff pages of the annual report: /staff/a/<code>/reports/ and its downloads."""

import datetime as dt
import io

import pytest
from django.urls import reverse

from gongkai.reports.tests.conftest import register

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(world):
    register(world, received_on=dt.date(2025, 4, 1))
    return world


def test_the_page_shows_the_tables_and_the_checks_to_the_agencys_staff(recorded, login):
    client = login(recorded.drafter_a)
    page = client.get(reverse("reports_staff:index", args=[recorded.agency_a.code]), {"year": 2025})
    assert page.status_code == 200
    html = page.content.decode()
    assert "表三　收到和处理政府信息公开申请情况" in html and "勾稽关系校验" in html
    assert "未发现不符合勾稽关系之处" in html
    assert reverse("reports_staff:download", args=[recorded.agency_a.code, 2025, "docx"]) in html
    assert "含下级机关" not in html  # a department without subordinates


def test_the_nav_links_to_the_reports_page(recorded, login):
    page = login(recorded.drafter_a).get(reverse("staff:home")).content.decode()
    assert reverse("reports_staff:index", args=[recorded.agency_a.code]) in page


def test_another_agencys_staff_get_404(recorded, login):
    client = login(recorded.drafter_b)
    assert client.get(reverse("reports_staff:index", args=[recorded.agency_a.code])).status_code == 404
    url = reverse("reports_staff:download", args=[recorded.agency_a.code, 2025, "xlsx"])
    assert client.get(url).status_code == 404


def test_a_year_out_of_range_is_a_message_on_the_page(recorded, login):
    page = login(recorded.drafter_a).get(reverse("reports_staff:index", args=[recorded.agency_a.code]),
                                         {"year": "2001"})
    assert page.status_code == 200 and "报告年度应为2008年" in page.content.decode()


def test_a_supervisor_rolls_up_subordinates(recorded, login):
    client = login(recorded.supervisor)
    url = reverse("reports_staff:index", args=[recorded.county_gov.code])
    page = client.get(url, {"year": 2025, "sub": "1"}).content.decode()
    assert "含下级机关" in page and "汇总范围" in page and "测试县财政局" in page
    download = client.get(reverse("reports_staff:download", args=[recorded.county_gov.code, 2025, "json"]) + "?sub=1")
    assert download.json()["requests"]["new"]["total"] == 1


def test_a_roll_up_without_sight_of_every_subordinate_is_403(recorded, login):
    admin = recorded.person("gov_admin", recorded.county_gov, "office_admin")
    response = login(admin).get(reverse("reports_staff:index", args=[recorded.county_gov.code]),
                                {"year": 2025, "sub": "1"})
    assert response.status_code == 403


@pytest.mark.parametrize(("fmt", "content_type"), [
    ("json", "application/json"), ("html", "text/html"), ("docx", "wordprocessingml"), ("xlsx", "spreadsheetml")])
def test_downloads_in_each_format(recorded, login, fmt, content_type):
    response = login(recorded.drafter_a).get(
        reverse("reports_staff:download", args=[recorded.agency_a.code, 2025, fmt]))
    assert response.status_code == 200 and content_type in response["Content-Type"]
    assert "filename" in response["Content-Disposition"]
    if fmt == "docx":
        from docx import Document

        text = "\n".join(c.text for t in Document(io.BytesIO(response.content)).tables for r in t.rows for c in r.cells)
        assert "本年新收政府信息公开申请数量" in text


def test_an_unknown_format_is_404(recorded, login):
    url = reverse("reports_staff:download", args=[recorded.agency_a.code, 2025, "odt"])
    assert login(recorded.drafter_a).get(url).status_code == 404
