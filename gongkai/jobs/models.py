from django.conf import settings
from django.db import models


class Job(models.Model):
    """A long task a person started (an import, a report file, a reindex), for their task list.

    The queue's own row (django_tasks_db's DBTaskResult, ``task_id``) holds the state, the return
    value and any traceback; this row says who asked for what, in words. It is written once, in the
    transaction that enqueues the task. Progress while it runs is not stored here: see progress.py.
    Mail and letter rendering are the system's own tasks and have no Job: they appear in the queue
    overview for system administrators.
    """

    class Kind(models.TextChoices):
        IMPORT = "import", "导入主动公开信息"
        REPORT = "report", "生成年度报告文件"
        REINDEX = "reindex", "重建检索索引"
        REMINDERS = "reminders", "发送期限提醒"

    task_id = models.UUIDField(unique=True)
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    label = models.CharField("说明", max_length=200)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="job_requested_by_recent")]

    def __str__(self):
        return self.label
