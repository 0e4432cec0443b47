"""What a letter template sees: plain strings and dicts only, never a model instance.

A staff-edited template is Django template language, and Django resolves ``{{ a.b.c }}`` through
attributes and calls methods without arguments: handed the Application it could walk to
``application.handler.password`` or the encrypted identity number. So the context is built here
from the fields a letter may print, and nothing else.
"""

import datetime as dt
import re

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from gongkai.applications import fees
from gongkai.applications import letter_defaults as defaults
from gongkai.applications.models import Application, LetterKind
from gongkai.applications.replies import RULES, ReplyType
from gongkai.disclosure.models import ExemptionReason
from gongkai.orgs.models import AgencyKind

OFFICE_FIELDS = ("name", "address", "postcode", "hours", "phone", "fax", "email", "website")

# The ``extra`` keys each caller passes (handling.py); the letter cannot be written without them.
EXTRA_KEYS: dict[str, tuple[str, ...]] = {
    LetterKind.CORRECTION: ("items", "deadline"),
    LetterKind.EXTENSION: ("days", "reason", "due"),
    LetterKind.DELAY: ("until", "reason"),
    LetterKind.THIRD_PARTY: ("party", "answer_by"),
    LetterKind.FEE: ("quote", "pay_by"),
}


def cn_date(value) -> str:
    """2026年1月5日, the date style of letters (style.md)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return f"{value.year}年{value.month}月{value.day}日"


def office_of(agency) -> dict:
    try:
        office = agency.office
    except ObjectDoesNotExist:
        office = None
    return {name: (getattr(office, name, "") or "") for name in OFFICE_FIELDS}


def contact_line(office: dict) -> str:
    parts = [f"联系电话：{office['phone']}" if office["phone"] else "",
             f"通信地址：{office['address']}" if office["address"] else "",
             f"邮政编码：{office['postcode']}" if office["postcode"] else ""]
    return "　".join(p for p in parts if p)


def review_body(agency) -> str:
    """The 行政复议机关 named in the 答复书 [P].

    Under the 行政复议法 as revised in 2023 (第24条), a local government hears reviews of its own
    departments and their 派出机构, and of the government one level down: so the nearest ancestor
    that is a 人民政府. Vertically managed bodies (税务、海关、金融…, 第27条) go to their superior
    department instead; such agencies write their own 答复书 template with the right body.
    """
    node = agency.parent
    while node is not None:
        if node.kind == AgencyKind.GOVERNMENT:
            return node.name
        node = node.parent
    return defaults.REVIEW_BODY_UNKNOWN


def _articles(kind: str, application) -> str:
    if kind != LetterKind.REPLY:
        basis = defaults.LAW + defaults.NOTICE_ARTICLES[kind]
        return f"{basis}和{defaults.FEE_RULES}" if kind == LetterKind.FEE else basis
    rule = RULES[application.reply_type]
    articles = [rule.article or defaults.REPLY_FALLBACK_ARTICLES[application.reply_type]]
    if rule.reason_codes and rule.letter_kind == "reply_withheld" and defaults.WITHHELD_PROCEDURE_ARTICLE not in articles:
        articles.append(defaults.WITHHELD_PROCEDURE_ARTICLE)
    code_article = defaults.EXEMPTION_ARTICLES.get(application.reply_reason_code)
    if rule.letter_kind == "reply_partial" and code_article:
        articles.append(code_article)
    return defaults.LAW + "、".join(articles)


# 「【补正 2026-12-07】text」 is how handling.receive_correction appends the applicant's correction
# to the request; a letter quotes the request as corrected and names the day (第30条: the clock restarts).
CORRECTION_MARK_RE = re.compile(r"\s*【补正 (\d{4})-(\d{2})-(\d{2})】")

# How a reply names a 不予公开 ground in a sentence (the reason codes' labels are screen labels with
# the article in brackets, 「…（第十五条）」, which read badly inside a sentence).
REASON_PHRASES: dict[str, str] = {
    "X14-1": "依法确定为国家秘密的政府信息",
    "X14-2": "法律、行政法规禁止公开的政府信息",
    "X14-3": "公开后可能危及国家安全、公共安全、经济安全、社会稳定的政府信息",
    "X15": "涉及商业秘密、个人隐私等公开会对第三方合法权益造成损害的政府信息",
    "X16-1": "人事管理、后勤管理、内部工作流程等方面的内部事务信息",
    "X16-2": "行政机关在履行行政管理职能过程中形成的过程性信息",
    "X16-3": "行政执法案卷信息",
}
_INDEX_NUMBER_RE = re.compile(r"[0-9A-Z]{6,18}/\d{4}-\d{3,8}")


def _one_line(text: str) -> str:
    """One line without closing punctuation: templates quote it as “…”。 inside a paragraph."""
    return re.sub(r"\s*\n\s*", " ", text.strip()).rstrip("。．.；;，, ")


def request_as_corrected(description: str) -> tuple[str, str, dt.date | None]:
    """(original request, correction, day the correction was received) from the stored description."""
    parts = CORRECTION_MARK_RE.split(description)
    if len(parts) < 5:
        return _one_line(description), "", None
    original, corrections, day = parts[0], [], None
    for index in range(1, len(parts) - 1, 4):
        year, month, date_, text = parts[index:index + 4]
        day = dt.date(int(year), int(month), int(date_))
        corrections.append(_one_line(text))
    return _one_line(original), "；".join(c for c in corrections if c), day


def _sentence(text: str) -> str:
    """Staff's reason as a sentence of the letter: closed with 。 so the next sentence can follow."""
    text = (text or "").strip()
    return text if not text or text[-1] in "。！？）”" else text + "。"


