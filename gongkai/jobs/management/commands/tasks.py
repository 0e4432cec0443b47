import time

from django.conf import settings
from django.core.management.base import CommandError

from gongkai.cli_support import GongkaiCommand
from gongkai.jobs import services
from gongkai.jobs.models import Job

FOLLOW_SECONDS = 0.5


def _as_dict(state) -> dict:
    return {"task": str(state.job.task_id), "kind": state.job.kind, "label": state.job.label,
            "requested_by": state.job.requested_by.username if state.job.requested_by else None,
            "created_at": state.job.created_at.isoformat(), "status": state.status or "PRUNED",
            "progress": state.progress, "result": state.return_value, "error": state.error or None}


class Command(GongkaiCommand):
    help = ("后台任务：gongkai tasks [--limit 20] 列出最近的导入、报告生成、重建索引等任务及进度；"
            "gongkai tasks show 任务编号 [--follow] 查看一个任务（--follow 持续显示进度直到结束）；"
            "gongkai tasks queue 查看队列中等待、进行中和失败的任务（含邮件、文书文件）。")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("action", nargs="?", default="list", choices=["list", "show", "queue"])
        parser.add_argument("task_id", nargs="?", help="任务编号（show）")
        parser.add_argument("--follow", action="store_true", help="持续显示进度，直到任务结束")
        parser.add_argument("--limit", type=int, default=20, help="列出的任务数（list）")

    def handle(self, *args, action, task_id, follow, limit, json, acting_as, **options):
        if action == "queue":
            return self.queue(json)
        if action == "show":
            return self.show(task_id, follow, json)
        states = services.describe(Job.objects.select_related("requested_by")[:limit])
        if json:
            self.emit([_as_dict(s) for s in states])
            return
        if not states:
            self.stdout.write("还没有后台任务。")
        for s in states:
            self.stdout.write(f"{s.job.created_at:%Y-%m-%d %H:%M}  {s.status_label}  {s.job.label}  "
                              f"{self._outcome(s)}  {s.job.task_id}")

    def _outcome(self, state) -> str:
        if state.status == "RUNNING":
            return state.progress_text or "已开始"
        if state.status == "FAILED":
            return state.error
        if state.file:
            return f"{state.summary} 文件：{settings.MEDIA_ROOT / state.file}"
        return state.summary

    def show(self, task_id, follow, json):
        job = Job.objects.filter(task_id=task_id).first() if task_id and _uuid(task_id) else None
        if job is None:
            raise CommandError(f"TASK_NOT_FOUND: 找不到任务“{task_id or ''}”。")
        last = None
        while True:
            (state,) = services.describe([job])
            line = f"{state.status_label}  {self._outcome(state)}"
            if not json and line != last:
                self.stdout.write(line)
                last = line
            if not follow or state.finished:
                break
            time.sleep(FOLLOW_SECONDS)
        if json:
            self.emit(_as_dict(state))
        if state.status == "FAILED":
            raise CommandError(f"TASK_FAILED: {state.error}")

    def queue(self, json):
        overview, failures = services.queue_overview(), services.recent_failures()
        if json:
            self.emit({"queue": overview, "failures": [f | {"finished_at": f["finished_at"].isoformat()
                                                            if f["finished_at"] else None} for f in failures]})
            return
        if not overview:
            self.stdout.write("队列中没有等待或失败的任务。")
        for row in overview:
            self.stdout.write(f"{row['task']}  {row['status_label']}  {row['count']}")
        for failure in failures:
            self.stdout.write(f"失败 {failure['finished_at']:%Y-%m-%d %H:%M:%S}  {failure['task']}  {failure['error']}")


def _uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
