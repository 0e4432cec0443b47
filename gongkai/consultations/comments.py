"""What a comment from the public may hold: checked before anything is written."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from gongkai.disclosure.sanitize import refuse_active_content
from gongkai.errors import ServiceError

BODY_MIN_CHARS = 5
BODY_MAX_CHARS = 3000
NAME_MAX_CHARS = 50
PHONE_RE = re.compile(r"^\+?[0-9][0-9 \-]{5,18}[0-9]$")


def clean_comment(data: dict, *, requires_name: bool) -> dict:
    """name, phone, email and body of a comment, or ServiceError naming the first field at fault.

    Markup that could run is refused, not silently stripped (the commenter should know that what
    they see is not what was saved); other text is kept as typed and shown escaped."""
    name = " ".join((data.get("name") or "").split())
    phone = (data.get("phone") or "").strip()
    email = (data.get("email") or "").strip()
    body = (data.get("body") or "").replace("\r\n", "\n").strip()
    if not body:
        raise ServiceError("COMMENT_EMPTY", "请填写意见内容。", field="body")
    if len(body) < BODY_MIN_CHARS:
        raise ServiceError("COMMENT_TOO_SHORT", f"意见内容至少{BODY_MIN_CHARS}个字，请写明具体意见和理由。", field="body")
    if len(body) > BODY_MAX_CHARS:
        raise ServiceError("COMMENT_TOO_LONG", f"意见内容不能超过{BODY_MAX_CHARS}字（现有{len(body)}字）。"
                           "篇幅较长的意见请通过信函或电子邮件提交。", field="body")
    refuse_active_content(body, field="body", label="意见内容")
    if requires_name and not name:
        raise ServiceError("NAME_REQUIRED", "本次征集要求填写姓名或单位名称。", field="name")
    if len(name) > NAME_MAX_CHARS:
        raise ServiceError("NAME_TOO_LONG", f"姓名或单位名称不能超过{NAME_MAX_CHARS}字。", field="name")
    refuse_active_content(name, field="name", label="姓名或单位名称")
    if phone and not PHONE_RE.match(phone):
        raise ServiceError("PHONE_INVALID", "联系电话格式不正确，请填写手机号码或带区号的固定电话。", field="phone")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ServiceError("EMAIL_INVALID", "电子邮箱格式不正确，请填写如 name@example.cn 的地址。", field="email") from None
    return {"name": name, "phone": phone, "email": email, "body": body}
