"""Checks on what applicants and staff type into an application (条例第29条 required contents)."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

from gongkai.applications.models import Channel, IdType, ProvisionForm
from gongkai.applications.replies import ApplicantType
from gongkai.disclosure.sanitize import refuse_active_content
from gongkai.errors import ServiceError
from gongkai.pii.detectors import id_check_char

PHONE_RE = re.compile(r"^(\+?86[- ]?)?(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$")
_email_validator = EmailValidator()


def email_valid(address: str) -> bool:
    """Django's EmailValidator (RFC 5322 local part, IDNA domain, 254 characters at most): checked
    before any message is built, so a malformed or header-smuggling address never reaches SMTP."""
    try:
        _email_validator(address)
    except ValidationError:
        return False
    return True

# Sets built once: a TextChoices' ``.values`` builds a new list on every access, and every API
# submission is checked against these.
APPLICANT_TYPES = frozenset(ApplicantType.values)
ID_TYPES = frozenset(IdType.values)
PROVISION_FORMS = frozenset(ProvisionForm.values)
CHANNELS = frozenset(Channel.values)

TEXT_LABELS = {
    "applicant_name": "申请人姓名/名称", "contact_person": "联系人", "id_number": "证件号码", "phone": "联系电话",
    "email": "电子邮箱", "address": "通信地址", "postcode": "邮政编码", "description": "所需信息的描述",
}


def valid_resident_id(number: str) -> bool:
    """GB 11643-1999: 17 digits, then a check character over them."""
    number = number.upper()
    return bool(re.fullmatch(r"\d{17}[\dX]", number)) and id_check_char(number[:17]) == number[17]


def clean_applicant(data: dict) -> dict:
    """The applicant's details as stored; the first problem found is raised (the API reports one)."""
    data, problems = applicant_problems(data)
    if problems:
        raise problems[0]
    return data


def applicant_problems(data: dict) -> tuple[dict, list[ServiceError]]:
    """(the normalised details, every problem in them: at most one per field, in the order checked).

    The public form shows them all at once, so a person on a phone fixes everything in one pass.
    """
    data = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}
    problems: dict[str, ServiceError] = {}

    def refuse(code, message, field):
        problems.setdefault(field, ServiceError(code, message, field=field))

    for field, label in TEXT_LABELS.items():
        try:
            refuse_active_content(data.get(field, "") or "", field=field, label=label)
        except ServiceError as error:
            problems.setdefault(field, error)
    required = {"applicant_type": "申请人类型", "applicant_name": "申请人姓名/名称", "id_type": "证件类型",
                "id_number": "证件号码", "phone": "联系电话", "description": "所需信息的描述", "provision_form": "获取信息的方式"}
    for field, label in required.items():
        if not data.get(field):
            refuse("APPLICATION_FIELD_REQUIRED", f"请填写“{label}”。", field)
    if data.get("applicant_type") and data["applicant_type"] not in APPLICANT_TYPES:
        refuse("APPLICANT_TYPE_INVALID", "申请人类型不正确。", "applicant_type")
    if data.get("id_type") and data["id_type"] not in ID_TYPES:
        refuse("ID_TYPE_INVALID", "证件类型不正确。", "id_type")
    if data.get("id_number") and data.get("id_type") == IdType.RESIDENT_ID:
        data["id_number"] = data["id_number"].upper()
        if not valid_resident_id(data["id_number"]):
            refuse("ID_NUMBER_INVALID", "居民身份证号码有误（应为18位，最后一位为校验码），请核对。", "id_number")
    elif data.get("id_number") and len(data["id_number"]) < 5:
        refuse("ID_NUMBER_INVALID", "证件号码过短，请核对。", "id_number")
    if data.get("phone") and not PHONE_RE.match(data["phone"].replace(" ", "")):
        refuse("PHONE_INVALID", "联系电话格式不正确（手机号码或带区号的固定电话）。", "phone")
    if data.get("email") and not email_valid(data["email"]):
        refuse("EMAIL_INVALID", "电子邮箱格式不正确。", "email")
    if data.get("postcode") and not re.fullmatch(r"\d{6}", data["postcode"]):
        refuse("POSTCODE_INVALID", "邮政编码应为6位数字。", "postcode")
    if data.get("provision_form") and data["provision_form"] not in PROVISION_FORMS:
        refuse("PROVISION_FORM_INVALID", "获取信息的方式不正确。", "provision_form")
    if data.get("provision_form") == ProvisionForm.EMAIL and not data.get("email"):
        refuse("EMAIL_REQUIRED", "选择以电子邮件获取信息的，请填写电子邮箱。", "email")
    if data.get("provision_form") == ProvisionForm.POST and not data.get("address"):
        refuse("ADDRESS_REQUIRED", "选择邮寄的，请填写通信地址。", "address")
    description = data.get("description") or ""
    if description and len(description) < 4:
        refuse("DESCRIPTION_TOO_SHORT", "请写明所需政府信息的名称、文号或其他特征描述。", "description")
    if len(description) > 4000:
        refuse("DESCRIPTION_TOO_LONG", "描述不能超过4000字。", "description")
    for field, limit in (("applicant_name", 100), ("contact_person", 50), ("email", 254), ("address", 200),
                         ("id_number", 40), ("phone", 30)):
        if len(data.get(field) or "") > limit:
            refuse("APPLICATION_FIELD_TOO_LONG", f"“{TEXT_LABELS[field]}”不能超过{limit}个字符。", field)
    return data, list(problems.values())


def check_channel(channel: str) -> None:
    if channel not in CHANNELS:
        raise ServiceError("CHANNEL_INVALID", "申请方式不正确。", field="channel")
