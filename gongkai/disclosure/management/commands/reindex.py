from gongkai.cli_support import GongkaiCommand
from gongkai.disclosure.tasks import reindex, reindex_all
from gongkai.jobs import services as jobs
from gongkai.jobs.models import Job
from gongkai.jobs.progress import Progress
from gongkai.orgs import access
from gongkai.orgs.roles import Perm


class Command(GongkaiCommand):
    help = ("重建检索索引：按当前已发布的主动公开信息重新生成（恢复备份或升级后使用）。"
            "加 --background 交给后台进程执行，用 gongkai tasks 查看进度。")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--background", action="store_true", help="交给后台进程（gongkai db_worker）执行")

    def handle(self, *args, acting_as, json, background, **options):
        actor = self.actor(acting_as)
        access.require(actor, Perm.CREATE_AGENCY)
        if background:
            job = jobs.start(reindex, kind=Job.Kind.REINDEX, label="重建检索索引", actor=actor)
            if json:
                self.emit({"task": str(job.task_id), "queued": True})
            else:
                self.stdout.write(f"已交给后台进程，任务编号 {job.task_id}（gongkai tasks show {job.task_id} --follow 查看进度）。")
            return
        result = reindex_all(progress=Progress(None, echo=None if json else self.stderr.write))
        if json:
            self.emit({"indexed": result["indexed"]})
        else:
            self.stdout.write(result["summary"])
