"""The audit hash chain (audit/chain.py): seq and digest columns, existing rows sealed in id order,
and on PostgreSQL a trigger that refuses UPDATE and DELETE of audit rows.

The columns are added with plain ALTER TABLE … ADD COLUMN (Django's AddField of a NOT NULL
column rebuilds the whole table on SQLite), and the unique index on seq is partial for the same
reason (migration_ops.py).
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

TABLE = "audit_auditentry"

# The application's role owns this table (it created it), so GRANT/REVOKE cannot take UPDATE and
# DELETE away from it: an owner keeps every privilege on what it owns. A trigger binds the owner
# too. It refuses every UPDATE; a DELETE only of rows older than six months (网络安全法第二十一条:
# 网络日志留存不少于六个月), and only inside a purge that says so (SET LOCAL gongkai.audit_purge,
# audit/retention.py). TRUNCATE fires no row trigger (test databases are emptied with it); an
# operator who wants it refused too revokes it from a role that is not the owner (docs/security.md).
CREATE_TRIGGER = f"""
CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND OLD.at < now() - interval '6 months'
     AND coalesce(current_setting('gongkai.audit_purge', true), '') = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION USING MESSAGE = 'audit entries are append-only: ' || TG_OP || ' refused',
    ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON {TABLE}
  FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();
"""
DROP_TRIGGER = f"""
DROP TRIGGER IF EXISTS audit_entry_append_only ON {TABLE};
DROP FUNCTION IF EXISTS audit_entry_append_only();
"""


def seal_existing_rows(apps, schema_editor):
    from gongkai.audit import chain

    AuditEntry = apps.get_model("audit", "AuditEntry")
    rows = AuditEntry.objects.using(schema_editor.connection.alias).order_by("id")
    if not rows.exists():
        return
    key, previous = chain.key(), ""
    for seq, row in enumerate(rows.iterator(chunk_size=2000), start=1):
        previous = chain.digest(key, previous, seq, chain.row_values(row))
        AuditEntry.objects.using(schema_editor.connection.alias).filter(pk=row.pk).update(seq=seq, digest=previous)


def trigger_forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_TRIGGER)


def trigger_backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGER)


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0005_security_event_fields'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # State only: neither the default nor on_delete exists in the database.
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.AlterField(
                model_name='auditentry',
                name='at',
                field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, editable=False, verbose_name='时间'),
            ),
            migrations.AlterField(
                model_name='auditentry',
                name='actor',
                field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, to=settings.AUTH_USER_MODEL, verbose_name='操作人'),
            ),
        ]),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name='auditentry',
                    name='seq',
                    field=models.BigIntegerField(blank=True, editable=False, null=True, verbose_name='链序号'),
                ),
                migrations.AddField(
                    model_name='auditentry',
                    name='digest',
                    field=models.CharField(blank=True, editable=False, max_length=100, verbose_name='链摘要'),
                ),
            ],
            database_operations=[
                migrations.RunSQL(f'ALTER TABLE "{TABLE}" ADD COLUMN "seq" bigint NULL',
                                  f'ALTER TABLE "{TABLE}" DROP COLUMN "seq"'),
                migrations.RunSQL(f'ALTER TABLE "{TABLE}" ADD COLUMN "digest" varchar(100) DEFAULT \'\' NOT NULL',
                                  f'ALTER TABLE "{TABLE}" DROP COLUMN "digest"'),
            ],
        ),
        migrations.AddConstraint(
            model_name='auditentry',
            constraint=models.UniqueConstraint(condition=models.Q(('seq__isnull', False)), fields=('seq',), name='audit_chain_seq'),
        ),
        migrations.RunPython(seal_existing_rows, migrations.RunPython.noop),
        migrations.RunPython(trigger_forwards, trigger_backwards),
    ]
