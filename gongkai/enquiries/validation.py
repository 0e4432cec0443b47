"""Checks on what the public types into a message: every problem with a specific Chinese message."""

from gongkai.applications.validation import PHONE_RE, email_valid
from gongkai.disclosure.sanitize import refuse_active_content
from gongkai.enquiries.models import Kind
from gongkai.errors import ServiceError

KINDS = frozenset(Kind.values)
LABELS = {"subject": "标题", "body": "留言内容", "name": "姓名", "phone": "联系电话", "email": "电子邮箱"}
# (shortest, longest) in characters; a subject of three characters says nothing an answer could address.
LENGTHS = {"subject": (4, 100), "body": (10, 2000), "name": (1, 50), "phone": (0, 30), "email": (0, 254)}


def message_problems(data: dict) -> tuple[dict, list[ServiceError]]:
    """(the normalised message, every problem in it: at most one per field), so the public form
    shows them all at once."""
    cleaned = {f: (data.get(f) or "").strip() for f in LABELS}
    cleaned["kind"] = (data.get("kind") or "").strip()
    cleaned["allow_publish"] = bool(data.get("allow_publish", True))
    problems: dict[str, ServiceError] = {}

    def refuse(code, message, field):
        problems.setdefault(field, ServiceError(code, message, field=field))

    if cleaned["kind"] not in KINDS:
        refuse("ENQUIRY_KIND_INVALID", "请选择留言类型（咨询、建议、投诉、求助或纠错）。", "kind")
    for field, label in LABELS.items():
        try:
            refuse_active_content(cleaned[field], field=field, label=label)
        except ServiceError as error:
            problems.setdefault(field, error)
        shortest, longest = LENGTHS[field]
        value = cleaned[field]
        if shortest and not value:
            refuse("ENQUIRY_FIELD_REQUIRED", f"请填写“{label}”。", field)
        elif len(value) < shortest:
            refuse("ENQUIRY_FIELD_TOO_SHORT", f"“{label}”至少需要{shortest}个字，请写明具体问题。", field)
        elif len(value) > longest:
            refuse("ENQUIRY_FIELD_TOO_LONG", f"“{label}”不能超过{longest}个字（现有{len(value)}个）。", field)
    if cleaned["phone"] and not PHONE_RE.match(cleaned["phone"].replace(" ", "")):
        refuse("PHONE_INVALID", "联系电话格式不正确（手机号码或带区号的固定电话）。", "phone")
    if cleaned["email"] and not email_valid(cleaned["email"]):
        refuse("EMAIL_INVALID", "电子邮箱格式不正确。", "email")
    if not cleaned["phone"] and not cleaned["email"]:
        refuse("CONTACT_REQUIRED", "请至少填写联系电话或电子邮箱中的一项，以便机关联系您。", "phone")
    return cleaned, list(problems.values())


def clean_message(data: dict) -> dict:
    cleaned, problems = message_problems(data)
    if problems:
        raise problems[0]
    return cleaned


def clean_text(value, *, field: str, label: str, longest: int) -> str:
    """A staff text (answer, reason, FAQ entry): present, without scripts, within its length."""
    value = (value or "").strip()
    if not value:
        raise ServiceError("ENQUIRY_FIELD_REQUIRED", f"请填写“{label}”。", field=field)
    refuse_active_content(value, field=field, label=label)
    if len(value) > longest:
        raise ServiceError("ENQUIRY_FIELD_TOO_LONG", f"“{label}”不能超过{longest}个字（现有{len(value)}个）。", field=field)
    return value
