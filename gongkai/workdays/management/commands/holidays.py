import datetime as dt
import json as jsonlib
from pathlib import Path

from gongkai.cli_support import GongkaiCommand
from gongkai.errors import ServiceError
from gongkai.workdays import services
from gongkai.workdays.models import HolidayNotice


class Command(GongkaiCommand):
    help = (
        "节假日安排通知：gongkai holidays list | gongkai holidays add FILE.json。"
        'FILE.json 形如 {"year": 2027, "title": "...", "document_number": "...", '
        '"ranges": [{"kind": "holiday", "start": "2027-02-06", "end": "2027-02-14", "label": "春节"}]}'
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("action", choices=["list", "add"])
        parser.add_argument("file", nargs="?")

    def handle(self, *args, action, file, acting_as, json, **options):
        actor = self.actor(acting_as)
        if action == "list":
            rows = [
                {"year": n.year, "title": n.title, "document_number": n.document_number,
                 "ranges": [{"kind": r.kind, "start": r.start.isoformat(), "end": r.end.isoformat(), "label": r.label}
                            for r in n.ranges.all()]}
                for n in HolidayNotice.objects.prefetch_related("ranges")
            ]
            if json:
                self.emit(rows)
            else:
                for row in rows:
                    self.stdout.write(f"{row['year']}  {row['title']}（{len(row['ranges'])}段）")
            return
        data = self._read(file)
        issued = data.get("issued_on")
        try:
            issued_on = dt.date.fromisoformat(issued) if issued else None
            year = int(data.get("year"))
        except (TypeError, ValueError) as exc:
            raise ServiceError("NOTICE_FILE_INVALID", "year 应为整数，issued_on 应写作 YYYY-MM-DD。") from exc
        notice = services.notice_create(
            actor=actor, year=year, title=str(data.get("title", "")), document_number=str(data.get("document_number", "")),
            issued_on=issued_on, ranges=services.parse_ranges(list(data.get("ranges") or [])),
        )
        if json:
            self.emit({"id": notice.pk, "year": notice.year, "title": notice.title})
        else:
            self.stdout.write(f"已录入《{notice.title}》（{notice.ranges.count()}段）")

    def _read(self, file) -> dict:
        if not file:
            raise ServiceError("NOTICE_FILE_REQUIRED", "请指定通知 JSON 文件。")
        try:
            data = jsonlib.loads(Path(file).read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise ServiceError("NOTICE_FILE_NOT_FOUND", f"找不到文件“{file}”。") from exc
        except (jsonlib.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ServiceError("NOTICE_FILE_INVALID", f"文件“{file}”不是有效的 UTF-8 JSON：{exc}") from exc
        if not isinstance(data, dict):
            raise ServiceError("NOTICE_FILE_INVALID", "文件内容应为一个 JSON 对象。")
        return data
