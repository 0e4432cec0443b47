"""`gongkai report validate|build`: the spec's JSON, exit codes 0/1/2, stable error codes, permissions."""

import datetime as dt
import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.conftest import on
from gongkai.reports.computation import schema
from gongkai.reports.computation.compute import build_report
from gongkai.reports.tests.conftest import previous_of, register

# Reports for 2025 are built from applications received in 2025, in the spring after.
pytestmark = on(dt.date(2026, 3, 4))


def run(capsys, *args):
    """(stdout, CommandError or None) of one call."""
    try:
        call_command("report", *args)
        error = None
    except CommandError as exc:
        error = exc
    return capsys.readouterr().out, error


# --- validate ------------------------------------------------------------------------------------

def test_validate_json_of_a_clean_report_is_the_spec_shape_and_succeeds(capsys, write, report):
    out, error = run(capsys, "validate", write(report), "--previous", write(previous_of(report), "prev.json"), "--json")
    assert error is None
    assert json.loads(out) == {"ok": True, "violations": [], "not_checkable": [], "warnings": []}


def test_validate_json_of_a_broken_report_lists_the_violation_and_exits_1(capsys, write, report):
    report["review_litigation"]["review"]["total"] = 9
    out, error = run(capsys, "validate", write(report), "--json")
    assert error is not None and error.returncode == 1 and "REPORT_INCONSISTENT" in str(error)
    result = json.loads(out)
    assert list(result) == ["ok", "violations", "not_checkable", "warnings"]
    assert result["ok"] is False
    (violation,) = result["violations"]
    assert set(violation) == {"rule", "row", "column", "expected", "actual", "message"}
    assert (violation["rule"], violation["row"], violation["expected"], violation["actual"]) == ("R4", "review", 3, 9)


def test_validate_prints_plain_chinese_without_json(capsys, write, report):
    report["requests"]["carried_forward"]["natural"] = None
    out, error = run(capsys, "validate", write(report))
    assert error is None
    assert "某县人民政府办公室 2025年度" in out and "无法校验 2 处" in out and "结论：符合勾稽关系。" in out


def test_validate_blank_as_zero_flag(capsys, write, report):
    report["requests"]["denied_admin_query"]["other"] = None
    out, _ = run(capsys, "validate", write(report), "--json")
    assert json.loads(out)["not_checkable"]
    out, error = run(capsys, "validate", write(report), "--blank-as-zero", "--json")
    result = json.loads(out)
    assert error is None and result["not_checkable"] == []
    assert [(w["rule"], w["row"], w["column"]) for w in result["warnings"]] == [
        ("BLANK_AS_ZERO", "denied_admin_query", "other")]


@pytest.mark.parametrize("content, code", [
    (None, "REPORT_FILE_NOT_FOUND"),
    ("{not json", "REPORT_JSON_INVALID"),
    ('{"agency": "某县", "year": 2025, "format": "2007"}', "REPORT_FORMAT_UNKNOWN"),
])
def test_validate_a_file_that_is_not_a_report_exits_2_with_a_stable_code(capsys, write, tmp_path, content, code):
    path = str(tmp_path / "missing.json") if content is None else write(content)
    out, error = run(capsys, "validate", path, "--json")
    assert out == "" and error.returncode == 2
    assert json.loads(str(error))["error"]["code"] == code
    _out, error = run(capsys, "validate", path)
    assert str(error).startswith(f"{code}: ")


def test_validate_a_previous_file_that_is_missing_is_an_error_not_a_pass(capsys, write, report, tmp_path):
    _out, error = run(capsys, "validate", write(report), "--previous", str(tmp_path / "none.json"))
    assert error.returncode == 2 and "REPORT_FILE_NOT_FOUND" in str(error)


def test_the_real_command_line_exits_0_1_and_2(write, report):
    clean = write(report, "clean.json")
    report["review_litigation"]["review"]["total"] = 9
    broken = write(report, "broken.json")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "gongkai.settings_test"}

    def gongkai(*args):
        return subprocess.run([sys.executable, "-m", "gongkai", "report", "validate", *args, "--json"],
                              capture_output=True, text=True, env=env, timeout=120)

    ok, bad, unreadable = gongkai(clean), gongkai(broken), gongkai(clean + ".missing")
    assert (ok.returncode, bad.returncode, unreadable.returncode) == (0, 1, 2)
    assert json.loads(ok.stdout)["ok"] is True
    assert json.loads(bad.stdout)["violations"][0]["rule"] == "R4"
    assert unreadable.stdout == "" and "REPORT_FILE_NOT_FOUND" in unreadable.stderr


# --- build ---------------------------------------------------------------------------------------

@pytest.fixture
def recorded(world):
    register(world, received_on=dt.date(2025, 4, 1))
    register(world, received_on=dt.date(2025, 5, 1), agency=world.agency_b)
    return world


