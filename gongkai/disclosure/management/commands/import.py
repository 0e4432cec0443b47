import json
import time
from pathlib import Path

from django.core.management.base import CommandError

from gongkai.cli_support import GongkaiCommand
from gongkai.disclosure.item_files import ImportRefused
from gongkai.disclosure.item_import import import_items


class Command(GongkaiCommand):
    help = ("导入：gongkai import items FILE（.csv/.xlsx/.jsonl，列见 docs/import-export.md）。有任何错误行则全部不导入；"
            "中断后对同一文件再次执行，从中断处继续。")

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
            count = import_items(path, actor=actor, progress=_Progress(self.stderr))
        except ImportRefused as refused:
            if json:
                self.stdout.write(_dump({"imported": 0, "problems": [p.as_dict() for p in refused.problems]}))
            else:
                for p in refused.problems:
                    self.stdout.write(f"第{p.row}行\t{p.field or '-'}\t{p.message}")
            if refused.imported:
                raise CommandError(f"IMPORT_STOPPED: 发现{len(refused.problems)}处问题，导入停在第{refused.imported}行之后"
                                   f"（前{refused.imported}行已导入）。") from refused
            raise CommandError(f"IMPORT_REFUSED: 发现{len(refused.problems)}处问题，未导入任何数据。") from refused
        if json:
            self.stdout.write(_dump({"imported": count, "problems": []}))
        else:
            self.stdout.write(f"已导入 {count} 条信息。")


class _Progress:
    """Rows checked, then rows imported of the total with the rate, on standard error."""

    def __init__(self, out):
        self.out, self.started, self.first = out, time.monotonic(), None

    def __call__(self, rows_done: int, rows_total: int | None) -> None:
        if rows_total is None:
            self.out.write(f"已检查 {rows_done} 行…")
            return
        now = time.monotonic()
        if self.first is None:  # rate of this run's writing, from its first committed batch
            self.first = (now, rows_done)
            self.out.write(f"已导入 {rows_done} / {rows_total} 行…")
            return
        seconds, rows = now - self.first[0], rows_done - self.first[1]
        rate = f"，{rows / seconds:,.0f} 行/秒" if seconds > 0 else ""
        self.out.write(f"已导入 {rows_done} / {rows_total} 行（{100 * rows_done / rows_total:.0f}%{rate}）…")


def _dump(value) -> str:
    return json.dumps(value, ensure_ascii=False)
