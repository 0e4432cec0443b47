import datetime
from pathlib import Path

from django.core.management.base import CommandError
from django.utils import timezone

from gongkai.audit import integrity, retention
from gongkai.cli_support import GongkaiCommand
from gongkai.errors import ServiceError


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as exc:
        raise ServiceError("DATE_INVALID", f"日期“{text}”无效，请写成 2026-01-05。") from exc


class Command(GongkaiCommand):
    help = (
        "审计记录的完整性与留存（审计管理员）。"
        "gongkai audit verify [--json]：核对审计记录链，指出第一条被修改、删除或直接插入的记录"
        "（退出码 0 完整，3 被修改，4 有缺失，5 有未封存的记录）；"
        "gongkai audit export [--since 2026-01-01] --to 文件.jsonl|syslog：导出到本机以外的存储；"
        "gongkai audit purge --before 2026-01-01 [--today …]：清除六个月以前的记录（网络安全法第二十一条）。"
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{verify,export,purge}")
        verify = actions.add_parser("verify", help="核对审计记录链")
        export = actions.add_parser("export", help="导出审计记录（JSON Lines 文件或 syslog）")
        export.add_argument("--since", help="只导出该日及以后的记录，如 2026-01-01")
        export.add_argument("--to", required=True, help="文件路径（追加写入，权限0600），或 syslog（GONGKAI_AUDIT_SYSLOG）")
        purge = actions.add_parser("purge", help="清除六个月以前的审计记录")
        purge.add_argument("--before", required=True, help="清除该日之前的记录，如 2026-01-01")
        purge.add_argument("--today", help="今天的日期（默认取系统日期）")
        for sub in (verify, export, purge):
            sub.add_argument("--as", dest="acting_as", metavar="USERNAME", help="以该工作人员的身份执行")
            sub.add_argument("--json", action="store_true", help="输出 JSON")

    def handle(self, *args, action, **options):
        getattr(self, action)(options)

    def verify(self, options):
        result = integrity.verify()
        if options["json"]:
            self.emit({"ok": result.broken is None, "checked": result.checked, "last_seq": result.last_seq,
                       "broken": result.broken.as_dict() if result.broken else None})
        elif result.broken is None:
            self.stdout.write(f"审计记录链完整：已核对{result.checked}条，最后链序号{result.last_seq}。")
        if result.broken is not None:
            raise CommandError(f"{result.broken.code}: {result.broken.message}", returncode=result.exit_code)

    def export(self, options):
        since = _date(options["since"]) if options.get("since") else None
        if options["to"] == "syslog":
            count = retention.export_to_syslog(since=since)
        else:
            try:
                count = retention.export_to_file(Path(options["to"]), since=since)
            except OSError as exc:
                raise ServiceError("AUDIT_EXPORT_FAILED", f"无法写入“{options['to']}”：{exc.strerror}。") from exc
        if options["json"]:
            self.emit({"exported": count})
        else:
            self.stdout.write(f"已导出{count}条审计记录。")

    def purge(self, options):
        today = _date(options["today"]) if options.get("today") else timezone.localdate()
        count = retention.purge(before=_date(options["before"]), today=today, actor=self.actor(options["acting_as"]))
        if options["json"]:
            self.emit({"purged": count})
        else:
            self.stdout.write(f"已清除{count}条审计记录。")
