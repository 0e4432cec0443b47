"""The cursor's remembered placeholder conversion gives what Django's conversion gives."""

import pytest
from django.db import connection
from django.db.backends.sqlite3 import base as django_sqlite

from gongkai.audit.models import AuditEntry
from gongkai.sqlite_backend import base

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="the placeholder cache is the SQLite backend's")

QUERIES = [
    "SELECT 1 WHERE %s = %s",
    "SELECT '100%%' || %s",  # an escaped percent sign stays one percent sign
    "SELECT %s LIKE '%%a%%'",
    "INSERT INTO t (a, b) VALUES (%s, %s) RETURNING id",
]


@pytest.mark.parametrize("query", QUERIES)
def test_conversion_equals_djangos(query):
    expected = django_sqlite.SQLiteCursorWrapper.convert_query(None, query)
    assert base._qmark(query) == expected
    assert base._qmark(query) == expected  # the remembered answer is the same


@pytest.mark.django_db
def test_queries_run_through_the_cached_cursor_with_both_parameter_styles():
    with connection.cursor() as cursor:
        assert isinstance(cursor.cursor, base.CachedQmarkCursor)
        cursor.execute("SELECT %s || '%%' || %s", ["50", "x"])
        assert cursor.fetchone() == ("50%x",)
        cursor.execute("SELECT %(a)s + %(b)s", {"a": 2, "b": 3})  # named parameters: Django's own conversion
        assert cursor.fetchone() == (5,)
    AuditEntry.objects.create(action="edit", object_type="test.qmark", object_id="7", note="100%")
    assert AuditEntry.objects.filter(note__contains="%", object_id="7").count() == 1
