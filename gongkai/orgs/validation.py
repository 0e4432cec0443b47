"""Input rules for organisations, shared by forms, the command line and services."""

import re

from gongkai.errors import ServiceError
from gongkai.orgs.models import AGENCY_CODE_RE

USERNAME_RE = re.compile(r"^[A-Za-z0-9_.-]{3,30}$")


def normalise_agency_code(raw: str) -> str:
    # 目录系统实施指引: the organisation code is used with its hyphen dropped.
    code = (raw or "").strip().replace("-", "").upper()
    if not AGENCY_CODE_RE.match(code):
        raise ServiceError(
            "AGENCY_CODE_INVALID",
            f"机构代码“{raw}”格式不正确：应为6至18位数字或大写字母（组织机构代码或统一社会信用代码）。",
            field="code",
        )
    return code


def check_username(username: str) -> str:
    username = (username or "").strip()
    if not USERNAME_RE.match(username):
        raise ServiceError(
            "USERNAME_INVALID", "用户名应为3至30位字母、数字或“_.-”。", field="username"
        )
    return username
