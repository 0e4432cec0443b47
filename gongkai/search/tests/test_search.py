"""Searching: what is found, in which order, with which filters, and how the index follows edits."""

import pytest
from django.db import transaction

from gongkai.errors import ServiceError
from gongkai.search.index import rebuild, remove_documents, search
from gongkai.search.tests.conftest import doc, keys


def test_a_query_that_crosses_a_word_boundary_is_found(index):
    index([doc("a", "关于做好政务公开工作的通知"), doc("b", "开展工作")])
    assert keys("开工作") == ["a"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [("政", ["a", "b"]), ("公开", ["a", "c"]), ("开工作", ["a"]), ("信息公开", ["c"]), ("政务公开工作", ["a"])],
)
def test_queries_of_one_to_six_characters(index, query, expected):
    index([doc("a", body="政务公开工作要点"), doc("b", body="政策解读"), doc("c", body="依申请信息公开")])
    assert sorted(keys(query)) == expected


def test_full_width_and_upper_case_forms_match_their_plain_forms(index):
    index([doc("latin", body="关于ABC系统的说明"), doc("digits", body="２０２６年度报告"),
           doc("wide", body="ＧＤＰ增长")])
    assert keys("ＡＢＣ") == ["latin"]
    assert keys("abc") == ["latin"]
    assert keys("2026") == ["digits"]
    assert keys("gdp") == ["wide"]


def test_line_breaks_and_spaces_in_documents_count_as_one_space(index):
    index([doc("a", body="公开\n\n  工作"), doc("b", body="公开\u3000工作"), doc("c", body="公开工作")])
    assert sorted(keys("公开 工作")) == ["a", "b"]
    assert keys("开 工") == ["b", "a"]  # same time: key, descending


def test_a_match_never_spans_two_fields(index):
    index([doc("a", "关于公开", body="工作安排", attachments="附件")])
    assert keys("开工") == []
    assert keys("排附") == []
    assert keys("安排") == ["a"]
    assert keys("附件") == ["a"]


def test_attachment_text_is_searched(index):
    index([doc("a", body="见附件", attachments="二〇二六年预算表")])
    assert keys("预算表") == ["a"]


def test_title_matches_come_first_then_newest(index):
    index([
        doc("old-title", "预算公开", day=1), doc("new-body", body="预算公开", day=9),
        doc("new-title", "部门预算", day=5), doc("newest-body", body="年度预算", day=20),
    ])
    hits = search("预算").hits
    assert [h.key for h in hits] == ["new-title", "old-title", "newest-body", "new-body"]
    assert [h.in_title for h in hits] == [True, True, False, False]


def test_order_within_a_day_follows_the_time_of_day_then_the_key(index):
    index([doc("b", body="公开", hour=9), doc("a", body="公开", hour=9), doc("c", body="公开", hour=8),
           doc("d", body="公开", hour=10)])
    assert keys("公开") == ["d", "b", "a", "c"]


def test_totals_are_exact_and_pages_split_the_ordered_list(index):
    # 7 title matches then 38 body matches, over several days, with pages of 20 across the boundary.
    index([doc(f"t{i:02}", f"通知{i}", day=1 + i % 28) for i in range(7)]
          + [doc(f"b{i:02}", body=f"通知正文{i}", day=1 + i % 28, hour=i % 24) for i in range(38)]
          + [doc("other", body="无关")])
    pages = [search("通知", page=p, per_page=20) for p in (1, 2, 3, 4)]
    assert [p.total for p in pages] == [45] * 4
    assert [len(p.hits) for p in pages] == [20, 20, 5, 0]
    assert pages[0].pages == 3
    listed = [h.key for p in pages for h in p.hits]
    assert len(set(listed)) == 45
    assert all(k.startswith("t") for k in listed[:7]) and all(k.startswith("b") for k in listed[7:])
    assert listed == keys("通知")
    # Every page is the matching slice of one ordered list, whatever the page size.
    assert [h.key for h in search("通知", page=4, per_page=7).hits] == listed[21:28]


def test_filters_narrow_the_results(index):
    index([
        doc("a", body="公开", agency_code="FIN01", category="0101", genre="tz", validity="valid", year=2025),
        doc("b", body="公开", agency_code="EDU01", category="0101", genre="gg", validity="repealed", year=2026),
        doc("c", body="公开", agency_code="EDU01", category="0202", genre="tz", validity="expired", year=2026),
    ])
    assert sorted(keys("公开", agency_codes=["EDU01"])) == ["b", "c"]
    assert sorted(keys("公开", agency_codes={"FIN01", "EDU01"})) == ["a", "b", "c"]
    assert keys("公开", agency_codes=[]) == []
    assert sorted(keys("公开", category="0101")) == ["a", "b"]
    assert keys("公开", genre="gg") == ["b"]
    assert keys("公开", validity="expired") == ["c"]
    assert keys("公开", year=2025) == ["a"]
    assert keys("公开", agency_codes=["EDU01"], genre="tz", year=2026) == ["c"]
    assert keys("公开", category="01") == []  # a category is matched exactly, not as a prefix


def test_the_year_is_the_year_of_the_date_in_china(index):
    # 2025-12-31 20:00 UTC is already 1 January 2026 in Beijing.
    index([doc("new-year", body="贺词", year=2026, month=1, day=1, hour=4)])
    assert keys("贺词", year=2026) == ["new-year"]
    assert keys("贺词", year=2025) == []


def test_an_unknown_validity_filter_is_refused(index):
    with pytest.raises(ServiceError) as refused:
        search("公开", validity="invalid")
    assert refused.value.code == "SEARCH_VALIDITY_INVALID"


