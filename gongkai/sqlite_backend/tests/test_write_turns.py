"""Write transactions on the embedded default take turns through the database's .writelock file."""

import fcntl
import os
import threading

import pytest
from django.db import connection, transaction

from gongkai.audit.models import AuditEntry
from gongkai.sqlite_backend.base import DatabaseWrapper

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="the write turn is the SQLite backend's")


def lock_is_free() -> bool:
    fd = os.open(str(connection.settings_dict["NAME"]) + ".writelock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return True
    finally:
        os.close(fd)


def write_row(note: str) -> None:
    AuditEntry.objects.create(action="edit", object_type="test.turn", object_id="1", note=note)


@pytest.mark.django_db(transaction=True)
def test_a_write_transaction_holds_the_turn_until_it_commits():
    assert lock_is_free()
    with transaction.atomic():
        write_row("first")
        assert not lock_is_free()
    assert lock_is_free()
    assert AuditEntry.objects.filter(object_type="test.turn").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_gives_the_turn_back():
    with pytest.raises(RuntimeError), transaction.atomic():
        write_row("undone")
        raise RuntimeError("refused")
    assert lock_is_free()
    assert not AuditEntry.objects.filter(object_type="test.turn").exists()


@pytest.mark.django_db(transaction=True)
def test_a_second_writer_waits_for_the_turn_and_then_writes():
    from django.db import connections

    events, started = [], threading.Event()

    def second_writer():
        try:
            started.set()
            with transaction.atomic():
                events.append("second began")
                write_row("second")
        finally:
            connections.close_all()

    with transaction.atomic():
        write_row("first")
        other = threading.Thread(target=second_writer)
        other.start()
        started.wait(5)
        other.join(0.5)  # it cannot begin while this transaction holds the turn
        assert other.is_alive() and events == []
        events.append("first committing")
    other.join(10)
    assert events == ["first committing", "second began"]
    assert sorted(AuditEntry.objects.filter(object_type="test.turn").values_list("note", flat=True)) == ["first", "second"]


def test_an_in_memory_database_has_no_lock_file():
    settings = {**connection.settings_dict, "NAME": ":memory:"}
    assert DatabaseWrapper(settings)._lock_path() is None


def rows_in_the_database_file_alone(tmp_path) -> int:
    """The test rows a reader finds in the main database file without its WAL: only checkpointed pages."""
    import shutil
    import sqlite3

    copy = tmp_path / "copy.sqlite3"
    shutil.copyfile(connection.settings_dict["NAME"], copy)  # the file alone: no -wal, no -shm beside it
    reader = sqlite3.connect(copy)
    try:
        return reader.execute("SELECT count(*) FROM audit_auditentry WHERE object_type = 'test.turn'").fetchone()[0]
    finally:
        reader.close()


@pytest.mark.django_db(transaction=True)
def test_the_checkpoint_runs_after_the_turn_every_few_commits(tmp_path, monkeypatch):
    from gongkai.sqlite_backend import base

    connection.ensure_connection()
    assert connection.connection.execute("PRAGMA wal_autocheckpoint").fetchone() == (0,)  # not inside commits
    monkeypatch.setattr(base, "CHECKPOINT_COMMITS", 3)
    connection.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection._commits_since_checkpoint = 0
    for n in range(2):
        with transaction.atomic():
            write_row(f"row {n}")
    assert rows_in_the_database_file_alone(tmp_path) == 0  # still only in the WAL
    with transaction.atomic():
        write_row("row 2")
        assert rows_in_the_database_file_alone(tmp_path) == 0
    assert lock_is_free()
    assert rows_in_the_database_file_alone(tmp_path) == 3  # the third commit's checkpoint copied them in


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("rows", [5000, 1])
def test_a_large_write_outside_a_transaction_is_checkpointed_too(tmp_path, monkeypatch, rows):
    """Autocommit statements never reach the backend's _commit: they count as commits, and a WAL
    past CHECKPOINT_WAL_BYTES (lowered here) is checkpointed at once, even by a one-row write."""
    import os
    import shutil
    import sqlite3

    from gongkai.sqlite_backend import base

    monkeypatch.setattr(base, "CHECKPOINT_WAL_BYTES", 200 * 4096)
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cursor.execute("CREATE TABLE big_autocommit (x TEXT)")
        cursor.execute(f"INSERT INTO big_autocommit SELECT hex(randomblob({2_000_000 // rows})) FROM "
                       f"(WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows}) SELECT i FROM n)")
    path = connection.settings_dict["NAME"]
    assert os.path.getsize(path + "-wal") > 200 * 4096  # it went through the WAL...
    copy = tmp_path / "copy.sqlite3"
    shutil.copyfile(path, copy)  # ...and is in the database file alone, without the WAL
    reader = sqlite3.connect(copy)
    try:
        assert reader.execute("SELECT count(*) FROM big_autocommit").fetchone() == (rows,)
    finally:
        reader.close()
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE big_autocommit")
