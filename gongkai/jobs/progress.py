"""How far a running task has got: rows done of rows total, for the task list and the command line.

Kept in Django's cache (the data directory's file cache, which the server and the worker share),
not in a table: an import or a reindex writes in one long transaction, and on SQLite that
transaction holds the database's one write turn, so a progress row written on a second connection
would wait for the very transaction it reports on, and one written inside it would stay invisible
until the end. Progress is a hint while the task runs; what it finally did is its return value in
the queue's own row, which the task list reads once the task has finished.
"""

import time

from django.core.cache import cache

KEY = "gongkai:task-progress:{}"
KEEP_SECONDS = 7 * 24 * 3600
# A task reports every row; the cache is written at most this often (and at the last row).
MIN_INTERVAL_SECONDS = 0.5


class Progress:
    """The callback a task hands to its work: ``progress(rows_done, rows_total=None)``."""

    def __init__(self, task_id: str | None, *, stage: str = "", echo=None):
        self.task_id = str(task_id) if task_id else None  # None: a foreground run, printed only
        self.stage = stage
        self.echo = echo  # the command line's printer when the task runs in the foreground
        self._last = 0.0

    def __call__(self, done: int, total: int | None = None) -> None:
        now = time.monotonic()
        if done != total and now - self._last < MIN_INTERVAL_SECONDS:
            return
        self._last = now
        value = {"done": done, "total": total, "stage": self.stage}
        if self.task_id is not None:
            cache.set(KEY.format(self.task_id), value, KEEP_SECONDS)
        if self.echo is not None:
            self.echo(describe(value))

    def at(self, stage: str, done: int = 0, total: int | None = None) -> None:
        """A new stage (读取文件, 写入数据库…), reported at once."""
        self.stage, self._last = stage, 0.0
        self(done, total)


def for_context(context, *, echo=None) -> Progress:
    """The progress callback of the task being run (a task declared with takes_context=True)."""
    return Progress(context.task_result.id, echo=echo)


def read(task_id) -> dict | None:
    return cache.get(KEY.format(task_id))


def read_many(task_ids) -> dict[str, dict]:
    keys = {KEY.format(task_id): str(task_id) for task_id in task_ids}
    return {keys[key]: value for key, value in cache.get_many(list(keys)).items()}


def describe(value: dict | None) -> str:
    """“写入数据库：1,200 / 5,000 行（24%）” for a progress value; "" before the first report."""
    if not value:
        return ""
    stage = f"{value['stage']}：" if value.get("stage") else ""
    done, total = value["done"], value.get("total")
    if total:
        return f"{stage}{done:,} / {total:,}（{percent(value)}%）"
    return f"{stage}已处理 {done:,}"


def percent(value: dict | None) -> int | None:
    if not value or not value.get("total"):
        return None
    return min(100, int(100 * value["done"] / value["total"]))
