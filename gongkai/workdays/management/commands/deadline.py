import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from gongkai.workdays.calendar import add_working_days


class Command(BaseCommand):
    help = "计算自某日起第N个工作日（法定节假日与调休按官方日历）。"

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, help="起算日期 YYYY-MM-DD")
        parser.add_argument("--working-days", type=int, required=True, help="工作日数")
        parser.add_argument("--json", action="store_true", help="输出 JSON")
        convention = parser.add_mutually_exclusive_group()
        convention.add_argument("--count-start-day", action="store_true", default=None, help="起算日当天计入")
        convention.add_argument("--no-count-start-day", dest="count_start_day", action="store_false", help="起算日当天不计入")

    def handle(self, *args, start, working_days, json: bool, count_start_day, **options):
        try:
            start_date = dt.date.fromisoformat(start)
        except ValueError as exc:
            raise CommandError(f"DATE_INVALID: 起算日期“{start}”应写作 YYYY-MM-DD。") from exc
        if working_days < 0:
            raise CommandError("WORKING_DAYS_NEGATIVE: 工作日数不能为负数。")
        try:
            result = add_working_days(start_date, working_days, counts_start_day=count_start_day)
        except DatabaseError as exc:
            raise CommandError("DATABASE_NOT_READY: 数据库尚未初始化或无法连接，请先运行 gongkai migrate。") from exc
        if json:
            self.stdout.write(_json_dumps(result.as_json()))
            return
        self.stdout.write(f"自 {result.start.isoformat()} 起第 {working_days} 个工作日：{result.due.isoformat()}")
        if not result.calendar_confirmed:
            years = "、".join(str(y) for y in result.unconfirmed_years)
            self.stdout.write(f"注意：{years}年节假日安排尚未录入，结果按《全国年节及纪念日放假办法》的法定节假日推算（不含调休），请在官方通知发布后复核。")


def _json_dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)
