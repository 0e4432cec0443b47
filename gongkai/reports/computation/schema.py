"""The annual-report interchange format (spec annual-report-json.md): keys, labels, JSON in and out.

Three formats (docs/reports.md):

* "2021" — tables 二–四 of the national format 国办公开办函〔2021〕30号;
* "2019" — the trial format 〔2019〕60号 (2019 reports, and 2020 per GONGKAI_REPORT_FORMAT_2020): table
  二 has its own rows and columns (ACTIVE_ROWS_2019), table 三 a single（六）其他处理 row, table 四 as 2021;
* "2008" — the outline of the 2007 regulation's reports (2008–2018), which has no tables 二–四 at all:
  its keys live in ``outline.py`` and ``unknown_keys`` hands such a report over to it.

A blank cell on a published page is ``null`` (blank is not zero). Unknown keys are kept as they
are and listed by ``unknown_keys``, never dropped.
"""

import json
from pathlib import Path

from gongkai.errors import ServiceError

FORMAT_2021 = "2021"
FORMAT_2019 = "2019"
FORMAT_2008 = "2008"
FORMATS = {FORMAT_2021: "国办公开办函〔2021〕30号", FORMAT_2019: "国办公开办函〔2019〕60号（试行）",
           FORMAT_2008: "2007年《政府信息公开条例》（国务院令第492号）年度报告提纲"}
# The formats printed as tables 二–四 (R1–R6 and W1 are rules about those tables).
TABLE_FORMATS = (FORMAT_2021, FORMAT_2019)

# --- 表二 主动公开政府信息情况 (第二十条第（一）（五）（六）（八）项) ---
ACTIVE_ROWS: dict[str, tuple[str, dict[str, str]]] = {
    "regulations": ("规章", {"issued": "本年制发件数", "repealed": "本年废止件数", "in_force": "现行有效件数"}),
    "normative_documents": ("行政规范性文件",
                            {"issued": "本年制发件数", "repealed": "本年废止件数", "in_force": "现行有效件数"}),
    "licensing": ("行政许可", {"decisions": "本年处理决定数量"}),
    "punishment": ("行政处罚", {"decisions": "本年处理决定数量"}),
    "coercion": ("行政强制", {"decisions": "本年处理决定数量"}),
    "fees": ("行政事业性收费", {"amount_10k_yuan": "本年收费金额（单位：万元）"}),
}
# The two rows whose 现行有效 carries over from year to year (W1).
DOCUMENT_ROWS = ("regulations", "normative_documents")

# 表二 of the 2019 trial format (spec regulation.md §2 旧格式; （六）has the same columns as（五）on
# the printed form). 本年增/减 is signed; 采购总金额 is as printed: the form names no unit.
_DOCUMENT_COLUMNS_2019 = {"made": "本年新制作数量", "published": "本年新公开数量", "published_total": "对外公开总数量"}
_ITEM_COLUMNS_2019 = {"previous_items": "上一年项目数量", "change": "本年增/减", "decisions": "处理决定数量"}
ACTIVE_ROWS_2019: dict[str, tuple[str, dict[str, str]]] = {
    "regulations": ("规章", _DOCUMENT_COLUMNS_2019),
    "normative_documents": ("规范性文件", _DOCUMENT_COLUMNS_2019),
    "licensing": ("行政许可", _ITEM_COLUMNS_2019),
    "other_management_services": ("其他对外管理服务事项", _ITEM_COLUMNS_2019),
    "punishment": ("行政处罚", _ITEM_COLUMNS_2019),
    "coercion": ("行政强制", _ITEM_COLUMNS_2019),
    "fees": ("行政事业性收费", {"previous_items": "上一年项目数量", "change": "本年增/减"}),
    "procurement": ("政府集中采购", {"projects": "采购项目数量", "total_amount": "采购总金额"}),
}
ACTIVE_ROWS_BY_FORMAT = {FORMAT_2021: ACTIVE_ROWS, FORMAT_2019: ACTIVE_ROWS_2019}
# The column of DOCUMENT_ROWS that carries over from year to year, per format (W1).
CARRIED_DOCUMENT_COLUMN = {FORMAT_2021: "in_force", FORMAT_2019: "published_total"}