def published_item(application) -> dict:
    """The proactively published item a 已主动公开 reply points to (第三十六条第（一）项: tell the
    applicant how to get it): named by its 索引号 in the reply reason, else the agency's published
    item whose title the request quotes. {} when none is found; the letter then names the platform."""
    from django.conf import settings
    from django.urls import reverse

    from gongkai.disclosure.models import Disclosure, Item, Status

    items = Item.objects.filter(agency=application.agency, status=Status.PUBLISHED, disclosure=Disclosure.PROACTIVE)
    found = None
    match = _INDEX_NUMBER_RE.search(application.reply_reason or "")
    if match:
        found = items.filter(index_number=match.group(0)).first()
    if found is None:
        wanted = application.description
        found = next((i for i in items.only("title", "index_number", "published_on", "agency_id")
                      .order_by("-published_on")[:500] if i.title and i.title in wanted), None)
    if found is None:
        return {}
    base = getattr(settings, "GONGKAI_PUBLIC_URL", "").rstrip("/")
    path = reverse("portal:item", args=[application.agency.code, found.pk])
    return {"title": found.title, "index_number": found.index_number or "", "published_on": cn_date(found.published_on),
            "link": f"{base}{path}" if base else ""}


def fee_payment(agency) -> str:
    """How to pay the 信息处理费 (settings.GONGKAI_FEE_PAYMENT, per agency code; "*" for all others):
    a bank transfer (payee, bank, account, reference) or in person at the office. The default is in
    person at the disclosure office's address and hours."""
    from django.conf import settings

    configured = getattr(settings, "GONGKAI_FEE_PAYMENT", {}) or {}
    way = configured.get(agency.code) or configured.get("*") or {}
    if way.get("account"):
        reference = way.get("reference") or "信息处理费及查询码"
        return (f"通过银行转账缴纳至：户名{way.get('payee') or agency.name}，开户银行{way.get('bank', '')}，"
                f"账号{way['account']}，转账时请在附言中注明{reference}")
    office = office_of(agency)
    where = way.get("place") or office["address"] or "本机关政府信息公开工作机构"
    hours = f"（{office['hours']}）" if office["hours"] else ""
    return f"持本通知书到{where}{hours}当面缴纳"


