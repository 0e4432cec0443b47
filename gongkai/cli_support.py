"""Shared plumbing for management commands: acting as a user, stable error output."""

import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from gongkai.errors import ServiceError


class GongkaiCommand(BaseCommand):
    """A command that can act as a named staff member (``--as``) and reports errors by code.

    Without ``--as`` the command acts as the installation's operator (audit actor "cli").
    """

    def add_arguments(self, parser):
        parser.add_argument("--as", dest="acting_as", metavar="USERNAME", help="以该工作人员的身份和权限执行")
        parser.add_argument("--json", action="store_true", help="输出 JSON")

    def actor(self, username: str | None):
        if not username:
            return None
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise self.fail(ServiceError("USER_NOT_FOUND", f"找不到启用中的工作人员“{username}”。"))
        return user

    def fail(self, error: ServiceError) -> CommandError:
        if getattr(self, "_json", False):
            return CommandError(json.dumps({"error": error.as_dict()}, ensure_ascii=False))
        return CommandError(f"{error.code}: {error.message}")

    def emit(self, value) -> None:
        self.stdout.write(json.dumps(value, ensure_ascii=False, indent=2))

    def execute(self, *args, **options):
        self._json = options.get("json", False)
        try:
            return super().execute(*args, **options)
        except ServiceError as error:
            raise self.fail(error) from error