# --- 表三 收到和处理政府信息公开申请情况 ---
APPLICANT_COLUMNS: dict[str, str] = {
    "natural": "自然人",
    "commercial": "商业企业",
    "research": "科研机构",
    "social_welfare": "社会公益组织",
    "legal_service": "法律服务机构",
    "other": "其他",
}
REQUEST_COLUMNS: dict[str, str] = {**APPLICANT_COLUMNS, "total": "总计"}

_OUTCOMES_HEAD: list[tuple[str, str]] = [
    ("granted", "三（一）予以公开"),
    ("partial", "三（二）部分公开"),
    ("denied_state_secret", "三（三）1.属于国家秘密"),
    ("denied_law_forbidden", "三（三）2.其他法律行政法规禁止公开"),
    ("denied_three_safety", "三（三）3.危及“三安全一稳定”"),
    ("denied_third_party", "三（三）4.保护第三方合法权益"),
    ("denied_internal_affairs", "三（三）5.属于三类内部事务信息"),
    ("denied_process_info", "三（三）6.属于四类过程性信息"),
    ("denied_enforcement_file", "三（三）7.属于行政执法案卷"),
    ("denied_admin_query", "三（三）8.属于行政查询事项"),
    ("unable_not_held", "三（四）1.本机关不掌握相关政府信息"),
    ("unable_need_creation", "三（四）2.没有现成信息需要另行制作"),
    ("unable_unclear", "三（四）3.补正后申请内容仍不明确"),
    ("not_processed_complaint", "三（五）1.信访举报投诉类申请"),
    ("not_processed_repeat", "三（五）2.重复申请"),
    ("not_processed_publication", "三（五）3.要求提供公开出版物"),
    ("not_processed_massive", "三（五）4.无正当理由大量反复申请"),
    ("not_processed_confirm", "三（五）5.要求行政机关确认或重新出具已获取信息"),
]
_OTHER_2021: list[tuple[str, str]] = [
    ("other_no_correction", "三（六）1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other_no_fee", "三（六）2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other_other", "三（六）3.其他"),
]
_OTHER_2019: list[tuple[str, str]] = [("other_processing", "三（六）其他处理")]

# The leaf outcome rows whose sum is 三（七）总计 (R2), per format.
OUTCOME_ROWS: dict[str, tuple[str, ...]] = {
    FORMAT_2021: tuple(key for key, _ in _OUTCOMES_HEAD + _OTHER_2021),
    FORMAT_2019: tuple(key for key, _ in _OUTCOMES_HEAD + _OTHER_2019),
}

_INTAKE = [("new", "一、本年新收政府信息公开申请数量"), ("carried_over", "二、上年结转政府信息公开申请数量")]
_CLOSING = [("total_processed", "三（七）总计"), ("carried_forward", "四、结转下年度继续办理")]

# Table 三 rows in printed order, per format (subtotals excluded: they are optional).
REQUEST_ROWS: dict[str, tuple[str, ...]] = {
    fmt: ("new", "carried_over", *OUTCOME_ROWS[fmt], "total_processed", "carried_forward") for fmt in TABLE_FORMATS
}

# Optional subtotal rows some agencies print, and the sub-rows each must equal the sum of (R5).
SUBTOTAL_ROWS: dict[str, dict[str, tuple[str, ...]]] = {
    fmt: {
        "denied_subtotal": tuple(k for k in OUTCOME_ROWS[fmt] if k.startswith("denied_")),
        "unable_subtotal": tuple(k for k in OUTCOME_ROWS[fmt] if k.startswith("unable_")),
        "not_processed_subtotal": tuple(k for k in OUTCOME_ROWS[fmt] if k.startswith("not_processed_")),
        "other_subtotal": tuple(k for k in OUTCOME_ROWS[fmt] if k.startswith("other_")),
    }
    for fmt in TABLE_FORMATS
}

