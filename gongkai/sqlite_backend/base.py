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
import logging
import os

from django.db.backends.sqlite3 import base

log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=4096)
def _qmark(query: str) -> str:
    return base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")


class CachedQmarkCursor(base.SQLiteCursorWrapper):
    """Django's SQLite cursor, with positional placeholders converted once per distinct query,
    which tells its DatabaseWrapper (``wrapper``) about writes made outside a transaction."""

    wrapper: "DatabaseWrapper | None" = None

    def convert_query(self, query, *, param_names=None):
        if param_names is None:
            return _qmark(query)
        return super().convert_query(query, param_names=param_names)

    def execute(self, query, params=None):
        before = self.connection.total_changes
        result = super().execute(query, params)
        self._report_autocommit_write(before)
        return result

    def executemany(self, query, param_list):
        before = self.connection.total_changes
        result = super().executemany(query, param_list)
        self._report_autocommit_write(before)
        return result

    def _report_autocommit_write(self, changes_before: int) -> None:
        connection = self.connection
        if connection.total_changes != changes_before and not connection.in_transaction and self.wrapper is not None:
            self.wrapper._after_autocommit_write()


# A process checkpoints after this many of its write transactions, or sooner once they changed
# this many rows (a changed row is at least one changed page). An online submission adds ~30 pages
# to the WAL, so 128 of them are ~4,000 pages; 32 (SQLite's own 1,000-page interval) gave 614
# submissions/s against 637/s with 128 in back-to-back runs: pages changed again are copied once.
CHECKPOINT_COMMITS = 128
CHECKPOINT_ROWS = 1000
# A write outside a transaction (autocommit: a one-statement FTS5 optimise, Django's last_login
# update) never reaches _commit. It counts as a commit, and it checkpoints at once when the WAL
# has grown past this many bytes: with nothing but the commit count, a 100 MB INSERT in
# autocommit stayed in the WAL (25,064 pages) until later transactions of the same process
# reached the count. (Tried first: SQLite's own checkpoint as a safety net at 10,000 pages. In two
# interleaved A/B runs it gave 810 and 785 submissions/s against 826 and 839 without it, so it
# was left off.)
CHECKPOINT_WAL_BYTES = 64 * 2**20


class DatabaseWrapper(base.DatabaseWrapper):
    _turn_fd: int | None = None
    _holding_turn = False
    _commits_since_checkpoint = 0
    _rows_at_checkpoint = 0

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        if self._lock_path() is not None:
            # The checkpoint SQLite runs inside a commit would run inside the write turn (see
            # _checkpoint_after_turn); this backend runs it itself, once the turn is released.
            connection.execute("PRAGMA wal_autocheckpoint = 0")
        return connection

    def create_cursor(self, name=None):
        cursor = self.connection.cursor(factory=CachedQmarkCursor)
        cursor.wrapper = self
        return cursor

    def _after_autocommit_write(self) -> None:
        if self._lock_path() is None:
            return
        try:
            large = os.path.getsize(str(self.settings_dict["NAME"]) + "-wal") >= CHECKPOINT_WAL_BYTES
        except OSError:
            large = False
        self._checkpoint_after_turn(now=large)

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
        held = self._holding_turn
        try:
            return super()._commit()
        finally:
            self._end_turn()
            if held:
                self._checkpoint_after_turn()

    def _checkpoint_after_turn(self, *, now: bool = False) -> None:
        """Copy the WAL back into the database file now and then (CHECKPOINT_COMMITS, _ROWS).

        SQLite's automatic checkpoint runs in the commit that fills the WAL, while that
        transaction still holds the write turn: every other writer then waited for up to a
        thousand page copies and their fsyncs, with the CPUs idle. A PASSIVE checkpoint here runs
        after the turn is released, alongside the next writers; it never waits for readers or
        writers and gives up at once if another process is checkpointing. If the WAL still grows
        (a reader that never lets go), SQLite's limits are those of its own checkpoint.
        """
        self._commits_since_checkpoint += 1
        changed = self.connection.total_changes - self._rows_at_checkpoint
        if not now and self._commits_since_checkpoint < CHECKPOINT_COMMITS and changed < CHECKPOINT_ROWS:
            return
        self._commits_since_checkpoint, self._rows_at_checkpoint = 0, self.connection.total_changes
        try:
            self.connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        except base.Database.Error:  # not now (e.g. another connection's transaction): a later turn's
            log.debug("checkpoint after the write turn skipped", exc_info=True)

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
