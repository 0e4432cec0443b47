import json

from django.core.management.base import BaseCommand
from django.utils import timezone

from gongkai.accounts.idle import disable_idle_accounts


class Command(BaseCommand):
    help = "账号安全：停用长期未使用的账号（供 cron 每日运行）。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        idle = sub.add_parser("disable-idle", help="停用连续未使用超过规定天数的账号")
        idle.add_argument("--days", type=int, default=None, help="天数，默认取 GONGKAI_ACCOUNT_IDLE_DAYS（90）")
        idle.add_argument("--json", action="store_true", dest="as_json", help="以 JSON 输出")

    def handle(self, *args, action, days=None, as_json: bool = False, **options):
        disabled = disable_idle_accounts(now=timezone.now(), days=days)
        if as_json:
            self.stdout.write(_dumps({"disabled": disabled}))
        elif disabled:
            self.stdout.write(f"已停用{len(disabled)}个长期未使用的账号：{'、'.join(disabled)}")
        else:
            self.stdout.write("没有需要停用的账号。")


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)
