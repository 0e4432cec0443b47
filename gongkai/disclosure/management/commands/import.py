import json
from pathlib import Path

from django.core.management.base import CommandError

from gongkai.cli_support import GongkaiCommand
from gongkai.disclosure import tasks
from gongkai.jobs import services as jobs
from gongkai.jobs.actors import actor_id
from gongkai.jobs.models import Job
from gongkai.jobs.progress import Progress


class Command(GongkaiCommand):
    help = ("导入：gongkai import items FILE（.csv/.xlsx/.jsonl，列见 docs/import-export.md）。有任何错误行则全部不导入。"
            "中断后对同一文件再次执行，从中断处继续；加 --background 交给后台进程执行（文件须保留到导入结束），"
            "用 gongkai tasks 查看进度。")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("what", choices=["items"])
        parser.add_argument("file")
        parser.add_argument("--background", action="store_true", help="交给后台进程（gongkai db_worker）执行")

    def handle(self, *args, what, file, acting_as, json: bool, background: bool, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"IMPORT_FILE_NOT_FOUND: 找不到文件“{file}”。")
        actor = self.actor(acting_as)
        if background:
            job = jobs.start(tasks.import_items, str(path.resolve()), actor_id(actor), kind=Job.Kind.IMPORT,
                             label=f"导入 {path.name}", actor=actor)
            if json:
                self.stdout.write(_dump({"task": str(job.task_id), "queued": True}))
            else:
                self.stdout.write(f"已交给后台进程，任务编号 {job.task_id}（gongkai tasks show {job.task_id} --follow 查看进度）。")
            return
        result = tasks.import_file(path, actor=actor, progress=Progress(None, echo=self.stderr.write))
        if result["problems"]:
            if json:
                self.stdout.write(_dump({"imported": result["imported"], "problems": result["problems"]}))
            else:
                for p in result["problems"]:
                    self.stdout.write(f"第{p['row']}行\t{p['field'] or '-'}\t{p['message']}")
            code = "IMPORT_STOPPED" if result["imported"] else "IMPORT_REFUSED"
            raise CommandError(f"{code}: {result['summary']}")
        if json:
            self.stdout.write(_dump({"imported": result["imported"], "problems": []}))
        else:
            self.stdout.write(f"已导入 {result['imported']} 条信息。")


def _dump(value) -> str:
    return json.dumps(value, ensure_ascii=False)
