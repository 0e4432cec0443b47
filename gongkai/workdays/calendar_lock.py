"""Holding the holiday calendar steady while due dates are computed from it.

A transaction that reads the calendar and stores due dates must not interleave with one that
changes the calendar and recomputes the open cases' dates (clockkeeping.recompute_open_clocks):
the change's recompute would not see the dates the first one has not committed yet, and the
first would commit dates from the calendar as it was.

On SQLite every write transaction starts by taking the database's one write lock (IMMEDIATE
transactions), so a calendar read inside it already excludes a change. On PostgreSQL the two
take a transaction-scoped advisory lock: shared for the readers, which never wait for each
other, exclusive for a change, which waits for the readers in flight and makes new ones wait
until it has committed (and their next statement then sees it). Both locks end with their
transaction.
"""

from django.db import connection

# Any fixed 64-bit number that no other advisory lock of the installation uses ("gkcal").
LOCK_KEY = 0x67_6B_63_61_6C


def _advisory(function: str) -> None:
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {function}(%s)", [LOCK_KEY])


def hold() -> None:
    """In a transaction that stores dates computed from the calendar, before it reads the calendar."""
    _advisory("pg_advisory_xact_lock_shared")


def lock_for_change() -> None:
    """First thing in a transaction that changes the calendar."""
    _advisory("pg_advisory_xact_lock")
