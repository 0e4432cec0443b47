"""The staff pages: charts, tables, messages for bad input, who sees what."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def page(client, name, agency, status=200, **query):
    response = client.get(reverse(f"stats_staff:{name}", args=[agency.code]), query)
    assert response.status_code == status, response.content.decode()[:500]
    return response.content.decode()


def test_the_page_draws_three_charts_with_titles_captions_and_the_numbers_in_tables(quarter, login):
    html = page(login(quarter.admin_a), "index", quarter.agency_a, year="2025", part="Q3")
    assert "政府信息公开统计：2025年第三季度" in html
    assert html.count("<svg") == 3 and html.count("<figcaption") == 3 and "<script" not in html.split("<main")[-1]
    for title in ("各月主动公开信息发布数", "办结申请的办理结果（年度报告表三分组）", "各月到期未按时答复的申请数"):
        assert f">{title}</title>" in html
    assert '<title>9月：3条</title>' in html and '<title>8月：1件</title>' in html
    # the table under the chart: July, August, September, total
    assert re.search(r'<th scope="row">发布数</th><td class="num">1</td><td class="num">1</td><td class="num">3</td>'
                     r'<td class="num">5</td>', html)
    assert "按时发布率 <strong>60%</strong>" in html
    assert re.search(r"<dt>办理用时中位数</dt><dd>17<small> 个工作日", html)
    assert 'aria-current="page">统计与排名' in html


def test_a_bad_period_is_explained_in_chinese(world, login):
    client = login(world.admin_a)
    assert "季度应为1至4" in page(client, "index", world.agency_a, status=400, year="2025", part="Q5")
    assert "无法识别" in page(client, "index", world.agency_a, status=400, year="去年")
    assert "不在此范围内" in page(client, "index", world.agency_a, status=400, year="2099")


def test_a_supervisor_sees_a_subordinate_and_the_whole_area(quarter, login):
    client = login(quarter.supervisor)
    assert "主动公开发布" in page(client, "index", quarter.agency_b, year="2025", part="Q3")
    area = page(client, "index", quarter.county_gov, year="2025", part="Q3", sub="1")
    assert "汇总范围（3个机关）" in area and "下级机关季度排名" in area
    assert re.search(r"<dt>主动公开发布</dt><dd>5<small>", area)


def test_an_agencys_staff_cannot_open_another_agencys_statistics(world, login):
    client = login(world.admin_b)
    assert client.get(reverse("stats_staff:index", args=[world.agency_a.code])).status_code == 404
    assert client.get(reverse("stats_staff:ranking", args=[world.county_gov.code])).status_code == 404


def test_the_area_needs_the_right_to_see_every_agency_below(world, login):
    gov_admin = world.person("gov_admin", world.county_gov, "office_admin")
    response = login(gov_admin).get(reverse("stats_staff:index", args=[world.county_gov.code]), {"sub": "1"})
    assert response.status_code == 403 and "您无权查看" in response.content.decode()


def test_the_ranking_page_shows_the_rule_and_the_order(quarter, login):
    html = page(login(quarter.supervisor), "ranking", quarter.county_gov, year="2025", quarter="3")
    assert "测试县人民政府下级机关政府信息公开2025年第三季度排名" in html and "评分规则" in html
    table = html[html.index("参评机关"):]  # the ranking itself, not the agency switcher above it
    assert table.index("测试县财政局") < table.index("测试县教育局")
    assert reverse("stats_staff:ranking_xlsx", args=[quarter.county_gov.code, 2025, 3]) in html


def test_the_ranking_of_an_agency_without_subordinates_says_why(world, login):
    assert "没有下级机关" in page(login(world.admin_a), "ranking", world.agency_a, status=400, year="2025", quarter="3")


def test_the_ranking_downloads_as_a_workbook(quarter, login):
    client = login(quarter.supervisor)
    response = client.get(reverse("stats_staff:ranking_xlsx", args=[quarter.county_gov.code, 2025, 3]))
    assert response.status_code == 200 and response["Content-Type"].endswith("spreadsheetml.sheet")
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "测试县人民政府下级机关政府信息公开2025年第三季度排名"
    assert [sheet.cell(r, 4).value for r in (5, 6)] == ["测试县财政局", "测试县教育局"]


def test_a_quarter_out_of_range_in_the_download_address_is_explained(world, login):
    response = login(world.supervisor).get(reverse("stats_staff:ranking_xlsx", args=[world.county_gov.code, 2025, 9]))
    assert response.status_code == 400 and "季度应为1至4" in response.content.decode()


def test_the_page_query_count_is_bounded(quarter, login, django_assert_max_num_queries):
    client = login(quarter.supervisor)
    with django_assert_max_num_queries(30):
        page(client, "index", quarter.county_gov, year="2025", sub="1")
