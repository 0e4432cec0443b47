"""`gongkai search`: all matches over all pages, JSON with --json, errors as CODE: message."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.search.tests.conftest import doc


def run(*args, capsys):
    call_command("search", *args)
    return capsys.readouterr().out


def test_json_lists_every_match_across_pages(index, capsys):
    index([doc(f"item:{i}", f"通知{i}", index_number=f"TESTFIN01/2026-{i:05}", day=1 + i % 20) for i in range(130)])
    rows = json.loads(run("通知", "--json", capsys=capsys))
    assert len(rows) == 130
    assert set(rows[0]) == {"id", "index_number", "title", "agency_code"}
    assert {r["id"] for r in rows} == {f"item:{i}" for i in range(130)}


def test_text_output_has_one_line_per_item_and_the_total(index, capsys):
    index([doc("item:1", "关于政务公开工作的通知", index_number="TESTFIN01/2026-00001")])
    out = run("开工作", capsys=capsys)
    assert "TESTFIN01/2026-00001  关于政务公开工作的通知  [AGENCY01]" in out
    assert out.strip().endswith("共1条。")


def test_agency_option_restricts_the_results(index, capsys):
    index([doc("a", body="公开", agency_code="FIN01"), doc("b", body="公开", agency_code="EDU01")])
    rows = json.loads(run("公开", "--agency", "EDU01", "--json", capsys=capsys))
    assert [r["id"] for r in rows] == ["b"]


def test_an_empty_query_fails_with_its_code(db):
    with pytest.raises(CommandError, match="SEARCH_QUERY_EMPTY: 请输入检索词。"):
        call_command("search", "  ")