def test_reindexing_a_key_replaces_its_old_text(index):
    index([doc("a", "旧标题", body="旧正文", agency_code="FIN01")])
    index([doc("a", "新标题", body="新正文", agency_code="EDU01", day=15)])
    assert keys("旧") == []
    assert keys("新正文") == ["a"]
    assert keys("新", agency_codes=["FIN01"]) == []
    assert keys("新", agency_codes=["EDU01"]) == ["a"]
    assert search("新").hits[0].published_at.day == 15


def test_the_last_version_of_a_key_in_one_call_wins(index):
    index([doc("a", body="第一稿"), doc("a", body="第二稿")])
    assert keys("稿") == ["a"]
    assert keys("第一") == []


def test_removed_documents_are_no_longer_found(index):
    index([doc("a", body="撤回的信息"), doc("b", body="仍然公开的信息")])
    remove_documents(["a", "never-indexed"])
    assert keys("信息") == ["b"]
    index([doc("a", body="重新公开的信息")])
    assert sorted(keys("信息")) == ["a", "b"]


def test_index_writes_roll_back_with_the_callers_transaction(index):
    index([doc("a", body="已公开")])
    with pytest.raises(RuntimeError), transaction.atomic():
        index([doc("b", body="已公开")])
        remove_documents(["a"])
        raise RuntimeError("publication failed")
    assert keys("已公开") == ["a"]


def test_rebuild_clears_and_refills(index):
    index([doc("gone", body="旧数据")])
    rebuild(doc(f"n{i}", body="新数据") for i in range(3))
    assert keys("旧数据") == []
    assert sorted(keys("新数据")) == ["n0", "n1", "n2"]


@pytest.mark.parametrize(
    "query",
    ['"', '""', "*", "公*", "OR", "a OR b", "NEAR", "NEAR(a b)", "-", "(", ")", "a AND b", "NOT", "^a", "a:b",
     "'; DROP TABLE search_searchentry; --", "%", "_", "\\", "{a}", "+", "a*b", "\x01x", "a\u200bb"],
)
def test_search_syntax_and_sql_in_queries_is_searched_literally(index, query):
    texts = ['a OR b', 'x "y" z', 'NEAR(a b)', "'; DROP TABLE search_searchentry; --", "100% 完成_率 \\ {a} +1",
             "a:b a*b ^a -(x)", "a AND b NOT c"]
    index([doc(f"d{i}", body=text) for i, text in enumerate(texts)])
    from gongkai.search.normalise import normalise

    expected = sorted(f"d{i}" for i, text in enumerate(texts) if normalise(query) in normalise(text))
    assert sorted(keys(query)) == expected


@pytest.mark.parametrize("query", ["", "   ", "\u3000\n", "\u200b"])
def test_an_empty_query_is_refused(db, query):
    with pytest.raises(ServiceError) as refused:
        search(query)
    assert (refused.value.code, refused.value.message) == ("SEARCH_QUERY_EMPTY", "请输入检索词。")


def test_a_query_over_100_characters_is_refused(db):
    search("字" * 100)
    with pytest.raises(ServiceError) as refused:
        search("字" * 101)
    assert refused.value.code == "SEARCH_QUERY_TOO_LONG"


@pytest.mark.parametrize(("page", "per_page"), [(0, 20), (1, 0), (1, 101)])
def test_impossible_pages_are_refused(db, page, per_page):
    with pytest.raises(ServiceError) as refused:
        search("公开", page=page, per_page=per_page)
    assert refused.value.code == "SEARCH_PAGE_INVALID"


def test_naive_publication_times_are_rejected(index):
    import datetime as dt

    from gongkai.search.index import SearchDocument

    with pytest.raises(ValueError, match="timezone-aware"):
        index([SearchDocument("a", "X", "1", "t", "b", "", dt.datetime(2026, 1, 1))])


def test_rebuilding_derived_data_from_rows_reproduces_what_writes_maintained(index):
    from django.db import connection

    from gongkai.search import postgres_grams, sqlite_fts

    index([doc(f"d{i}", f"标题{i}", body="公开 工作" * i, attachments="附件") for i in range(5)])
    index([doc("d1", body="改写")])
    remove_documents(["d2"])
    table, rebuild_from_rows = (
        (sqlite_fts.DOCFREQ_TABLE, sqlite_fts.reindex_from_rows) if connection.vendor == "sqlite"
        else (postgres_grams.DOCFREQ_TABLE, postgres_grams.recount_terms)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT term, docs FROM {table} WHERE docs != 0 ORDER BY term")
        maintained = cursor.fetchall()
        rebuild_from_rows(cursor)
        cursor.execute(f"SELECT term, docs FROM {table} ORDER BY term")
        assert cursor.fetchall() == maintained
    assert keys("公开 工作") == ["d4", "d3"]
    assert keys("改写") == ["d1"]
    index([doc("d4", body="再改")])  # deleting a re-tokenized row must find exactly its tokens
    assert keys("公开 工作") == ["d3"]
    assert [h.key for h in search("标题").hits] == ["d4", "d3", "d1", "d0"]


def test_a_bulk_import_of_several_batches_is_complete(index):
    # More than one internal batch: later batches are prepared in a helper thread.
    index(doc(f"k{i:04}", f"标题{i}", body="批量导入", day=1 + i % 28) for i in range(1234))
    assert search("批量导入").total == 1234
    assert len(keys("批量导入", agency_codes=["AGENCY01"])) == 1234


def test_an_invalid_document_in_a_later_batch_leaves_nothing_indexed(index):
    import datetime as dt

    from gongkai.search.index import SearchDocument

    bad = SearchDocument("bad", "X", "1", "t", "批量", "", dt.datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="timezone-aware"):
        index([*(doc(f"k{i:04}", body="批量") for i in range(1100)), bad])
    assert search("批量").total == 0