REQUEST_ROW_LABELS: dict[str, str] = dict(
    _INTAKE + _OUTCOMES_HEAD + _OTHER_2021 + _OTHER_2019 + _CLOSING + [
        ("denied_subtotal", "三（三）不予公开（小计）"),
        ("unable_subtotal", "三（四）无法提供（小计）"),
        ("not_processed_subtotal", "三（五）不予处理（小计）"),
        ("other_subtotal", "三（六）其他处理（小计）"),
    ]
)

# --- 表四 政府信息公开行政复议、行政诉讼情况 ---
REVIEW_GROUPS: dict[str, str] = {
    "review": "行政复议",
    "litigation_direct": "行政诉讼（未经复议直接起诉）",
    "litigation_after_review": "行政诉讼（复议后起诉）",
}
REVIEW_OUTCOMES: dict[str, str] = {"upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果",
                                   "pending": "尚未审结"}
REVIEW_COLUMNS: dict[str, str] = {**REVIEW_OUTCOMES, "total": "总计"}

# --- top level ---
SPEC_KEYS = ("agency", "year", "format", "active", "requests", "review_litigation")
# gongkai's own additions, written by compute.build_report and read back without complaint:
# the agency's 机构代码, the agencies summed into a roll-up, notes on cells left for staff, the
# staff-written text of sections 一/五/六 ({"一": "…"}, paragraphs separated by line breaks) and
# where each staff-entered cell came from ({"active.licensing.decisions": "县行政审批系统导出"}).
# "dated" is the day a version was published (ISO), printed under the agency at the end.
GONGKAI_KEYS = ("agency_code", "included_agencies", "notes", "narrative", "sources", "dated")
# The staff-written sections of the table formats; the 2008 outline's are outline.NARRATIVE_SECTIONS.
NARRATIVE_SECTIONS = ("一", "五", "六")


def narrative_sections(fmt: str) -> tuple[str, ...]:
    """The sections staff write in a report of this format (keys of report["narrative"])."""
    if fmt == FORMAT_2008:
        from gongkai.reports.computation import outline

        return outline.NARRATIVE_SECTIONS
    return NARRATIVE_SECTIONS


def _active_rows(fmt: str | None) -> dict[str, tuple[str, dict[str, str]]]:
    return ACTIVE_ROWS_BY_FORMAT.get(fmt) or {**ACTIVE_ROWS_2019, **ACTIVE_ROWS}


def is_active_row(row: str) -> bool:
    return row in ACTIVE_ROWS or row in ACTIVE_ROWS_2019


def row_label(row: str, fmt: str | None = None) -> str:
    """The printed label of any row or group key of tables 二–四 (table 二's differ by format)."""
    if is_active_row(row):
        return _active_rows(fmt).get(row, (row,))[0]
    return REQUEST_ROW_LABELS.get(row) or REVIEW_GROUPS.get(row) or row


def column_label(row: str, column: str, fmt: str | None = None) -> str:
    if is_active_row(row):
        for rows in (_active_rows(fmt), ACTIVE_ROWS, ACTIVE_ROWS_2019):
            label = rows.get(row, ("", {}))[1].get(column)
            if label:
                return label
        return column
    if row in REVIEW_GROUPS:
        return REVIEW_COLUMNS.get(column, column)
    return REQUEST_COLUMNS.get(column, column)


