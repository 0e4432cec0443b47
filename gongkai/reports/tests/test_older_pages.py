"""The staff report pages for years of every format: preview, checks, downloads, a working copy."""

import datetime as dt

import pytest
from django.urls import reverse

from gongkai.reports.tests.conftest import register

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("year", "shown"), [
    (2015, "主动公开政府信息分类统计"), (2019, "其他对外管理服务事项"), (2020, "政府集中采购"), (2023, "本年制发件数")])
def test_the_preview_page_and_downloads_work_for_every_format(world, login, year, shown):
    register(world, received_on=dt.date(year, 4, 1))
    client = login(world.drafter_a)
    page = client.get(reverse("reports_staff:index", args=[world.agency_a.code]), {"year": year})
    assert page.status_code == 200
    html = page.content.decode()
    assert shown in html and "勾稽关系校验" in html
    if year == 2015:
        assert "R1-R6,W1" in html and "不适用" in html
    for fmt in ("json", "html", "docx", "xlsx"):
        response = client.get(reverse("reports_staff:download", args=[world.agency_a.code, year, fmt]))
        assert response.status_code == 200, fmt


@pytest.mark.parametrize("year", [2015, 2019])
def test_a_working_copy_of_an_older_year_opens(world, login, year):
    from gongkai.reports.models import AnnualReport

    client = login(world.admin_a)
    response = client.post(reverse("reports_staff:start", args=[world.agency_a.code]), {"year": year})
    assert response.status_code in (200, 302)
    report = AnnualReport.objects.get(agency=world.agency_a, year=year)
    assert report.data["format"] == {2015: "2008", 2019: "2019"}[year]
    page = client.get(reverse("reports_staff:filing", kwargs={"code": world.agency_a.code, "pk": report.pk}))
    assert page.status_code == 200
