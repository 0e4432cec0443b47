"""Items' original text and published versions' text stored compressed (gongkai.compressed_text);
same steps as search/0005: a new column, filled from the old one, renamed over it."""

from django.db import migrations

import gongkai.compressed_text


def compress_rows(apps, schema_editor):
    for model, column in (("Item", "body"), ("ItemVersion", "public_body")):
        rows_of = apps.get_model("disclosure", model).objects
        last = 0
        while True:
            rows = list(rows_of.filter(id__gt=last).order_by("id").only("id", column)[:1000])
            if not rows:
                break
            for row in rows:
                setattr(row, f"{column}_compressed", getattr(row, column))
            rows_of.bulk_update(rows, [f"{column}_compressed"])
            last = rows[-1].id


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0003_import_run")]

    operations = [
        migrations.AddField("item", "body_compressed",
                            gongkai.compressed_text.CompressedTextField(blank=True, default=b"", verbose_name="正文"),
                            preserve_default=False),
        migrations.AddField("itemversion", "public_body_compressed",
                            gongkai.compressed_text.CompressedTextField(blank=True, default=b""),
                            preserve_default=False),
        migrations.RunPython(compress_rows, migrations.RunPython.noop, elidable=False),
        migrations.RemoveField("item", "body"),
        migrations.RenameField("item", "body_compressed", "body"),
        migrations.RemoveField("itemversion", "public_body"),
        migrations.RenameField("itemversion", "public_body_compressed", "public_body"),
    ]
