"""Published versions' text stored compressed (gongkai.compressed_text); same steps as
search/0005: a new column, filled from the old one, renamed over it."""

from django.db import migrations

import gongkai.compressed_text


def compress_rows(apps, schema_editor):
    ItemVersion = apps.get_model("disclosure", "ItemVersion")
    last = 0
    while True:
        rows = list(ItemVersion.objects.filter(id__gt=last).order_by("id").only("id", "public_body")[:1000])
        if not rows:
            return
        for row in rows:
            row.public_body_compressed = row.public_body
        ItemVersion.objects.bulk_update(rows, ["public_body_compressed"])
        last = rows[-1].id


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0003_import_run")]

    operations = [
        migrations.AddField("itemversion", "public_body_compressed",
                            gongkai.compressed_text.CompressedTextField(blank=True, default=b""),
                            preserve_default=False),
        migrations.RunPython(compress_rows, migrations.RunPython.noop, elidable=False),
        migrations.RemoveField("itemversion", "public_body"),
        migrations.RenameField("itemversion", "public_body_compressed", "public_body"),
    ]
