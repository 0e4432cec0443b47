import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("stats", *args, stdout=out)
    return out.getvalue()


def test_show_prints_the_figures_as_json(quarter):
    data = json.loads(run("show", "--agency", quarter.agency_a.code, "--period", "2025-Q3", "--as", "admin_a", "--json"))
    assert data["period"] == {"code": "2025-Q3", "label": "2025年第三季度", "kind": "quarter", "year": 2025, "number": 3,
                              "start": "2025-07-01", "end": "2025-09-30"}
    assert data["published"]["total"] == 5 and data["timeliness"]["share"] == 0.6
    apps = data["applications"]
    assert (apps["received"], apps["closed"], apps["overdue"], apps["handling"]["median_working_days"]) == (3, 3, 2, 17)
    assert data["fees"] == {"notices": 0, "charged_yuan": 0, "paid": 0, "paid_yuan": 0}
    assert data["included_agencies"] == [{"code": "TESTFIN01", "name": "测试县财政局"}]


def test_show_prints_plain_chinese_by_default(quarter):
    text = run("show", "--agency", quarter.county_gov.code, "--period", "2025-Q3", "--include-subordinates")
    assert "政府信息公开统计：测试县人民政府（含下级机关） 2025年第三季度" in text
    assert "主动公开发布 5 条；20个工作日内发布 3 条（60.0%）" in text
    assert "办理用时中位数 17 个工作日" in text


@pytest.mark.parametrize(("args", "code"), [
    (["--period", "2025-Q5"], "STATS_QUARTER_INVALID"),
    (["--period", "上季度"], "STATS_PERIOD_INVALID"),
    (["--period", "2025", "--as", "admin_b"], "AGENCY_NOT_FOUND"),
    (["--period", "2025", "--as", "nobody"], "USER_NOT_FOUND"),
])
def test_bad_input_fails_with_a_stable_code(world, args, code):
    with pytest.raises(CommandError) as failure:
        run("show", "--agency", world.agency_a.code, *args, "--json")
    assert json.loads(str(failure.value))["error"]["code"] == code
    with pytest.raises(CommandError, match=f"^{code}: "):
        run("show", "--agency", world.agency_a.code, *args)


def test_ranking_as_json_and_to_a_workbook(quarter, tmp_path):
    target = tmp_path / "排名.xlsx"
    data = json.loads(run("ranking", "--agency", quarter.county_gov.code, "--quarter", "2025-Q3", "--as", "supervisor",
                          "--output", str(target), "--json"))
    assert [(r["rank"], r["code"], r["score"]) for r in data["rows"]] == [(1, "TESTFIN01", 84.0), (2, "TESTEDU01", 0.0)]
    assert data["output"] == str(target)
    assert load_workbook(target).active["A1"].value.endswith("2025年第三季度排名")
    text = run("ranking", "--agency", quarter.county_gov.code, "--quarter", "2025-Q3")
    assert "1\t84.00\t5\t3\t测试县财政局（TESTFIN01）" in text


def test_ranking_refused_to_an_office_admin_without_the_supervisor_role(world):
    world.person("gov_admin", world.county_gov, "office_admin")
    with pytest.raises(CommandError, match="^PERMISSION_DENIED: .*测试县财政局"):
        run("ranking", "--agency", world.county_gov.code, "--quarter", "2025-Q3", "--as", "gov_admin")
    with pytest.raises(CommandError, match="^AGENCY_NOT_FOUND: "):
        run("ranking", "--agency", world.county_gov.code, "--quarter", "2025-Q3", "--as", "admin_a")
