"""`gongkai report import`: an uploaded report stored as it came; build → validate → import is lossless."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.audit.models import AuditEntry
from gongkai.orgs import services
from gongkai.reports.models import AnnualReport, ReportOrigin, ReportStatus
from gongkai.reports.tests.conftest import clean_report, register

pytestmark = pytest.mark.django_db


def run(capsys, *args):
    try:
        call_command("report", *args)
        error = None
    except CommandError as exc:
        error = exc
    return capsys.readouterr().out, error


@pytest.fixture
def other_county(world):
    """A second county whose government receives reports from agencies it does not have on the platform."""
    area = services.area_create(actor=None, name="测试二县", code="980122", level="county", parent=world.city)
    world.other_gov = services.agency_create(actor=None, name="测试二县人民政府", code="TESTGOV02", kind="government",
                                             area=area)
    world.other_supervisor = world.person("sup_other", world.other_gov, "supervisor")
    register(world, received_on=dt.date(2025, 4, 1))
    register(world, received_on=dt.date(2019, 5, 6))
    return world


@pytest.mark.parametrize("year", [2025, 2019, 2012])  # the 2021 tables, the 2019 trial tables, the 2008 outline
def test_build_validate_import_is_lossless(capsys, tmp_path, other_county, year):
    built = tmp_path / "built.json"
    out, error = run(capsys, "build", "--agency", other_county.agency_a.code, "--year", str(year),
                     "--output", str(built), "--as", "drafter_a")
    assert error is None, error
    _out, error = run(capsys, "validate", str(built), "--json")
    assert error is None or error.returncode == 1  # it was read and checked
    out, error = run(capsys, "import", str(built), "--office", "testgov02", "--as", "sup_other", "--json")
    assert error is None, error
    result = json.loads(out)
    stored = AnnualReport.objects.get(pk=result["report"])
    assert stored.data == json.loads(built.read_text(encoding="utf-8"))
    assert (stored.agency, stored.filed_with, stored.origin, stored.status, stored.year) == (
        None, other_county.other_gov, ReportOrigin.UPLOADED, ReportStatus.SUBMITTED, year)
    assert result["office"] == "TESTGOV02" and set(result["check"]) == {"ok", "violations", "not_checkable",
                                                                         "warnings"}


def test_staff_work_and_unknown_keys_survive_the_round_trip(capsys, tmp_path, other_county):
    path = tmp_path / "report.json"
    run(capsys, "build", "--agency", other_county.agency_a.code, "--year", "2025", "--output", str(path))
    report = json.loads(path.read_text(encoding="utf-8"))
    assert {"agency_code", "included_agencies", "notes"} <= set(report)
    # what a filed working copy carries besides (filing.save_narrative / save_table_cells)
    report["narrative"] = {"一": "本年度总体情况。\n第二段。", "五": "问题。", "六": "无。"}
    report["sources"] = {"active.licensing.decisions": "县政务服务平台导出"}
    report["active"]["licensing"]["decisions"] = 120
    report["active"]["fees"]["amount_10k_yuan"] = 12.5
    report["requests"]["granted"]["foreign_org"] = 0  # unknown column
    report["requests"]["denied_subtotal"] = {"natural": None}  # an optional row, blank
    report["x_publisher"] = {"url": "https://example.gov.cn/2025", "checked": [1, 2.5, None, True]}
    path.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    out, error = run(capsys, "validate", str(path), "--json")
    assert any(w.get("key") == "x_publisher" for w in json.loads(out)["warnings"])
    out, error = run(capsys, "import", str(path), "--office", "TESTGOV02", "--as", "sup_other")
    assert error is None, error
    stored = AnnualReport.objects.get()
    assert stored.data == report
    assert "已录入" in out and "x_publisher" in out
    entry = AuditEntry.objects.get(object_type="reports.annualreport", object_id=str(stored.pk))
    assert (entry.action, entry.actor, entry.agency) == ("create", other_county.other_supervisor,
                                                         other_county.other_gov)


def test_an_agency_on_the_platform_below_the_office_is_refused(capsys, tmp_path, other_county):
    path = tmp_path / "report.json"
    run(capsys, "build", "--agency", other_county.agency_a.code, "--year", "2025", "--output", str(path))
    _out, error = run(capsys, "import", str(path), "--office", other_county.county_gov.code, "--as", "supervisor")
    assert error.returncode == 1 and str(error).startswith("REPORT_AGENCY_ON_PLATFORM: ")
    assert not AnnualReport.objects.filter(agency__isnull=True).exists()


def _file(tmp_path, value) -> str:
    path = tmp_path / "r.json"
    path.write_text(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(("args", "code"), [
    (["--office", "TESTGOV01", "--as", "admin_a"], "AGENCY_NOT_FOUND"),  # a department cannot see its parent
    (["--office", "NOSUCH01", "--as", "supervisor"], "AGENCY_NOT_FOUND"),
    (["--office", "TESTGOV01", "--as", "nobody"], "USER_NOT_FOUND"),
    (["--office", "TESTGOV01", "--as", "supervisor", "--agency-name", "别的机关"], "REPORT_AGENCY_MISMATCH"),
])
def test_refusals_exit_1_with_a_stable_code(capsys, tmp_path, world, args, code):
    _out, error = run(capsys, "import", _file(tmp_path, clean_report()), *args)
    assert error is not None and error.returncode == 1 and str(error).startswith(f"{code}: ")
    assert not AnnualReport.objects.exists()


def test_an_office_member_without_the_right_to_accept_reports_is_refused(capsys, tmp_path, world):
    world.person("gov_drafter", world.county_gov, "drafter")
    _out, error = run(capsys, "import", _file(tmp_path, clean_report()), "--office", "TESTGOV01",
                      "--as", "gov_drafter", "--json")
    assert error.returncode == 1 and json.loads(str(error))["error"]["code"] == "PERMISSION_DENIED"


@pytest.mark.parametrize(("content", "code"), [
    ("{oops", "REPORT_JSON_INVALID"), ('{"format": "2030"}', "REPORT_FORMAT_UNKNOWN"), (None, "REPORT_FILE_NOT_FOUND"),
])
def test_unreadable_files_exit_1(capsys, tmp_path, world, content, code):
    path = _file(tmp_path, content) if content else str(tmp_path / "missing.json")
    _out, error = run(capsys, "import", path, "--office", "TESTGOV01", "--json")
    assert error.returncode == 1 and json.loads(str(error))["error"]["code"] == code


def test_a_file_without_a_name_takes_agency_name_and_twice_is_refused(capsys, tmp_path, world):
    report = clean_report()
    del report["agency"]
    path = _file(tmp_path, report)
    out, error = run(capsys, "import", path, "--office", "TESTGOV01", "--agency-name", "测试县某某镇人民政府", "--json")
    assert error is None and json.loads(out)["agency_name"] == "测试县某某镇人民政府"
    _out, error = run(capsys, "import", path, "--office", "TESTGOV01", "--agency-name", "测试县某某镇人民政府")
    assert str(error).startswith("REPORT_ALREADY_RECORDED: ")
