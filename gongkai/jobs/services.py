"""Starting long tasks on the queue and reading back how they are doing.

    start(task, *args, kind, label, actor, **kwargs) -> Job     enqueue, and record who asked
    describe(jobs) -> list[JobState]                            state, progress and outcome, for pages and the CLI
    recent_for(user, limit=20) -> list[JobState]                a person's own tasks, newest first
    queue_overview() -> list[dict]                              waiting, running and failed tasks by name (administrators)
"""

import dataclasses
import datetime as dt

from django.db import transaction
from django.db.models import Count
from django_tasks_db.models import DBTaskResult

from gongkai.jobs import progress
from gongkai.jobs.models import Job

STATUS_LABELS = {"READY": "排队中", "RUNNING": "进行中", "SUCCESSFUL": "已完成", "FAILED": "失败"}


def start(task, *args, kind: str, label: str, actor, **kwargs) -> Job:
    """Enqueue ``task`` and record it for ``actor``'s task list, in one transaction.

    The queue lives in this database (django_tasks_db), so the task and its Job exist together
    or not at all, and a caller's own transaction carries both.
    """
    with transaction.atomic():
        result = task.enqueue(*args, **kwargs)
        return Job.objects.create(task_id=result.id, kind=kind, label=label[:200], requested_by=actor)


@dataclasses.dataclass
class JobState:
    job: Job
    status: str  # READY, RUNNING, SUCCESSFUL, FAILED; "" once the queue's row has been pruned
    progress: dict | None
    return_value: dict | None
    error: str
    finished_at: dt.datetime | None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, "记录已清理")

    @property
    def finished(self) -> bool:
        return self.status in ("SUCCESSFUL", "FAILED", "")

    @property
    def percent(self) -> int | None:
        if self.status == "SUCCESSFUL":
            return 100
        return progress.percent(self.progress)

    @property
    def progress_text(self) -> str:
        return progress.describe(self.progress) if self.status == "RUNNING" else ""

    @property
    def summary(self) -> str:
        return (self.return_value or {}).get("summary", "") if isinstance(self.return_value, dict) else ""

    @property
    def file(self) -> str:
        return (self.return_value or {}).get("file", "") if isinstance(self.return_value, dict) else ""


def error_text(traceback: str) -> str:
    """The exception's own words from the stored traceback (a ServiceError's Chinese message)."""
    lines = [line for line in (traceback or "").strip().splitlines() if line.strip()]
    if not lines:
        return ""
    last = lines[-1]
    _kind, _sep, message = last.partition(": ")
    code, sep, words = message.partition(": ")
    # ServiceError renders as "CODE: 中文说明"; people read the words, the code stays in the traceback.
    return words if sep and code.isupper() else (message or last)


def describe(jobs) -> list[JobState]:
    jobs = list(jobs)
    rows = DBTaskResult.objects.in_bulk([job.task_id for job in jobs])
    running = progress.read_many([job.task_id for job in jobs if getattr(rows.get(job.task_id), "status", "") == "RUNNING"])
    states = []
    for job in jobs:
        row = rows.get(job.task_id)
        states.append(JobState(
            job=job, status=row.status if row else "", progress=running.get(str(job.task_id)),
            return_value=row.return_value if row and row.status == "SUCCESSFUL" else None,
            error=error_text(row.traceback) if row and row.status == "FAILED" else "",
            finished_at=row.finished_at if row else None))
    return states


def recent_for(user, *, limit: int = 20) -> list[JobState]:
    return describe(Job.objects.filter(requested_by=user).select_related("requested_by")[:limit])


def queue_overview() -> list[dict]:
    """Tasks not yet finished, and those that failed, counted by task and state (system administrators)."""
    counts = (DBTaskResult.objects.exclude(status="SUCCESSFUL").values("task_path", "status")
              .annotate(count=Count("id")).order_by("task_path", "status"))
    return [{"task": row["task_path"].rsplit(".", 1)[-1], "path": row["task_path"], "status": row["status"],
             "status_label": STATUS_LABELS.get(row["status"], row["status"]), "count": row["count"]} for row in counts]


def recent_failures(*, limit: int = 20) -> list[dict]:
    rows = DBTaskResult.objects.failed().order_by("-finished_at")[:limit]
    return [{"id": str(row.id), "task": row.task_path.rsplit(".", 1)[-1], "finished_at": row.finished_at,
             "args": row.args_kwargs, "error": error_text(row.traceback)} for row in rows]
