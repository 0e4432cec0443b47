from django.utils import timezone

from gongkai.applications.reminders import queue_due_reminders
from gongkai.applications.tasks import send_reminders
from gongkai.cli_support import GongkaiCommand
from gongkai.jobs import services as jobs
from gongkai.jobs.models import Job


class Command(GongkaiCommand):
    help = ("发送依申请公开期限提醒邮件（5个工作日内到期和已超期的申请），每天由 cron 运行一次："
            "把提醒任务交给后台进程（gongkai db_worker）执行。")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--dry-run", action="store_true", help="只显示将发送的提醒，不发送、不标记")

    def handle(self, *args, dry_run, acting_as, json, **options):
        if dry_run:
            result = queue_due_reminders(dry_run=True)
            if json:
                self.emit({"recipients": result["recipients"], "reminders": result["reminders"], "dry_run": True})
                return
            for email, lines in result["reminders"].items():
                self.stdout.write(f"{email}：{len(lines)}件")
            self.stdout.write(result["summary"])
            return
        today = timezone.localdate()
        job = jobs.start(send_reminders, today.isoformat(), kind=Job.Kind.REMINDERS,
                         label=f"{today:%Y年%m月%d日}期限提醒", actor=self.actor(acting_as))
        if json:
            self.emit({"task": str(job.task_id), "queued": True})
        else:
            self.stdout.write(f"已把{today:%Y年%m月%d日}的期限提醒交给后台进程，任务编号 {job.task_id}"
                              "（gongkai tasks 查看进度）。")
