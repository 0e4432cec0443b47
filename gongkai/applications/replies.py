"""Reply types of 依申请公开 and the rows of annual-report table 三 they are counted in.

The primary code of a reply is what the regulation says was decided (条例第35–39条, 第30条);
the report row is derived from it (spec regulation.md §1.3 note, §2 "答复类型→表三行映射").
Each reply type is one leaf outcome of table 三 of the 2021 report format (国办公开办函〔2021〕30号),
so every closed application is counted in exactly one row and the report needs no guessing.

Row codes follow the table: "1" 一, "2" 二, "3.3.5" 三（三）5, "3.7" 三（七）总计, "4" 四.
"""

from dataclasses import dataclass

from django.db import models


class ReplyType(models.TextChoices):
    # 三（一）予以公开
    PUBLIC_ALREADY = "public_already", "予以公开（已主动公开，告知获取方式）"
    PUBLIC_PROVIDED = "public_provided", "予以公开（提供信息）"
    # 三（二）部分公开
    PARTIAL = "partial", "部分公开（区分处理）"
    # 三（三）不予公开
    WITHHELD_STATE_SECRET = "withheld_state_secret", "不予公开：属于国家秘密"
    WITHHELD_LAW_PROHIBITS = "withheld_law_prohibits", "不予公开：其他法律行政法规禁止公开"
    WITHHELD_SECURITY = "withheld_security", "不予公开：危及“三安全一稳定”"
    WITHHELD_THIRD_PARTY = "withheld_third_party", "不予公开：保护第三方合法权益"
    WITHHELD_INTERNAL = "withheld_internal", "不予公开：属于三类内部事务信息"
    WITHHELD_PROCESS = "withheld_process", "不予公开：属于四类过程性信息"
    WITHHELD_ENFORCEMENT_FILE = "withheld_enforcement_file", "不予公开：属于行政执法案卷"
    WITHHELD_ADMIN_QUERY = "withheld_admin_query", "不予公开：属于行政查询事项"
    # 三（四）无法提供
    UNAVAILABLE_NOT_EXIST = "unavailable_not_exist", "无法提供：经检索没有该信息"
    UNAVAILABLE_NOT_RESPONSIBLE = "unavailable_not_responsible", "无法提供：非本机关负责公开"
    UNAVAILABLE_NEEDS_CREATION = "unavailable_needs_creation", "无法提供：没有现成信息，需要另行制作"
    UNAVAILABLE_STILL_UNCLEAR = "unavailable_still_unclear", "无法提供：补正后申请内容仍不明确"
    # 三（五）不予处理
    NOT_PROCESSED_PETITION = "not_processed_petition", "不予处理：信访举报投诉类申请"
    NOT_PROCESSED_REPEAT = "not_processed_repeat", "不予处理：重复申请"
    NOT_PROCESSED_PUBLICATION = "not_processed_publication", "不予处理：要求提供公开出版物"
    NOT_PROCESSED_EXCESSIVE = "not_processed_excessive", "不予处理：无正当理由大量反复申请"
    NOT_PROCESSED_CONFIRMATION = "not_processed_confirmation", "不予处理：要求确认或重新出具已获取信息"
    # 三（六）其他处理
    OTHER_NO_CORRECTION = "other_no_correction", "其他处理：逾期不补正，不再处理"
    OTHER_FEE_UNPAID = "other_fee_unpaid", "其他处理：逾期未缴纳信息处理费，不再处理"
    OTHER = "other", "其他处理：其他（特别规定办理、申请人撤回等）"


class ApplicantType(models.TextChoices):
    """The columns of table 三; recorded at registration or the table cannot be produced (spec §1.3)."""

    NATURAL = "natural", "自然人"
    COMMERCIAL = "commercial", "商业企业"
    RESEARCH = "research", "科研机构"
    PUBLIC_INTEREST = "public_interest", "社会公益组织"
    LEGAL_SERVICE = "legal_service", "法律服务机构"
    OTHER = "other", "其他"

    @property
    def is_legal_person(self) -> bool:
        return is_legal_person(self)


def is_legal_person(applicant_type: str) -> bool:
    """True for the five 法人或其他组织 columns of table 三, False for 自然人."""
    return ApplicantType(applicant_type) != ApplicantType.NATURAL


