"""An agency's own letter wording and 文号 prefix: saving it (checked, audited) and previewing it."""

import re

from django.db import transaction

from gongkai.applications.letters.context import letter_context, sample_application, sample_extra
from gongkai.applications.letters.wording import (
    agency_template,
    check_source,
    lacks_basis,
    lacks_remedy,
    raw_body,
    render_letter,
    tidy,
)
from gongkai.applications.models import LetterKind, LetterTemplate
from gongkai.applications.replies import ReplyType
from gongkai.audit.models import Action
from gongkai.audit.services import record, snapshot
from gongkai.disclosure.sanitize import refuse_active_content
from gongkai.errors import ServiceError
from gongkai.orgs import access
from gongkai.orgs.roles import Perm

AUDITED_FIELDS = ["kind", "body", "number_prefix"]
PREFIX_RE = re.compile(r"^[^\s〔〕\[\]{}<>]{1,30}$")


def _check_kind(kind: str) -> None:
    if kind not in LetterKind.values:
        raise ServiceError("LETTER_KIND_INVALID", "未知的文书类型。", field="kind")


def _try_on_samples(agency, kind: str, body: str) -> None:
    """Render the template for every case it will serve, refusing one a letter could not go out with."""
    template = check_source(body)
    reply_types = ReplyType.values if kind == LetterKind.REPLY else [ReplyType.PUBLIC_PROVIDED]
    for reply_type in reply_types:
        context = letter_context(sample_application(agency, reply_type), kind, sample_extra(kind))
        try:
            text = raw_body(kind, context, template)
        except Exception as exc:  # noqa: BLE001 - any failure is the template's, reported to its author
            raise ServiceError("LETTER_TEMPLATE_RENDER_FAILED", f"文书模板无法生成文书：{exc}。", field="body") from exc
        if lacks_basis(text, context):
            raise ServiceError("LETTER_TEMPLATE_BASIS_MISSING",
                               "文书应写明法律依据：请在正文中加入 {{ basis }}，如“根据{{ basis }}的规定”。", field="body")
        if lacks_remedy(kind, text):
            raise ServiceError("LETTER_TEMPLATE_REMEDY_MISSING",
                               "答复书应告知申请行政复议和提起行政诉讼的途径：请在正文中加入 {{ remedy }}。", field="body")


def template_update(*, actor, agency, kind: str, body: str, title: str = "", number_prefix: str = ""):
    """Save an agency's wording of one kind of letter. An empty body keeps gongkai's default text
    (with the prefix, if one is given); empty body and prefix remove the agency's template.

    Returns the LetterTemplate, or None when the default is restored.
    """
    access.require(actor, Perm.EDIT_AGENCY, agency)
    _check_kind(kind)
    if (title or "").strip():
        # LetterTemplate has no title column: titles are the defaults' (letter_defaults.TITLES).
        raise ServiceError("LETTER_TITLE_NOT_SUPPORTED", "文书标题由系统按文书类型统一生成，暂不能修改。", field="title")
    body = tidy(body or "")
    number_prefix = (number_prefix or "").strip()
    refuse_active_content(body, field="body", label="正文模板")
    refuse_active_content(number_prefix, field="number_prefix", label="文号前缀")
    if number_prefix and not PREFIX_RE.match(number_prefix):
        raise ServiceError("LETTER_NUMBER_PREFIX_INVALID",
                           "文号前缀应为1至30个字符，不含空格和括号，如“清财公复”。", field="number_prefix")
    if body:
        _try_on_samples(agency, kind, body)
    with transaction.atomic():
        current = LetterTemplate.objects.select_for_update().filter(agency=agency, kind=kind).first()
        before = snapshot(current, AUDITED_FIELDS) if current else None
        if not body and not number_prefix:
            if current is not None:
                record(actor=actor, action=Action.TEMPLATE_RESET, obj=current, agency=agency, before=before,
                       after=None, note=f"{LetterKind(kind).label}恢复为系统默认模板")
                current.delete()
            return None
        template = current or LetterTemplate(agency=agency, kind=kind)
        template.body, template.number_prefix = body, number_prefix
        template.save()
        record(actor=actor, action=Action.TEMPLATE_UPDATE, obj=template, agency=agency, before=before,
               after=snapshot(template, AUDITED_FIELDS), note=f"修改{LetterKind(kind).label}模板")
    return template


def preview(agency, kind: str, *, body: str | None = None, reply_type: str = ReplyType.PUBLIC_PROVIDED) -> str:
    """The letter a template produces for a sample application: title, blank line, body.

    ``body`` previews an unsaved text (raising the ServiceError saving it would); without it the
    agency's saved template, or the default, is shown.
    """
    _check_kind(kind)
    if reply_type not in ReplyType.values:
        raise ServiceError("REPLY_TYPE_INVALID", "请选择答复类型。", field="reply_type")
    template = check_source(tidy(body)) if body and body.strip() else agency_template(agency, kind)
    context = letter_context(sample_application(agency, reply_type), kind, sample_extra(kind))
    title, text = render_letter(kind, context, template)
    return f"{title}\n\n{text}"
