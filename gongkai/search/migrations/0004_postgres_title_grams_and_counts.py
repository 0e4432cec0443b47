"""PostgreSQL only: title grams (title matches first without scanning every match), an index in
result order (newest first, then key), and the document-frequency table (see postgres_grams.py).
Existing rows are counted and given their title grams."""

from django.db import migrations

from gongkai.search import postgres_grams

TABLE = postgres_grams.ENTRY_TABLE
CREATE_SQL = [
    f"ALTER TABLE {TABLE} ADD COLUMN title_grams bigint[] NOT NULL DEFAULT '{{}}'",
    f"CREATE INDEX search_entry_title_grams ON {TABLE} USING gin (title_grams)",
    f'CREATE INDEX search_entry_recent ON {TABLE} (published_at DESC, key COLLATE "C" DESC)',
    f"CREATE TABLE {postgres_grams.DOCFREQ_TABLE} (term bigint PRIMARY KEY, docs bigint NOT NULL)",
]
DROP_SQL = [
    f"DROP TABLE IF EXISTS {postgres_grams.DOCFREQ_TABLE}",
    "DROP INDEX IF EXISTS search_entry_recent",
    "DROP INDEX IF EXISTS search_entry_title_grams",
    f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS title_grams",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in CREATE_SQL:
        schema_editor.execute(sql)
    with schema_editor.connection.cursor() as cursor:
        postgres_grams.recount_terms(cursor)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in DROP_SQL:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_document_frequencies")]

    operations = [migrations.RunPython(create, drop)]