# Table 三 rows in the order of the 2021 format, wording as printed (spec §2). Leaves only: the group
# headings 三、（三）（四）（五）（六） carry no numbers of their own (see REPORT_GROUPS).
REPORT_ROWS: list[tuple[str, str]] = [
    ("1", "本年新收政府信息公开申请数量"),
    ("2", "上年结转政府信息公开申请数量"),
    ("3.1", "予以公开"),
    ("3.2", "部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("3.3.1", "属于国家秘密"),
    ("3.3.2", "其他法律行政法规禁止公开"),
    ("3.3.3", "危及“三安全一稳定”"),
    ("3.3.4", "保护第三方合法权益"),
    ("3.3.5", "属于三类内部事务信息"),
    ("3.3.6", "属于四类过程性信息"),
    ("3.3.7", "属于行政执法案卷"),
    ("3.3.8", "属于行政查询事项"),
    ("3.4.1", "本机关不掌握相关政府信息"),
    ("3.4.2", "没有现成信息需要另行制作"),
    ("3.4.3", "补正后申请内容仍不明确"),
    ("3.5.1", "信访举报投诉类申请"),
    ("3.5.2", "重复申请"),
    ("3.5.3", "要求提供公开出版物"),
    ("3.5.4", "无正当理由大量反复申请"),
    ("3.5.5", "要求行政机关确认或重新出具已获取信息"),
    ("3.6.1", "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("3.6.2", "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("3.6.3", "其他"),
    ("3.7", "总计"),
    ("4", "结转下年度继续办理"),
]

REPORT_GROUPS: dict[str, str] = {
    "3": "本年度办理结果",
    "3.3": "不予公开",
    "3.4": "无法提供",
    "3.5": "不予处理",
    "3.6": "其他处理",
}

REPORT_ROW_LABELS: dict[str, str] = dict(REPORT_ROWS)

# The rows a closed application is counted in: 三（一）to（六）. 三（七）is their sum (勾稽校验 2).
RESULT_ROWS: tuple[str, ...] = tuple(code for code, _ in REPORT_ROWS if code.startswith("3.") and code != "3.7")

# 不予公开 reason codes (spec §1.1), the values of gongkai.disclosure.models.ExemptionReason.
EXEMPTION_CODES: tuple[str, ...] = ("X14-1", "X14-2", "X14-3", "X15", "X16-1", "X16-2", "X16-3")


@dataclass(frozen=True)
class ReplyRule:
    """What a reply type demands of the 答复书 and where it is counted.

    article: the provision of 条例 (国务院令第711号) the decision rests on, as cited in the letter;
        "" where the regulation has none (the row exists only in the report format).
    needs_reason: the letter must state reasons in the handler's own words (说明理由, 第36条第（三）
        （五）项, 第37条, 第35条, 第38条 …); for 不予公开 the reason code must also be one of reason_codes.
    needs_article: the handler must also name the specific law and article relied on, because the
        regulation only refers onward (which 法律、行政法规 prohibits disclosure, which law sets up
        the query channel, which law governs the registration records of 第36条第（七）项).
    letter_kind: the 答复书 template.
    closes_case: the reply ends the application (办结) and counts in table 三 of the closing year.
    """

    type: ReplyType
    article: str
    report_row: str
    report_label: str
    needs_reason: bool
    needs_article: bool
    reason_codes: tuple[str, ...]
    letter_kind: str
    closes_case: bool


def _rule(reply_type, article, row, *, reason=False, law=False, codes=(), letter) -> ReplyRule:
    return ReplyRule(reply_type, article, row, REPORT_ROW_LABELS[row], reason, law, tuple(codes), letter, True)


_T = ReplyType
RULES: dict[str, ReplyRule] = {
    r.type: r
    for r in [
        # 第36条第（一）（二）项 → 三（一）
        _rule(_T.PUBLIC_ALREADY, "第三十六条第（一）项", "3.1", letter="reply_public"),
        _rule(_T.PUBLIC_PROVIDED, "第三十六条第（二）项", "3.1", letter="reply_public"),
        # 第37条: the withheld part needs its reason and code; counted only here (表三（二）表注).
        _rule(_T.PARTIAL, "第三十七条", "3.2", reason=True, codes=EXEMPTION_CODES, letter="reply_partial"),
        # 第36条第（三）项 with 第14–16条 → 三（三）1–7
        _rule(_T.WITHHELD_STATE_SECRET, "第十四条", "3.3.1", reason=True, codes=["X14-1"], letter="reply_withheld"),
        _rule(_T.WITHHELD_LAW_PROHIBITS, "第十四条", "3.3.2", reason=True, law=True, codes=["X14-2"],
              letter="reply_withheld"),
        _rule(_T.WITHHELD_SECURITY, "第十四条", "3.3.3", reason=True, codes=["X14-3"], letter="reply_withheld"),
        _rule(_T.WITHHELD_THIRD_PARTY, "第十五条", "3.3.4", reason=True, codes=["X15"], letter="reply_withheld"),
        _rule(_T.WITHHELD_INTERNAL, "第十六条第一款", "3.3.5", reason=True, codes=["X16-1"], letter="reply_withheld"),
        _rule(_T.WITHHELD_PROCESS, "第十六条第二款", "3.3.6", reason=True, codes=["X16-2"], letter="reply_withheld"),
        _rule(_T.WITHHELD_ENFORCEMENT_FILE, "第十六条第二款", "3.3.7", reason=True, codes=["X16-3"],
              letter="reply_withheld"),
        # 三（三）8 has no article of its own (spec §2 mapping): the request is answered under 第36条第（七）项
        # (letter_defaults.REPLY_FALLBACK_ARTICLES) and the query channel's own law is named in the reason.
        _rule(_T.WITHHELD_ADMIN_QUERY, "", "3.3.8", reason=True, law=True, letter="reply_withheld"),
        # 第36条第（四）（五）项 → 三（四）1; 第（五）项 also names the responsible agency where known.
        _rule(_T.UNAVAILABLE_NOT_EXIST, "第三十六条第（四）项", "3.4.1", reason=True, letter="reply_unavailable"),
        _rule(_T.UNAVAILABLE_NOT_RESPONSIBLE, "第三十六条第（五）项", "3.4.1", reason=True, letter="reply_unavailable"),
        _rule(_T.UNAVAILABLE_NEEDS_CREATION, "第三十八条", "3.4.2", reason=True, letter="reply_unavailable"),
        # No article names this outcome; it follows a 第30条 correction that did not cure the request.
        _rule(_T.UNAVAILABLE_STILL_UNCLEAR, "", "3.4.3", reason=True, letter="reply_unavailable"),
        # 三（五）不予处理
        _rule(_T.NOT_PROCESSED_PETITION, "第三十九条第一款", "3.5.1", reason=True, letter="reply_not_processed"),
        _rule(_T.NOT_PROCESSED_REPEAT, "第三十六条第（六）项", "3.5.2", reason=True, letter="reply_not_processed"),
        _rule(_T.NOT_PROCESSED_PUBLICATION, "第三十九条第二款", "3.5.3", reason=True, letter="reply_not_processed"),
        _rule(_T.NOT_PROCESSED_EXCESSIVE, "第三十五条", "3.5.4", reason=True, letter="reply_not_processed"),
        _rule(_T.NOT_PROCESSED_CONFIRMATION, "", "3.5.5", reason=True, letter="reply_not_processed"),
        # 三（六）其他处理. The first two follow from dates on the file (视为放弃), so no reason text.
        _rule(_T.OTHER_NO_CORRECTION, "第三十条", "3.6.1", letter="reply_other"),
        # 第42条 with 国办函〔2020〕109号; the article setting the 20-WD payment period is UNCONFIRMED (fees.py).
        _rule(_T.OTHER_FEE_UNPAID, "第四十二条", "3.6.2", letter="reply_other"),
        # 第36条第（七）项 (工商、不动产登记资料等) and withdrawals; local practice varies (spec §2 mapping).
        _rule(_T.OTHER, "第三十六条第（七）项", "3.6.3", reason=True, law=True, letter="reply_other"),
    ]
}
del _T

LETTER_KINDS: tuple[str, ...] = tuple(dict.fromkeys(r.letter_kind for r in RULES.values()))


# The reply types a 行政查询 request may be recorded as (settings.GONGKAI_ADMIN_QUERY_REPLY): the 2021
# format counts 属于行政查询事项 under 三（三）不予公开 8, while the regulation's own answer for
# information whose acquisition a law or administrative regulation governs is 第36条第（七）项,
# 告知申请人依照有关法律、行政法规的规定办理, which some counsel count as 三（六）3 其他处理.
ADMIN_QUERY_REPLY_TYPES = (ReplyType.WITHHELD_ADMIN_QUERY, ReplyType.OTHER)


def recorded_reply_type(reply_type: str, admin_query_reply: str) -> str:
    """The reply type stored for a decision: a 行政查询 decision becomes the configured type."""
    if reply_type != ReplyType.WITHHELD_ADMIN_QUERY:
        return reply_type
    if admin_query_reply not in ADMIN_QUERY_REPLY_TYPES:
        raise ValueError(f"not a reply type for a 行政查询 request: {admin_query_reply!r}")
    return ReplyType(admin_query_reply)


def rule_for(reply_type: str) -> ReplyRule:
    """The rule of a reply type, given as a member or its stored value; ValueError if unknown."""
    return RULES[ReplyType(reply_type)]


def report_row_for(reply_type: str) -> str:
    """The table-三 row code a closed application with this reply is counted in, e.g. "3.3.5"."""
    return rule_for(reply_type).report_row
