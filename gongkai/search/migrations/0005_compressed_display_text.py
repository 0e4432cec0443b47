"""The search entries' display copies (body, attachments) stored compressed (gongkai.compressed_text).

Added as new columns, filled from the old ones and renamed over them: the same steps on SQLite and
PostgreSQL (a type change in place would cast text to bytes without compressing it)."""

from django.db import migrations

import gongkai.compressed_text

COLUMNS = ("body", "attachments_text")


def compress_rows(apps, schema_editor):
    SearchEntry = apps.get_model("search", "SearchEntry")
    last = 0
    while True:
        rows = list(SearchEntry.objects.filter(id__gt=last).order_by("id").only("id", *COLUMNS)[:1000])
        if not rows:
            return
        for row in rows:
            for column in COLUMNS:
                setattr(row, f"{column}_compressed", getattr(row, column))
        SearchEntry.objects.bulk_update(rows, [f"{column}_compressed" for column in COLUMNS])
        last = rows[-1].id


class Migration(migrations.Migration):
    dependencies = [("search", "0004_postgres_title_grams_and_counts")]

    operations = [
        migrations.AddField("searchentry", "body_compressed",
                            gongkai.compressed_text.CompressedTextField(blank=True, default=b"", verbose_name="正文"),
                            preserve_default=False),
        migrations.AddField("searchentry", "attachments_text_compressed",
                            gongkai.compressed_text.CompressedTextField(blank=True, default=b"", verbose_name="附件文字"),
                            preserve_default=False),
        migrations.RunPython(compress_rows, migrations.RunPython.noop, elidable=False),
        migrations.RemoveField("searchentry", "body"),
        migrations.RemoveField("searchentry", "attachments_text"),
        migrations.RenameField("searchentry", "body_compressed", "body"),
        migrations.RenameField("searchentry", "attachments_text_compressed", "attachments_text"),
    ]