def test_build_prints_the_report_json_that_validates(capsys, recorded):
    out, error = run(capsys, "build", "--agency", recorded.agency_a.code, "--year", "2025", "--as", "drafter_a")
    assert error is None
    report = schema.loads(out)
    assert report == build_report(recorded.agency_a, 2025)
    assert report["requests"]["new"]["natural"] == 1 and report["requests"]["carried_forward"]["total"] == 1


def test_build_writes_the_output_file_and_validate_reads_it(capsys, recorded, tmp_path):
    target = tmp_path / "2025.json"
    out, error = run(capsys, "build", "--agency", recorded.agency_a.code, "--year", "2025", "--format", "json",
                     "--output", str(target), "--json")
    assert error is None
    assert json.loads(out) == {"output": str(target), "agency": "测试县财政局", "year": 2025,
                               "included_agencies": [{"code": recorded.agency_a.code, "name": "测试县财政局"}]}
    out, error = run(capsys, "validate", str(target), "--json")
    assert error is None and json.loads(out)["ok"] is True


def test_build_for_an_agency_the_user_cannot_see_looks_like_an_unknown_agency(capsys, recorded):
    for code in (recorded.agency_b.code, "NOSUCH999"):
        _out, error = run(capsys, "build", "--agency", code, "--year", "2025", "--as", "drafter_a")
        assert str(error).startswith("AGENCY_NOT_FOUND: ")


def test_a_supervisor_rolls_up_the_agencies_below(capsys, recorded):
    out, error = run(capsys, "build", "--agency", recorded.county_gov.code, "--year", "2025",
                     "--include-subordinates", "--as", "supervisor")
    assert error is None
    report = json.loads(out)
    assert len(report["included_agencies"]) == 3 and report["requests"]["new"]["total"] == 2


def test_a_roll_up_needs_sight_of_every_agency_below(capsys, recorded):
    recorded.person("gov_admin", recorded.county_gov, "office_admin")
    _out, error = run(capsys, "build", "--agency", recorded.county_gov.code, "--year", "2025", "--as", "gov_admin")
    assert error is None  # its own report is fine
    _out, error = run(capsys, "build", "--agency", recorded.county_gov.code, "--year", "2025",
                      "--include-subordinates", "--as", "gov_admin", "--json")
    payload = json.loads(str(error))["error"]
    assert payload["code"] == "PERMISSION_DENIED" and "测试县财政局" in payload["message"]


@pytest.mark.parametrize("year", ["2007", "2027"])
def test_build_refuses_a_year_that_cannot_have_a_report(capsys, recorded, year):
    _out, error = run(capsys, "build", "--agency", recorded.agency_a.code, "--year", year)
    assert str(error).startswith("REPORT_YEAR_INVALID: ")


def test_the_current_year_is_built_with_a_note_that_it_is_not_over(capsys, recorded):
    out, _error = run(capsys, "build", "--agency", recorded.agency_a.code, "--year", "2026")
    assert "尚未结束" in json.loads(out)["notes"][-1]


def test_build_html_prints_to_the_screen(capsys, recorded):
    out, error = run(capsys, "build", "--agency", recorded.agency_a.code, "--year", "2025", "--format", "html")
    assert error is None and out.startswith("<!DOCTYPE html>") and "测试县财政局2025年政府信息公开工作年度报告" in out


@pytest.mark.parametrize("fmt", ["docx", "pdf", "xlsx"])
def test_build_binary_formats_require_an_output_file(capsys, recorded, fmt):
    out, error = run(capsys, "build", "--agency", recorded.agency_a.code, "--year", "2025", "--format", fmt)
    assert out == "" and str(error).startswith("REPORT_OUTPUT_REQUIRED: ")
    _out, error = run(capsys, "build", "--agency", recorded.agency_a.code, "--year", "2025", "--format", fmt, "--json")
    assert json.loads(str(error))["error"]["code"] == "REPORT_OUTPUT_REQUIRED"


@pytest.mark.parametrize(("fmt", "magic"), [("docx", b"PK"), ("xlsx", b"PK"), ("html", b"<!DOCTYPE html>")])
def test_build_writes_each_format_to_the_output_file(capsys, recorded, tmp_path, fmt, magic):
    target = tmp_path / f"2025.{fmt}"
    out, error = run(capsys, "build", "--agency", recorded.agency_a.code, "--year", "2025", "--format", fmt,
                     "--output", str(target))
    assert error is None and f"（{fmt}）" in out
    assert target.read_bytes().startswith(magic)


def test_build_refuses_an_unknown_format(capsys, recorded):
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("report", "build", "--agency", recorded.agency_a.code, "--year", "2025", "--format", "odt")
