"""The calendar's advisory locks on PostgreSQL (on SQLite the write lock does their work)."""

import threading

import pytest
from django.db import connection, connections, transaction

from gongkai.workdays import calendar_lock

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's one write lock already excludes a change"),
]


def try_lock(function: str) -> bool:
    """Whether this connection could take the lock now, without waiting (released at once)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s)", [calendar_lock.LOCK_KEY])
        taken = cursor.fetchone()[0]
        if taken:
            unlock = "pg_advisory_unlock_shared" if function.endswith("shared") else "pg_advisory_unlock"
            cursor.execute(f"SELECT {unlock}(%s)", [calendar_lock.LOCK_KEY])
    return taken


def in_other_connection(take, started: threading.Event, release: threading.Event):
    def run():
        try:
            with transaction.atomic():
                take()
                started.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    assert started.wait(10)
    return thread


def test_a_calendar_change_keeps_readers_out_until_it_ends():
    started, release = threading.Event(), threading.Event()
    thread = in_other_connection(calendar_lock.lock_for_change, started, release)
    assert not try_lock("pg_try_advisory_lock_shared")
    release.set()
    thread.join(10)
    assert try_lock("pg_try_advisory_lock_shared")  # the transaction ended, so did its lock


def test_readers_share_and_keep_a_change_waiting():
    started, release = threading.Event(), threading.Event()
    thread = in_other_connection(calendar_lock.hold, started, release)
    assert try_lock("pg_try_advisory_lock_shared")
    assert not try_lock("pg_try_advisory_lock")
    release.set()
    thread.join(10)
    assert try_lock("pg_try_advisory_lock")
