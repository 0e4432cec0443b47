"""The 2019 trial format and the 2008 outline: every output format, the JSON, the checks, the command."""

import copy
import io
import json

import pytest
from django.core.management import call_command
from docx import Document
from openpyxl import load_workbook

from gongkai.reports.computation import outline, schema
from gongkai.reports.computation.validate import validate
from gongkai.reports.rendering.drafting import DRAFT_NOTE, document, draft_text
from gongkai.reports.rendering.layout import placed, tables
from gongkai.reports.rendering.render_docx import render_docx
from gongkai.reports.rendering.render_html import render_html
from gongkai.reports.rendering.render_pdf import render_pdf
from gongkai.reports.rendering.render_xlsx import render_xlsx
from gongkai.reports.tests.conftest import clean_outline_report, clean_report, register

LABELS_2019 = ("第二十条第（一）项", "本年新制作数量", "本年新公开数量", "对外公开总数量", "规章", "规范性文件",
               "第二十条第（五）项", "上一年项目数量", "本年增/减", "处理决定数量", "行政许可", "其他对外管理服务事项",
               "第二十条第（六）项", "行政处罚", "行政强制", "第二十条第（八）项", "行政事业性收费",
               "第二十条第（九）项", "政府集中采购", "采购项目数量", "采购总金额")


def texts(grid):
    return [cell.text for line in grid.rows for cell in line]


# --- layout ----------------------------------------------------------------------------------------

def test_table_two_of_2019_prints_the_trial_forms_labels_and_signed_changes():
    grid = tables(clean_report("2019"))["二"]
    for label in LABELS_2019:
        assert label in texts(grid), label
    assert "本年制发件数" not in texts(grid) and "-3" in texts(grid) and "236.8" in texts(grid)
    assert "（六）其他处理" in texts(tables(clean_report("2019"))["三"])


def test_every_grid_of_the_outline_fills_its_rectangle():
    for grid in tables(clean_outline_report()).values():
        covered = set()
        for r, c, cell in placed(grid):
            spots = {(r + dr, c + dc) for dr in range(cell.rowspan) for dc in range(cell.colspan)}
            assert not spots & covered
            covered |= spots
        assert covered == {(r, c) for r in range(len(grid.rows)) for c in range(grid.columns)}


def test_the_outline_document_has_seven_sections_figures_and_drafts():
    doc = document(clean_outline_report())
    assert [s.heading for s in doc.sections] == list(outline.SECTION_HEADINGS)
    assert doc.format_name == "2007年《政府信息公开条例》（国务院令第492号）年度报告提纲"
    sections = {s.heading[0]: s for s in doc.sections}
    assert "政策文件12条，占30.0%" in sections["二"].paragraphs[0]
    assert "累计主动公开政府信息260条" in sections["二"].paragraphs[0]
    assert "同意公开3件" in "".join(sections["三"].paragraphs) and "网上申请3件" in "".join(sections["三"].paragraphs)
    assert "35元" in sections["四"].paragraphs[0] and "减免0件、0元" in sections["四"].paragraphs[0]
    assert all(sections[n].todo for n in ("一", "二", "六", "七")) and not sections["三"].todo
    assert sections["二"].table.title == "主动公开政府信息分类统计"
    assert texts(sections["二"].table)[-3:] == ["合计", "40", "100.0"]


def test_staff_text_replaces_the_outline_drafts_but_not_the_figures():
    report = clean_outline_report()
    report["narrative"] = {"一": "本年度概述。", "二": "上述信息在县政府网站和县档案馆查阅点公开。", "六": "问题。", "七": "无。"}
    sections = {s.heading[0]: s for s in document(report).sections}
    assert sections["二"].paragraphs[0].startswith("2015年，某县人民政府办公室主动公开政府信息40条")
    assert sections["二"].paragraphs[1] == "上述信息在县政府网站和县档案馆查阅点公开。"
    assert not any(s.todo for s in sections.values())
    assert DRAFT_NOTE[:6] not in render_html(report)
    assert set(draft_text(clean_outline_report())) == {"一", "二", "六", "七"}


def test_a_year_without_items_does_not_say_where_they_can_be_found():
    report = clean_outline_report()
    report["proactive"] = {"total": 0, "cumulative": 0, "categories": []}
    section = next(s for s in document(report).sections if s.heading.startswith("二"))
    assert len(section.paragraphs) == 1 and "没有发布主动公开的政府信息" in section.paragraphs[0]
    assert "现可在" not in render_html(report) and validate(report).violations == []


def test_a_blank_percentage_prints_blank_and_the_draft_says_so():
    report = clean_outline_report()
    report["proactive"]["categories"][0]["percent"] = None
    report["fees"]["waived"] = {"cases": None, "yuan": None}
    sections = {s.heading[0]: s for s in document(report).sections}
    assert "占（空白）%" in sections["二"].paragraphs[0] and "减免（空白）件" in sections["四"].paragraphs[0]
    assert texts(sections["二"].table)[-1] == ""


# --- every renderer --------------------------------------------------------------------------------

@pytest.mark.parametrize("report", [clean_report("2019"), clean_outline_report()], ids=["2019", "2008"])
def test_html_docx_xlsx_and_pdf_open(report):
    html = render_html(report)
    assert report["format"] in ("2019", "2008") and "某县人民政府办公室" in html
    word = Document(io.BytesIO(render_docx(report)))
    word_text = "\n".join([p.text for p in word.paragraphs] + [c.text for t in word.tables for r in t.rows
                                                               for c in r.cells])
    workbook = load_workbook(io.BytesIO(render_xlsx(report)))
    sheet_values = [c.value for sheet in workbook for row in sheet.iter_rows() for c in row]
    pdf = render_pdf(report)
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 1
    if report["format"] == "2019":
        for label in LABELS_2019:
            assert label in html and label in word_text and label in sheet_values, label
        # No subtitle naming the format document: the published report is the agency's, not a form.
        assert "国办公开办函" not in reader.pages[0].extract_text()
    else:
        for heading in ("一、概述", "四、政府信息公开的收费及减免情况", "七、其他需要报告的事项"):
            assert heading in html and heading in word_text
        assert workbook.sheetnames == ["二 主动公开分类", "三 依申请公开", "四 收费及减免", "五 复议诉讼"]
        assert {"概况信息", 7.5, "　　　　同意部分公开", "减免费用"} <= set(sheet_values)
        assert "主动公开政府信息情况" in "".join(page.extract_text() for page in reader.pages)


