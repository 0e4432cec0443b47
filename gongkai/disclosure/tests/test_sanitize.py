"""Body HTML to plain text: what search indexes and the PII scan reads."""

import datetime as dt

import pytest

from gongkai.disclosure import search_sync
from gongkai.disclosure.sanitize import has_active_content, scannable_text, text_of
from gongkai.pii.detectors import scan
from gongkai.search.normalise import normalise


def test_paragraphs_become_lines_not_one_run_of_text():
    assert text_of("<p>2026年度</p><p>预算公开</p>") == "2026年度\n预算公开"


def test_line_breaks_list_items_headings_and_cells_separate_their_text():
    html = ("<h2>一、概况</h2>第一行<br>第二行<ul><li>甲</li><li>乙</li></ul>"
            "<table><tr><th>项目</th><td>金额</td></tr></table><div>结尾</div>")
    assert text_of(html).split("\n") == ["一、概况", "第一行", "第二行", "甲", "乙", "项目", "金额", "结尾"]


def test_inline_markup_does_not_split_words():
    assert text_of("<p>清<strong>河</strong>县<a href='https://example.cn/'>人民政府</a></p>") == "清河县人民政府"


def test_whitespace_inside_a_block_is_one_space_and_empty_blocks_vanish():
    assert text_of("<p>  关于 \n 做好\u3000工作&nbsp;的通知 </p>\n\n<p> </p><p></p><p>正文</p>") == "关于 做好 工作 的通知\n正文"


def test_entities_are_decoded_and_markup_in_text_stays_text():
    assert text_of("<p>a &lt;p&gt; b &amp; c</p>") == "a <p> b & c"


def test_script_and_comments_are_not_text():
    assert text_of("<p>甲</p><script>alert(1)</script><!-- 备注 --><p>乙</p>") == "甲\n乙"


def test_a_mobile_number_split_across_table_cells_is_not_a_pii_finding():
    # Two cells of a table, "1391234" and "5678": joined without a separator they read as 13912345678.
    assert scan(scannable_text("<table><tr><td>编号1391234</td><td>5678</td></tr></table>")) == []
    assert [f.kind for f in scan(scannable_text("<p>联系电话：13912345678</p>"))] == ["mobile"]


def test_a_query_spanning_two_paragraphs_does_not_match_the_indexed_text():
    document = search_sync.document(
        key="item:1", agency_code="X", index_number="", title="标题", summary="", public_body="<p>2026年度</p><p>预算公开</p>",
        document_number="", keywords="", attachments_text="", published_on=dt.date(2026, 3, 2), category="yjs",
        genre="tz", validity="valid", url="/",
    )
    indexed = normalise(document.body)
    assert "预算公开" in indexed and "年度预算" not in indexed


# Active content is what nh3 drops, not what a pattern of ours matches (these slipped past it).
@pytest.mark.parametrize("value", ["<svg/onload=alert(1)>", "<details open ontoggle=alert(1)>", "<style>x</style>",
                                   "<iframe src=https://x.cn>", "<a href=' javascript:alert(1)'>x</a>"])
def test_markup_nh3_would_strip_is_active(value):
    assert has_active_content(value)


@pytest.mark.parametrize("value", ["a < b", "<<政府信息公开条例>>", "<b>粗体</b>", "第一行<br>第二行", "A&B",
                                   "<a href='https://www.gov.cn/'>中国政府网</a>", "见 javascript: 一词"])
def test_plain_text_and_harmless_markup_are_not(value):
    assert not has_active_content(value)
