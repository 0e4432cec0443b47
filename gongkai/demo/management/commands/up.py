from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection

from gongkai.demo.builder import build_county, demo_exists, login_lines
from gongkai.orgs.models import Agency, Membership
from gongkai.orgs.roles import Role


class Command(BaseCommand):
    help = "一键启动：迁移数据库，首次运行时载入演示数据，打印登录账号并启动门户。"

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000", help="监听地址，默认 127.0.0.1:8000")
        parser.add_argument("--no-demo", action="store_true", help="不载入演示数据")
        parser.add_argument("--no-serve", action="store_true", help="只准备数据，不启动服务（用于脚本）")

    def handle(self, *args, addrport, no_demo, no_serve, **options):
        self.stdout.write(f"数据目录：{settings.DATA_DIR}")
        vendor = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(connection.vendor, connection.vendor)
        self.stdout.write(f"数据库：{vendor} {settings.DATABASES['default']['NAME']}")
        call_command("migrate", interactive=False, verbosity=0)
        if not no_demo and not Agency.objects.exists():
            build_county()
            self.stdout.write("已载入演示数据（清河县）。")
        if demo_exists():
            for line in login_lines():
                self.stdout.write(line)
        elif not Membership.objects.filter(role=Role.SYSTEM_ADMIN).exists():
            self.stdout.write("尚无系统管理员：请运行 gongkai createadmin --username 用户名")
        host = addrport if ":" in addrport else f"127.0.0.1:{addrport}"
        self.stdout.write(f"门户：http://{host}/    工作台：http://{host}/staff/")
        if not no_serve:
            call_command("runserver", addrport, use_reloader=False)
