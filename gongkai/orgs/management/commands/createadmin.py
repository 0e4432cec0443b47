import getpass
import os

from gongkai.cli_support import GongkaiCommand
from gongkai.errors import ServiceError
from gongkai.orgs import services
from gongkai.orgs.roles import Role


class Command(GongkaiCommand):
    help = (
        "建立平台管理员账号：系统管理员（新安装的第一个账号），或用 --role 建立审计管理员、安全管理员（三权分立，"
        "三者须为不同账号）。密码从环境变量 GONGKAI_ADMIN_PASSWORD 读取，"
        "未设置时交互输入。Django 自带的 createsuperuser 不授予 gongkai 角色，请使用本命令。"
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--username", required=True)
        parser.add_argument("--full-name", default="系统管理员")
        parser.add_argument("--email", default="")
        parser.add_argument("--role", default="system_admin", choices=["system_admin", "audit_admin", "security_admin"])

    def handle(self, *args, username, full_name, email, role, acting_as, json, **options):
        password = os.environ.get("GONGKAI_ADMIN_PASSWORD") or self._ask()
        user = services.user_create(
            actor=self.actor(acting_as), agency=None, username=username, full_name=full_name, password=password,
            email=email, roles=[role],
        )
        if json:
            self.emit({"username": user.username, "role": role})
        else:
            self.stdout.write(f"已建立{Role(role).label} {user.username}。")

    def _ask(self) -> str:
        try:
            first = getpass.getpass("密码：")
            second = getpass.getpass("再次输入密码：")
        except (EOFError, KeyboardInterrupt) as exc:
            raise ServiceError("PASSWORD_REQUIRED", "请设置 GONGKAI_ADMIN_PASSWORD 或在终端中输入密码。") from exc
        if first != second:
            raise ServiceError("PASSWORD_MISMATCH", "两次输入的密码不一致。")
        return first
