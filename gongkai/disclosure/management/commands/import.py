import json
from pathlib import Path

from django.core.management.base import CommandError

from gongkai.cli_support import GongkaiCommand
from gongkai.disclosure.transfer import ImportRefused, import_items


class Command(GongkaiCommand):
    help = "导入：gongkai import items FILE（.csv/.xlsx/.jsonl，列见 docs/import-export.md）。有任何错误行则全部不导入。"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("what", choices=["items"])
        parser.add_argument("file")

    def handle(self, *args, what, file, acting_as, json: bool, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"IMPORT_FILE_NOT_FOUND: 找不到文件“{file}”。")
        actor = self.actor(acting_as)
        try:
            count = import_items(path, actor=actor, progress=lambda n: self.stderr.write(f"已处理 {n} 行…"))
        except ImportRefused as refused:
            if json:
                self.stdout.write(_dump({"imported": 0, "problems": [p.as_dict() for p in refused.problems]}))
            else:
                for p in refused.problems:
                    self.stdout.write(f"第{p.row}行\t{p.field or '-'}\t{p.message}")
            raise CommandError(f"IMPORT_REFUSED: 发现{len(refused.problems)}处问题，未导入任何数据。") from refused
        if json:
            self.stdout.write(_dump({"imported": count, "problems": []}))
        else:
            self.stdout.write(f"已导入 {count} 条信息。")


def _dump(value) -> str:
    return json.dumps(value, ensure_ascii=False)