def report_format(report: dict) -> str:
    """The report's format ("2021", "2019" or "2008"); REPORT_FORMAT_UNKNOWN for anything else."""
    value = report.get("format")
    fmt = str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else None
    if fmt not in FORMATS:
        raise ServiceError(
            "REPORT_FORMAT_UNKNOWN",
            f"无法识别报告格式“{value}”：format 应为 \"2021\"（国办公开办函〔2021〕30号）、"
            f"\"2019\"（〔2019〕60号试行格式）或 \"2008\"（2008–2018年度，2007年条例的报告提纲）。",
            field="format",
        )
    return fmt


def _unknown_in(section: object, prefix: str, known: dict[str, tuple[str, ...]]) -> list[str]:
    if not isinstance(section, dict):
        return []
    found = []
    for row, cells in section.items():
        if row not in known:
            found.append(f"{prefix}.{row}")
        elif isinstance(cells, dict):
            found += [f"{prefix}.{row}.{column}" for column in cells if column not in known[row]]
    return found


def unknown_keys(report: dict) -> list[str]:
    """Dotted paths of every key the format does not define, e.g. "requests.granted.foreign"."""
    fmt = report_format(report)
    if fmt == FORMAT_2008:
        from gongkai.reports.computation import outline

        return outline.unknown_keys(report)
    found = [key for key in report if key not in SPEC_KEYS and key not in GONGKAI_KEYS]
    active = {row: tuple(columns) for row, (_label, columns) in ACTIVE_ROWS_BY_FORMAT[fmt].items()}
    request_rows = REQUEST_ROWS[fmt] + tuple(SUBTOTAL_ROWS[fmt])
    found += _unknown_in(report.get("active"), "active", active)
    found += _unknown_in(report.get("requests"), "requests", {row: tuple(REQUEST_COLUMNS) for row in request_rows})
    found += _unknown_in(report.get("review_litigation"), "review_litigation",
                         {group: tuple(REVIEW_COLUMNS) for group in REVIEW_GROUPS})
    return found


# --- JSON in and out ---

def _refuse_duplicates(pairs: list[tuple[str, object]]) -> dict:
    # json keeps the last of two equal keys without a word; a typed-in report must not lose a cell so.
    result: dict = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"键“{key}”出现了两次")
        result[key] = value
    return result


def _refuse_constant(name: str):
    raise ValueError(f"{name} 不是有效的数值")


def loads(text: str) -> dict:
    """Parse a report, keeping every key in order; REPORT_JSON_INVALID / REPORT_FORMAT_UNKNOWN."""
    try:
        report = json.loads(text, object_pairs_hook=_refuse_duplicates, parse_constant=_refuse_constant)
    except ValueError as exc:  # JSONDecodeError is a ValueError
        raise ServiceError("REPORT_JSON_INVALID", f"报告不是有效的 JSON：{exc}") from exc
    except RecursionError as exc:  # a report is four levels deep; thousands of brackets are an attack
        raise ServiceError("REPORT_JSON_INVALID", "报告的 JSON 嵌套层数过多，不是年度报告的格式。") from exc
    if not isinstance(report, dict):
        raise ServiceError("REPORT_JSON_INVALID", "报告应为一个 JSON 对象（{…}）。")
    report_format(report)
    return report


def load(path: str | Path) -> dict:
    """Read a report file (UTF-8 JSON); REPORT_FILE_NOT_FOUND, REPORT_JSON_INVALID, REPORT_FORMAT_UNKNOWN."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")  # files saved by Windows editors start with a BOM
    except (FileNotFoundError, IsADirectoryError) as exc:
        raise ServiceError("REPORT_FILE_NOT_FOUND", f"找不到报告文件“{path}”。") from exc
    except UnicodeDecodeError as exc:
        raise ServiceError("REPORT_JSON_INVALID", f"报告文件“{path}”不是 UTF-8 编码的文本。") from exc
    return loads(text)


def dumps(report: dict) -> str:
    """The report as JSON, Chinese unescaped, keys in their given order (nothing dropped or sorted)."""
    # allow_nan=False: NaN and Infinity are not JSON, and loads refuses them on the way back in.
    return json.dumps(report, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
