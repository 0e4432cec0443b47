"""Small reads of the task queue (django_tasks_db's table) that the sweeps need."""

from django_tasks_db.models import DBTaskResult


def waiting_args(task) -> list[list]:
    """The positional arguments of every enqueued, not yet started run of ``task``.

    A sweep that enqueues work again (unsent mail, unrendered letters) leaves these alone, so a
    worker that has been down for a while does not find the same message queued once per sweep.
    """
    rows = DBTaskResult.objects.filter(task_path=task.module_path, status="READY")
    return [row["args"] for row in rows.values_list("args_kwargs", flat=True)]
