"""SQLite only: how many items contain each one- and two-character term (see sqlite_fts.py).

The FTS5 index is rebuilt from the stored rows at the same time: the token layout changed (the
characters of an item are listed in order of first occurrence instead of sorted)."""

from django.db import migrations

from gongkai.search import sqlite_fts


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(sqlite_fts.DOCFREQ_CREATE_SQL)
    with schema_editor.connection.cursor() as cursor:
        sqlite_fts.reindex_from_rows(cursor)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {sqlite_fts.DOCFREQ_TABLE}")


class Migration(migrations.Migration):
    dependencies = [("search", "0002_text_index")]

    operations = [migrations.RunPython(create, drop)]
