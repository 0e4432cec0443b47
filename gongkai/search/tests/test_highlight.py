"""Highlighting marks the original text, never lets document text through as HTML."""

from gongkai.search.highlight import SNIPPET_CHARS, highlight_all, snippet
from gongkai.search.index import search
from gongkai.search.tests.conftest import doc


def test_script_tags_in_documents_come_out_escaped(index):
    index([doc("a", "<b>公开</b>", body='<script>alert("公开")</script>')])
    hit = search("公开").hits[0]
    assert hit.title_highlighted == "&lt;b&gt;<mark>公开</mark>&lt;/b&gt;"
    assert hit.snippet == "&lt;script&gt;alert(&quot;<mark>公开</mark>&quot;)&lt;/script&gt;"


def test_a_query_containing_markup_is_escaped_inside_the_mark(index):
    index([doc("a", body="a<b>c")])
    assert search("<b>").hits[0].snippet == "a<mark>&lt;b&gt;</mark>c"


def test_full_width_matches_are_marked_in_their_original_form():
    assert highlight_all("ＡＢＣ系统", "abc") == "<mark>ＡＢＣ</mark>系统"
    assert highlight_all("２０２６年", "2026") == "<mark>２０２６</mark>年"


def test_a_match_across_a_line_break_marks_the_whole_span():
    assert highlight_all("公开\n\n工作", "开 工") == "公<mark>开\n\n工</mark>作"


def test_every_occurrence_in_the_title_is_marked():
    assert highlight_all("公开与公开", "公开") == "<mark>公开</mark>与<mark>公开</mark>"


def test_the_snippet_is_a_window_around_the_first_body_match():
    body = "前" * 200 + "目标词" + "后" * 200
    html = snippet([body, ""], "目标词")
    assert html.startswith("…") and html.endswith("…")
    text = html.replace("<mark>", "").replace("</mark>", "").strip("…")
    assert "目标词" in text and len(text) == SNIPPET_CHARS


def test_the_snippet_falls_back_to_attachments_then_to_the_start_of_the_body():
    assert snippet(["正文", "附件里的预算表"], "预算") == "附件里的<mark>预算</mark>表"
    assert snippet(["正文内容", "附件"], "标题词") == "正文内容"
    assert snippet(["", "只有附件"], "标题词") == "只有附件"


def test_a_title_only_match_reports_in_title_and_shows_the_body_start(index):
    index([doc("a", "预算报告", body="第一段。")])
    hit = search("预算").hits[0]
    assert hit.in_title and hit.snippet == "第一段。"