def _reply(application) -> dict:
    rule = RULES[application.reply_type]
    code = application.reply_reason_code or ""
    return {
        "type": rule.type.value,
        "label": ReplyType(rule.type).label,
        "variant": rule.letter_kind,
        "article": rule.article or defaults.REPLY_FALLBACK_ARTICLES[rule.type],
        "reason_code": code,
        "reason_label": ExemptionReason(code).label if code in ExemptionReason.values else "",
        "reason_phrase": REASON_PHRASES.get(code, ""),
        "reason": _sentence(application.reply_reason),
        "published": published_item(application) if rule.type == ReplyType.PUBLIC_ALREADY else {},
        "decision": "",  # rendered from REPLY_DECISIONS by wording.render_letter
    }


def _extra(kind: str, extra: dict) -> dict:
    missing = [key for key in EXTRA_KEYS.get(kind, ()) if key not in extra]
    if missing:
        raise ValueError(f"letters.compose({kind!r}) needs extra keys {missing}")
    values = {}
    for key, value in extra.items():
        if isinstance(value, fees.FeeQuote):
            value = {"describe": value.describe(), "amount": f"{value.amount:,}",
                     "method": "按件计收" if value.method == fees.PER_ITEM else "按量计收"}
        elif isinstance(value, dt.date | dt.datetime):
            value = cn_date(value)
        elif value is None:
            value = ""
        elif not isinstance(value, str | int):
            value = str(value)
        values[key] = value
    return values


def letter_context(application, kind: str, extra: dict | None = None, *, today: dt.date | None = None) -> dict:
    agency = application.agency
    office = office_of(agency)
    description, correction, corrected_on = request_as_corrected(application.description)
    context = {
        "application": {
            "name": application.applicant_name,
            "tracking_code": application.tracking_code,
            "received_on": cn_date(application.received_on),
            "due_on": cn_date(application.due_on),
            "description": description,
            "correction": correction,  # what the applicant added in a 补正, "" without one
            "corrected_on": cn_date(corrected_on),
            "channel": application.get_channel_display(),
            "provision_form": application.get_provision_form_display(),
            "received_rule": defaults.RECEIVED_RULES.get(application.channel, ""),
        },
        "agency": {"name": agency.name, "short_name": agency.short_name or agency.name,
                   "review_body": review_body(agency), "office": office},
        "today": cn_date(today or timezone.localdate()),
        "law": defaults.LAW,
        "basis": _articles(kind, application),
        "contact": contact_line(office),
    }
    context["remedy"] = defaults.REMEDY.format(review_body=context["agency"]["review_body"])
    if kind == LetterKind.REPLY:
        context["reply"] = _reply(application)
    if kind == LetterKind.FEE:
        context["payment"] = fee_payment(agency)
    context.update(_extra(kind, extra or {}))
    return context


def sample_application(agency, reply_type: str = ReplyType.PUBLIC_PROVIDED) -> Application:
    """An unsaved application to try a template on (template editor, save-time checks)."""
    today = timezone.localdate()
    rule = RULES[reply_type]
    return Application(
        agency=agency, tracking_code="ABCD2345EF", channel="online", applicant_type="natural",
        applicant_name="张三", id_type="resident_id", description="本机关2025年度部门预算及“三公”经费预算情况说明",
        provision_form="email", received_on=today, due_on=today + dt.timedelta(days=28),
        reply_type=reply_type, reply_reason_code=rule.reason_codes[0] if rule.reason_codes else "",
        reply_reason="（此处为承办人填写的答复理由）" if rule.needs_reason else "",
    )


def sample_extra(kind: str) -> dict:
    later = timezone.localdate() + dt.timedelta(days=21)
    return {
        LetterKind.CORRECTION: {"items": "1. 请写明所需信息的名称或者文号；\n2. 请写明所需信息的形成时间范围。",
                                "deadline": later},
        LetterKind.EXTENSION: {"days": 20, "reason": "所需信息涉及多个内设机构，需要逐一调取核对", "due": later},
        LetterKind.DELAY: {"until": later, "reason": "申请所涉信息数量大，需要逐件检索"},
        LetterKind.THIRD_PARTY: {"party": "某某有限公司", "answer_by": later},
        LetterKind.FEE: {"quote": fees.quote_per_page(250), "pay_by": later},
    }.get(kind, {})
