"""The search entry's display copy is stored compressed (gongkai/compressed_text.py) and reads
back exactly as written."""

import zlib

import pytest
from django.db import connection

from gongkai.search.index import search
from gongkai.search.models import SearchEntry
from gongkai.search.tests.conftest import doc

pytestmark = pytest.mark.django_db

BODY = "第一条 为了规范政府信息公开工作，制定本办法。第二条 本办法适用于本县各级行政机关。" * 20


def stored(table: str, column: str, pk: int) -> bytes:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return bytes(cursor.fetchone()[0])


def test_the_display_copy_of_a_search_entry_is_compressed_and_snippets_still_show_the_original(index):
    index([doc("item:1", "办法", BODY + "ＡＢＣ公开", attachments="附件：实施细则全文")])
    entry = SearchEntry.objects.get(key="item:1")
    raw = stored("search_searchentry", "body", entry.pk)
    assert len(raw) < len(BODY.encode()) / 2 and zlib.decompress(raw).decode() == BODY + "ＡＢＣ公开"
    assert entry.body == BODY + "ＡＢＣ公开" and entry.attachments_text == "附件：实施细则全文"
    hit = search("abc公开").hits[0]
    assert "<mark>ＡＢＣ公开</mark>" in hit.snippet  # highlighted in the original (full-width) text
    assert "<mark>细则</mark>" in search("细则").hits[0].snippet
