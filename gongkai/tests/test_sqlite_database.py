"""The embedded default's SQLite settings: WAL, and writers that queue instead of failing."""

import threading
import time

import pytest
from django.db import close_old_connections, connection, transaction

from gongkai.audit.models import AuditEntry

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="the embedded default's settings")

WRITERS = 8
TRANSACTIONS = 5


@pytest.mark.django_db
def test_each_connection_runs_in_wal_mode_with_a_busy_timeout():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone() == ("wal",)
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone() == (1,)  # NORMAL
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone() == (30000,)


@pytest.mark.django_db(transaction=True)
def test_concurrent_read_then_write_transactions_queue_instead_of_failing():
    """Each transaction reads, then writes, as a service does (look up, then insert). With SQLite's
    default DEFERRED transactions two of them both read, and the second to write gets "database
    is locked" whatever the busy timeout: what it read may predate the other's commit. IMMEDIATE
    transactions take the write lock at BEGIN, so the second waits its turn instead (checked:
    with DEFERRED this test fails with "database is locked")."""
    errors, started = [], threading.Barrier(WRITERS)

    def writer(n):
        close_old_connections()
        try:
            started.wait(timeout=20)
            for t in range(TRANSACTIONS):
                with transaction.atomic():
                    seen = AuditEntry.objects.filter(object_type="test.writer").count()
                    time.sleep(0.005)  # let the others begin while this one holds what it read
                    AuditEntry.objects.create(action="edit", object_type="test.writer", object_id=f"{n}-{t}",
                                              note=str(seen))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors[:3]
    rows = AuditEntry.objects.filter(object_type="test.writer")
    assert rows.count() == WRITERS * TRANSACTIONS
    # One at a time: every transaction saw all the rows committed before it, so the counts each
    # one read are 0, 1, 2, ... with none read twice.
    assert sorted(int(note) for note in rows.values_list("note", flat=True)) == list(range(WRITERS * TRANSACTIONS))
