"""The text index itself, which Django's schema editor cannot describe: an FTS5 table on SQLite,
a bigint[] column with a GIN index on PostgreSQL. Neither needs superuser rights or an extension."""

from django.db import migrations

from gongkai.search import postgres_grams, sqlite_fts


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for sql in sqlite_fts.create_sql():
            schema_editor.execute(sql)
    elif vendor == "postgresql":
        for sql in postgres_grams.CREATE_SQL:
            schema_editor.execute(sql)
    else:
        raise RuntimeError(f"gongkai search supports SQLite and PostgreSQL, not {vendor}")


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {sqlite_fts.FTS_TABLE}")
    elif vendor == "postgresql":
        for sql in postgres_grams.DROP_SQL:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
