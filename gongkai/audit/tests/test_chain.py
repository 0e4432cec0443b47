"""The audit hash chain: edits, deletions and rows slipped in are found, concurrent writers keep it whole."""

import datetime
import json
import os
import socket
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, transaction

from gongkai.audit import chain, integrity, retention
from gongkai.audit.models import Action, AuditEntry
from gongkai.errors import ServiceError

pytestmark = pytest.mark.django_db
TABLE = AuditEntry._meta.db_table


def _tamper(sql: str, params=()):
    """Change the table behind the application's back. On PostgreSQL the append-only trigger is
    switched off for this test's transaction first (the test role owns the table, as an attacker
    holding the application's role would)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The rows' deferred foreign-key checks must have run before the table can be altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER audit_entry_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER audit_entry_append_only")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _verify_exit_code() -> int:
    try:
        call_command("audit", "verify")
    except CommandError as error:
        return error.returncode
    return 0


def test_rows_are_numbered_without_gaps_and_verify(world):
    seqs = list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1)) and len(seqs) > 5
    assert AuditEntry.objects.filter(digest__startswith=f"hmac-{chain.ALGORITHM}:").count() == len(seqs)
    result = integrity.verify()
    assert result.broken is None and result.checked == len(seqs)
    assert _verify_exit_code() == 0


def test_sm3_is_used_where_openssl_has_it():
    import hashlib

    try:
        hashlib.new("sm3")
        expected = "sm3"
    except ValueError:
        expected = "sha256"
    assert chain.ALGORITHM == expected


def test_an_edited_row_is_named(world):
    victim = AuditEntry.objects.order_by("seq")[3]
    _tamper(f"UPDATE {TABLE} SET note = %s WHERE id = %s", ["改过了", victim.pk])
    result = integrity.verify()
    assert result.broken.code == "AUDIT_ROW_ALTERED"
    assert result.broken.row_id == victim.pk and result.checked == 3
    assert _verify_exit_code() == integrity.EXIT_ALTERED == 3


def test_an_edited_json_value_is_named(world):
    victim = AuditEntry.objects.filter(after__isnull=False).order_by("seq").last()
    changed = dict(victim.after, forged=True)
    _tamper(f"UPDATE {TABLE} SET after = %s WHERE id = %s", [json.dumps(changed), victim.pk])
    assert integrity.verify().broken.row_id == victim.pk


def test_a_deleted_row_is_named(world):
    rows = list(AuditEntry.objects.order_by("seq"))
    _tamper(f"DELETE FROM {TABLE} WHERE id = %s", [rows[2].pk])
    result = integrity.verify()
    assert result.broken.code == "AUDIT_ROW_MISSING"
    assert result.broken.seq == rows[2].seq and result.broken.row_id == rows[3].pk
    assert _verify_exit_code() == integrity.EXIT_MISSING == 4


def test_a_row_inserted_past_the_application_is_named(world):
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {TABLE} (at, actor_label, action, object_type, object_id, object_repr, note, digest, "
                       "outcome, request_id) VALUES (%s, 'x', 'edit', 'orgs.agency', '1', 'x', '', '', 'success', '')",
                       [datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)])
        cursor.execute(f"SELECT max(id) FROM {TABLE}")
        inserted = cursor.fetchone()[0]
    result = integrity.verify()
    assert result.broken.code == "AUDIT_ROW_UNSEALED" and result.broken.row_id == inserted
    assert _verify_exit_code() == integrity.EXIT_UNSEALED


def test_a_row_sealed_under_another_key_does_not_verify(world, settings):
    settings.GONGKAI_AUDIT_KEY = "another-key-another-key-another-key-000"
    assert integrity.verify().broken.code == "AUDIT_ROW_ALTERED"


def test_a_short_key_is_refused(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.GONGKAI_AUDIT_KEY = "short"
    with pytest.raises(ImproperlyConfigured, match="至少需要32个字符"):
        chain.key()


def test_the_key_can_live_in_a_file_outside_the_data_directory(settings, tmp_path):
    path = tmp_path / "audit-key"
    path.write_text("k" * 40 + "\n")
    settings.GONGKAI_AUDIT_KEY = ""
    settings.GONGKAI_AUDIT_KEY_FILE = str(path)
    assert chain.key() == b"k" * 40


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the append-only trigger is PostgreSQL's")
def test_postgresql_refuses_update_and_delete_from_the_application_role(world):
    victim = AuditEntry.objects.order_by("seq").first()
    for sql in (f"UPDATE {TABLE} SET note = 'x' WHERE id = %s", f"DELETE FROM {TABLE} WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, [victim.pk])
    assert AuditEntry.objects.get(pk=victim.pk).note == victim.note
    assert integrity.verify().broken is None


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_unbroken_chain():
    errors = []

    def write(name):
        try:
            for i in range(15):
                with transaction.atomic():
                    AuditEntry(actor_label=name, action=Action.EDIT, object_type="test.thing", object_id=str(i),
                               object_repr=f"{name}-{i}").save(force_insert=True)
        except Exception as exc:  # reported below: the assertion names it
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(f"writer{n}",)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True)) == list(range(1, 46))
    assert integrity.verify().broken is None


def test_export_writes_json_lines_with_the_chain_to_a_private_file(world, tmp_path):
    os.umask(0o022)
    path = tmp_path / "audit.jsonl"
    call_command("audit", "export", "--to", str(path))
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert [line["seq"] for line in lines] == list(range(1, AuditEntry.objects.count() + 1))
    assert lines[-1]["digest"] == AuditEntry.objects.order_by("seq").last().digest
    assert path.stat().st_mode & 0o777 == 0o600


def test_export_since_a_date_leaves_older_rows_out(world, tmp_path):
    AuditEntry(at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC), actor_label="cli", action=Action.EDIT,
               object_type="test.thing", object_id="1", object_repr="旧").save(force_insert=True)
    path = tmp_path / "since.jsonl"
    assert retention.export_to_file(path, since=datetime.date(2021, 1, 1)) == AuditEntry.objects.count() - 1


def test_export_to_syslog_sends_one_message_per_row(world, settings):
    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.bind(("127.0.0.1", 0))
    server.settimeout(5)
    settings.GONGKAI_AUDIT_SYSLOG = f"127.0.0.1:{server.getsockname()[1]}"
    try:
        call_command("audit", "export", "--to", "syslog")
        count = AuditEntry.objects.count()
        messages = [server.recv(65536).decode().rstrip("\x00") for _ in range(count)]
    finally:
        server.close()
    assert all("gongkai-audit: " in m for m in messages)
    assert json.loads(messages[-1].split("gongkai-audit: ", 1)[1])["seq"] == count


def _old_rows(count: int):
    for i in range(count):
        AuditEntry(at=datetime.datetime(2020, 1, 1 + i, tzinfo=datetime.UTC), actor_label="cli", action=Action.EDIT,
                   object_type="test.thing", object_id=str(i), object_repr="旧").save(force_insert=True)


def test_purge_refuses_rows_younger_than_six_months():
    _old_rows(2)
    with pytest.raises(ServiceError) as refused:
        retention.purge(before=datetime.date(2020, 6, 2), today=datetime.date(2020, 12, 1))
    assert refused.value.code == "AUDIT_RETENTION" and "2020-06-01" in refused.value.message
    assert AuditEntry.objects.count() == 2


def test_purge_removes_the_oldest_rows_and_the_chain_still_verifies():
    _old_rows(3)
    AuditEntry(at=datetime.datetime(2020, 9, 1, tzinfo=datetime.UTC), actor_label="cli", action=Action.EDIT,
               object_type="test.thing", object_id="young", object_repr="新").save(force_insert=True)
    assert retention.purge(before=datetime.date(2020, 2, 1), today=datetime.date(2020, 9, 2)) == 3
    assert list(AuditEntry.objects.order_by("seq").values_list("object_id", flat=True)) == ["young", "purge"]
    assert integrity.verify().broken is None
    assert retention.oldest_purgeable(datetime.date(2020, 8, 31)) == datetime.date(2020, 2, 29)
