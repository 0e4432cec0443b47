"""Django's SQLite backend, with writers taking turns through a file lock instead of polling.

SQLite lets one transaction write at a time. A second writer that finds the lock taken gets
SQLITE_BUSY, and the busy timeout makes it sleep and retry: 1, 2, 5, 10, 15, 20, 25… ms apart.
Writes here take about a millisecond, so a writer that loses the race sleeps many times longer
than it waits for, and under steady load (gunicorn workers submitting applications) the CPUs sat
idle between turns: 495 submissions/s at 60% CPU, 605/s with turns (docs/architecture.md).

So every write transaction first takes an exclusive ``flock`` on ``<database>.writelock``: the
kernel queues the waiters and wakes the next one the moment the holder releases it. The lock is
released at commit or rollback, and by the kernel if the process dies. SQLite's own locking is
unchanged underneath (the busy timeout still covers writers that do not go through this backend,
such as the sqlite3 shell); a transaction holding the turn simply finds SQLite's lock free.

Readers take no turn (WAL: they never wait for writers). In-memory databases have no file to lock
and no other process to share with, so they skip it.

The cursor also remembers how it rewrote each query's ``%s`` placeholders into SQLite's ``?``
(CachedQmarkCursor): Django runs a regular expression over the whole statement on every execute,
about 4% of an API submission's CPU under load (bench/applications.py, py-spy), although most
statements a process runs are the same few strings again.
"""

import fcntl
import functools
import os

from django.db.backends.sqlite3 import base


@functools.lru_cache(maxsize=4096)
def _qmark(query: str) -> str:
    return base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")


class CachedQmarkCursor(base.SQLiteCursorWrapper):
    """Django's SQLite cursor, with positional placeholders converted once per distinct query."""

    def convert_query(self, query, *, param_names=None):
        if param_names is None:
            return _qmark(query)
        return super().convert_query(query, param_names=param_names)


class DatabaseWrapper(base.DatabaseWrapper):
    _turn_fd: int | None = None
    _holding_turn = False

    def create_cursor(self, name=None):
        return self.connection.cursor(factory=CachedQmarkCursor)

    def _lock_path(self) -> str | None:
        name = str(self.settings_dict["NAME"])
        if self.is_in_memory_db() or not name:
            return None
        return name + ".writelock"

    def _take_turn(self) -> None:
        if self._holding_turn:
            return
        if self._turn_fd is None:
            path = self._lock_path()
            if path is None:
                return
            self._turn_fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        fcntl.flock(self._turn_fd, fcntl.LOCK_EX)
        self._holding_turn = True

    def _end_turn(self) -> None:
        if self._holding_turn:
            self._holding_turn = False
            fcntl.flock(self._turn_fd, fcntl.LOCK_UN)

    def _start_transaction_under_autocommit(self):
        self._take_turn()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._end_turn()
            raise

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._end_turn()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._end_turn()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._end_turn()
            if self._turn_fd is not None:
                os.close(self._turn_fd)
                self._turn_fd = None