# --- JSON ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("report", [clean_report("2019"), clean_outline_report()], ids=["2019", "2008"])
def test_json_round_trip_is_lossless_and_knows_every_key(report):
    report["narrative"] = {"一": "甲"}
    report["sources"] = {"active.licensing.decisions": "政务服务平台"}
    again = schema.loads(schema.dumps(report))
    assert again == report and list(again) == list(report) and schema.unknown_keys(again) == []
    assert validate(again).as_dict() == validate(report).as_dict()


def test_unknown_keys_are_exact_per_format():
    report_2019 = clean_report("2019")
    report_2019["active"]["regulations"]["issued"] = 1  # a 2021 column in a 2019 table
    report_2019["active"]["fees"]["amount_10k_yuan"] = 3
    assert schema.unknown_keys(report_2019) == ["active.regulations.issued", "active.fees.amount_10k_yuan"]
    report_2021 = clean_report("2021")
    report_2021["active"]["procurement"] = {"projects": 1}
    assert schema.unknown_keys(report_2021) == ["active.procurement"]
    outline = clean_outline_report()
    outline["proactive"]["categories"][1]["colour"] = "red"
    outline["requests"]["channels"]["wechat"] = 1
    outline["fees"]["waived"]["reason"] = "困难群众"
    outline["active"] = {}
    assert schema.unknown_keys(outline) == ["active", "proactive.categories[1].colour", "requests.channels.wechat",
                                            "fees.waived.reason"]


# --- checks of the outline -------------------------------------------------------------------------

def findings(result):
    return [(v["rule"], v["row"]) for v in result.violations]


def test_a_clean_outline_passes_and_says_the_r_rules_do_not_apply():
    result = validate(clean_outline_report())
    assert result.violations == [] and result.warnings == []
    assert [e["rule"] for e in result.not_checkable] == ["R1-R6,W1"]


def test_percentages_that_do_not_add_up_to_100_are_a_violation():
    report = clean_outline_report()
    report["proactive"]["categories"][2]["percent"] = 54.9  # 7.5 + 30.0 + 54.9 + 7.5 = 99.9
    result = validate(report)
    assert findings(result) == [("O2", "proactive.categories"), ("O3", "proactive.categories[2].percent")]
    assert "99.9" in result.violations[0]["message"]


def test_negative_or_fractional_counts_are_violations_money_may_have_fen():
    report = clean_outline_report()
    report["requests"]["channels"]["fax"] = -1
    report["requests"]["channels"]["post"] = 2
    report["fees"]["charged"]["yuan"] = 35.5
    report["fees"]["charged"]["cases"] = 1.5
    assert findings(validate(report)) == [("O1", "requests.channels.fax"), ("O1", "fees.charged.cases")]


def test_parts_that_do_not_add_up_to_their_whole_are_violations():
    report = clean_outline_report()
    report["proactive"]["total"] = 41
    report["requests"]["outcomes"]["denied"] = 1
    report["review_litigation"]["review"]["total"] = 2
    assert findings(validate(report)) == [("O4", "proactive.categories"), ("O4", "requests.outcomes"),
                                          ("O4", "review_litigation.review")]


def test_blank_figures_are_not_checkable_unless_read_as_zero():
    report = clean_outline_report()
    report["requests"]["channels"]["online"] = None
    report["requests"]["received"] = 3
    report["requests"]["carried_over"] = 4
    result = validate(report)
    assert result.violations == []
    assert ("O4", "requests.channels") in [(e["rule"], e["row"]) for e in result.not_checkable]
    zero = validate(report, blank_as_zero=True)
    assert [w["rule"] for w in zero.warnings] == ["BLANK_AS_ZERO"] and zero.not_checkable[1:] == []


def test_an_outline_without_proactive_figures_is_not_checkable_not_a_crash():
    report = copy.deepcopy(clean_outline_report())
    del report["proactive"]
    report["requests"] = "无"
    result = validate(report)
    assert result.violations == [] and len(result.not_checkable) > 1
    assert render_html(report) and render_xlsx(report) and render_docx(report)


# --- the command line -------------------------------------------------------------------------------

@pytest.mark.parametrize(("year", "fmt"), [(2015, "2008"), (2019, "2019")])
def test_report_build_for_an_older_year_from_the_command_line(world, capsys, tmp_path, year, fmt):
    import datetime as dt

    register(world, received_on=dt.date(year, 5, 6))
    call_command("report", "build", "--agency", world.agency_a.code, "--year", str(year))
    report = json.loads(capsys.readouterr().out)
    assert (report["year"], report["format"]) == (year, fmt)
    for output in ("html", "docx", "pdf", "xlsx"):
        path = tmp_path / f"r.{output}"
        call_command("report", "build", "--agency", world.agency_a.code, "--year", str(year), "--format", output,
                     "--output", str(path))
        assert path.stat().st_size > 1000
    capsys.readouterr()
    (tmp_path / "r.json").write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    call_command("report", "validate", str(tmp_path / "r.json"), "--json")
    assert json.loads(capsys.readouterr().out)["ok"] is True
