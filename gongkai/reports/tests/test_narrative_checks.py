"""Sections 一/五/六 as published: no drafting prompt or placeholder left in the text (filing,
publishing and `report validate` refuse it, naming the sentence), drafts that state facts only,
the structure of a real report, and the 内容雷同 warning between agencies."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from gongkai.errors import ServiceError
from gongkai.reports.computation.narrative import leftovers, narrative_findings, similarity
from gongkai.reports.filing import filing
from gongkai.reports.rendering.drafting import OPENING, PROMPTS, document, draft_text
from gongkai.reports.rendering.render_html import render_html
from gongkai.reports.tests.conftest import clean_report
from gongkai.reports.tests.test_filing import ready

PROMPT = "本年度结转下年度继续办理的申请2件，请说明是否均在法定期限内。"


@pytest.mark.parametrize("text", [
    PROMPT,
    "表二行政事业性收费本年收费金额为1.2万元（与政府信息公开信息处理费不同，请分别说明）。",
    "本年度共培训××人次。",
    "【待填写】",
    "信息处理费收取情况：（此处填写收费情况）",
])
def test_prompts_and_placeholders_are_found_sentence_by_sentence(text):
    found = leftovers("本年度工作平稳有序。" + text)
    assert found and "本年度工作平稳有序" not in found[0]


def test_ordinary_report_sentences_are_not_taken_for_prompts():
    text = ("本年度未收取政府信息公开信息处理费。申请人请求公开的信息已依法答复。"
            "XX路改造项目信息已公开。2025年1月1日起施行。")
    assert leftovers(text.replace("XX路", "人民路")) == []


def test_generated_drafts_hold_facts_only_and_prompts_are_separate():
    drafts = draft_text(clean_report())
    for number, text in drafts.items():
        assert leftovers(text) == [], (number, leftovers(text))
    assert set(PROMPTS) >= {"一", "五", "六", OPENING}
    assert not any(word in text for text in drafts.values() for word in ("请说明", "请补充", "请写明", "【"))


def test_section_one_is_organised_by_the_five_headings_and_the_report_ends_with_agency_and_date():
    report = {**clean_report(), "dated": "2026-01-20", "agency_code": "A1",
              "included_agencies": [{"code": "A1", "name": "某县人民政府办公室"}]}
    doc = document(report)
    one = next(s for s in doc.sections if s.heading.startswith("一"))
    headings = [text for text, is_heading in one.blocks if is_heading]
    assert headings[0] == "（一）主动公开" and headings[1] == "（二）依申请公开" and headings[-1].endswith("监督保障")
    assert doc.opening and "统计期限自2025年1月1日起至2025年12月31日止" in doc.opening[0]
    html = render_html(report)
    assert "格式编制" not in html and "国办公开办函" not in html
    assert html.rindex("2026年1月20日") > html.rindex("六、其他需要报告的事项")


def test_zero_appeals_are_stated_in_one_sentence_and_no_regulation_line_without_regulations():
    report = clean_report()
    for cells in report["review_litigation"].values():
        for column in cells:
            cells[column] = 0
    report["active"]["regulations"] = {"issued": 0, "repealed": 0, "in_force": 0}
    text = "\n".join(draft_text(report)["一"].splitlines())
    assert "维持0件" not in text and "未发生因政府信息公开被申请行政复议或者被提起行政诉讼的情况" in text
    assert "规章" not in text


def test_validate_command_refuses_a_prompt_left_in_the_narrative(capsys, write):
    report = clean_report()
    report["narrative"] = {"一": "本年度工作有序。", "五": PROMPT, "六": "无。"}
    with pytest.raises(CommandError) as refused:
        call_command("report", "validate", write(report), "--json")
    out = json.loads(capsys.readouterr().out)
    assert refused.value.returncode == 1 and "起草提示" in str(refused.value)
    (finding,) = [v for v in out["violations"] if v["rule"] == "N1"]
    assert finding["section"] == "五" and finding["sentence"] == PROMPT


def test_filing_refuses_a_report_whose_text_still_holds_a_prompt_and_names_it(world):
    report = ready(world)
    report = filing.save_narrative(actor=world.drafter_a, report=report, narrative={"五": "存在问题。\n" + PROMPT})
    codes = [p.code for p in filing.readiness(report)]
    assert "REPORT_NARRATIVE_PROMPT" in codes and "REPORT_HAS_VIOLATIONS" not in codes
    with pytest.raises(ServiceError) as refused:
        filing.send_for_review(actor=world.drafter_a, report=report)
    assert refused.value.code == "REPORT_NARRATIVE_PROMPT" and PROMPT in refused.value.message
    report = filing.save_narrative(actor=world.drafter_a, report=report, narrative={"五": "存在问题：答复说理不够充分。"})
    assert filing.send_for_review(actor=world.drafter_a, report=report).status == "in_review"


def test_publishing_refuses_text_with_a_placeholder_even_if_it_got_past_filing(world):
    from gongkai.reports.filing import publishing

    report = ready(world)
    report.data = {**report.data, "narrative": {**report.data["narrative"], "六": "培训××人次。"}}
    report.status = "accepted"
    report.save(update_fields=["data", "status"])  # as if changed outside the services
    with pytest.raises(ServiceError) as refused:
        publishing.publish(actor=world.admin_a, report=report)
    assert refused.value.code == "REPORT_NARRATIVE_PROMPT" and "培训××人次" in refused.value.message


def test_near_identical_sections_of_two_agencies_are_flagged(world):
    same = "本年度，本局重点公开预算决算和惠民补贴资金信息，按季度更新公开目录，依申请公开均按期答复。"
    ours = ready(world)
    ours = filing.save_narrative(actor=world.drafter_a, report=ours, narrative={"一": same})
    theirs = ready(world, world.agency_b, actor=world.drafter_b)
    filing.save_narrative(actor=world.drafter_b, report=theirs, narrative={"一": same.replace("本局", "我局")})
    (flag,) = [f for f in filing.similar_reports(ours) if f["section"] == "一"]
    assert flag["agency"] == world.agency_b.name and flag["section"] == "一" and flag["ratio"] > 0.9
    with override_settings(GONGKAI_NARRATIVE_SIMILARITY=0.99):
        assert [f for f in filing.similar_reports(ours) if f["section"] == "一"] == []


def test_similarity_ignores_names_and_numbers():
    a = "2025年，县财政局主动公开政府信息120条，办理申请15件。"
    b = "2025年，县民政局主动公开政府信息37条，办理申请4件。"
    assert similarity(a, b, a_name="县财政局", b_name="县民政局") == 1.0
    assert narrative_findings({**clean_report(), "narrative": {"一": a}}) == []


def test_rollup_title_and_note_say_what_it_covers():
    report = clean_report()
    report["included_agencies"] = [{"code": "A1", "name": "某县人民政府办公室"}, {"code": "A2", "name": "某县财政局"}]
    doc = document(report)
    assert "汇总" in doc.title and "2个机关" in doc.title
    assert "某县财政局" in doc.coverage and "不是" in doc.coverage and doc.signed_by == ""

