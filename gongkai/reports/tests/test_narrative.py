"""Sections 一/五/六: staff-written text replaces the generated draft; a missing section keeps the draft."""

from gongkai.reports.computation.schema import dumps, loads, unknown_keys
from gongkai.reports.rendering.drafting import DRAFT_NOTE, document, draft_text, paragraphs_of
from gongkai.reports.rendering.render_html import render_html
from gongkai.reports.tests.conftest import clean_report


def test_written_sections_replace_the_draft_and_drop_its_todo():
    report = clean_report()
    report["narrative"] = {"一": "本年度我办围绕政务公开重点工作……\n\n  第二段文字。 ", "五": "", "六": "无其他事项。"}
    sections = {s.heading[0]: s for s in document(report).sections}
    assert sections["一"].paragraphs == ["本年度我办围绕政务公开重点工作……", "第二段文字。"]
    assert sections["一"].todo == "" and sections["六"].todo == ""
    # 五 left blank: the generated draft and what staff must add stay visible.
    assert sections["五"].todo and "结转下年度" in sections["五"].paragraphs[0]


def test_fully_written_report_prints_without_draft_marks():
    report = clean_report()
    report["narrative"] = {"一": "甲。", "五": "乙。", "六": "丙。"}
    html = render_html(report)
    assert DRAFT_NOTE[:6] not in html and "甲。" in html and "丙。" in html


def test_draft_text_is_the_generated_paragraphs_one_per_line():
    report = clean_report()
    text = draft_text(report)
    assert paragraphs_of(text["一"]) == document(report).sections[0].paragraphs


def test_narrative_and_sources_survive_a_json_round_trip_and_are_known_keys():
    report = clean_report()
    report["narrative"] = {"一": "甲"}
    report["sources"] = {"active.licensing.decisions": "县政务服务平台导出"}
    again = loads(dumps(report))
    assert again == report and unknown_keys(again) == []
