"""The 2008–2018 annual report (format "2008"): keys, labels and the old regulation's categories.

Reports for 2008–2018 followed the outline of the 2007 regulation (国务院令第492号, spec regulation.md
§2 旧格式): 一、概述；二、主动公开政府信息情况；三、依申请公开政府信息情况；四、政府信息公开的收费及减免
情况；五、因政府信息公开申请行政复议、提起行政诉讼的情况；六、政府信息公开工作存在的主要问题及改进情况；
七、其他需要报告的事项. There were no national tables: the figures were written into the text, so the
format is figures plus narrative. Its JSON (docs/reports.md):

    "proactive": {"total", "cumulative", "categories": [{"name", "count", "percent"}]}
    "requests":  {"received", "channels": {<Channel>: n}, "carried_over",
                  "outcomes": {<OUTCOMES>: n}, "answered", "carried_forward"}
    "fees":      {"charged": {"cases", "yuan"}, "waived": {"cases", "yuan"}}
    "review_litigation": the groups and columns of table 四 (schema.REVIEW_GROUPS / REVIEW_COLUMNS)

Percentages carry one decimal and add up to exactly 100.0 (``shares``, largest remainder).
"""

from gongkai.applications.models import Channel
from gongkai.applications.replies import ReplyType
from gongkai.reports.computation.schema import GONGKAI_KEYS, REVIEW_COLUMNS, REVIEW_GROUPS

SECTION_HEADINGS = (
    "一、概述",
    "二、主动公开政府信息情况",
    "三、依申请公开政府信息情况",
    "四、政府信息公开的收费及减免情况",
    "五、因政府信息公开申请行政复议、提起行政诉讼的情况",
    "六、政府信息公开工作存在的主要问题及改进情况",
    "七、其他需要报告的事项",
)
# Sections staff write (report["narrative"]). 二–五 state the figures; staff text for 二 (how the public
# could reach the information that year) follows them, in place of the generated sentence.
NARRATIVE_SECTIONS = ("一", "二", "六", "七")

TOP_KEYS = ("agency", "year", "format", "proactive", "requests", "fees", "review_litigation")

PROACTIVE_KEYS = {"total": "本年主动公开政府信息（条）", "cumulative": "截至年底累计主动公开（条）",
                  "categories": "按目录分类"}
CATEGORY_KEYS = {"name": "类别", "count": "条数", "percent": "占比（%）"}

# 2007年条例第二十一条、第二十二条 (wording UNCONFIRMED in the spec; the four kinds of reply and 区分处理).
OUTCOMES: dict[str, str] = {
    "granted": "同意公开",
    "partial": "同意部分公开",
    "denied": "不予公开",
    "not_responsible": "不属于本机关公开",
    "not_exist": "申请公开的信息不存在",
    "unclear": "告知申请人作出更改、补充",
    "other": "其他处理",
}
REQUEST_KEYS = {"received": "本年收到申请（件）", "channels": "按申请方式", "carried_over": "上年结转（件）",
                "outcomes": "本年办结（按答复类型）", "answered": "本年办结合计（件）",
                "carried_forward": "结转下年度继续办理（件）"}
CHANNELS: dict[str, str] = dict(Channel.choices)
# 四 收费及减免 (2007年条例第二十七、二十八条): rows and columns, so staff enter 减免 like a table cell.
FEE_ROWS = {"charged": "收取费用", "waived": "减免费用"}
FEE_COLUMNS = {"cases": "件数", "yuan": "金额（元）"}

# gongkai's reply types (2019 regulation) → the old regulation's kinds of reply. docs/reports.md
# gives the reasons: 不予处理 had no name in 2007 (such requests were answered by pointing elsewhere,
# so 其他处理); 视为放弃 did not exist (the reply was to ask for a clearer request, 第二十一条第（四）项);
# 需另行制作 was answered as information that does not exist.
_T = ReplyType
OUTCOME_BY_REPLY_TYPE: dict[str, str] = {
    _T.PUBLIC_ALREADY: "granted",
    _T.PUBLIC_PROVIDED: "granted",
    _T.PARTIAL: "partial",
    **dict.fromkeys([_T.WITHHELD_STATE_SECRET, _T.WITHHELD_LAW_PROHIBITS, _T.WITHHELD_SECURITY,
                     _T.WITHHELD_THIRD_PARTY, _T.WITHHELD_INTERNAL, _T.WITHHELD_PROCESS,
                     _T.WITHHELD_ENFORCEMENT_FILE, _T.WITHHELD_ADMIN_QUERY], "denied"),
    _T.UNAVAILABLE_NOT_RESPONSIBLE: "not_responsible",
    _T.UNAVAILABLE_NOT_EXIST: "not_exist",
    _T.UNAVAILABLE_NEEDS_CREATION: "not_exist",
    _T.UNAVAILABLE_STILL_UNCLEAR: "unclear",
    _T.OTHER_NO_CORRECTION: "unclear",
    **dict.fromkeys([_T.NOT_PROCESSED_PETITION, _T.NOT_PROCESSED_REPEAT, _T.NOT_PROCESSED_PUBLICATION,
                     _T.NOT_PROCESSED_EXCESSIVE, _T.NOT_PROCESSED_CONFIRMATION, _T.OTHER_FEE_UNPAID, _T.OTHER],
                    "other"),
}


def shares(counts: list[int], *, places: int = 1) -> list[float]:
    """Percentages of ``counts`` rounded so that they add up to exactly 100 (largest remainder)."""
    total = sum(counts)
    if total <= 0:
        return [0.0 for _ in counts]
    unit = 10**places
    # Integer arithmetic: float floors would drop a tenth now and then (0.3 * 10 → 2.999…).
    parts = [divmod(count * 100 * unit, total) for count in counts]
    floors = [whole for whole, _ in parts]
    short = 100 * unit - sum(floors)
    for index in sorted(range(len(counts)), key=lambda i: parts[i][1], reverse=True)[:short]:
        floors[index] += 1
    return [f / unit for f in floors]


def categories_with_shares(counts: list[tuple[str, int]]) -> list[dict]:
    """[{"name", "count", "percent"}] for the non-empty categories, percentages adding up to 100."""
    counts = [(name, count) for name, count in counts if count]
    return [{"name": name, "count": count, "percent": percent}
            for (name, count), percent in zip(counts, shares([c for _, c in counts]), strict=True)]


def _unknown_in(value: object, prefix: str, known) -> list[str]:
    return [f"{prefix}.{key}" for key in value if key not in known] if isinstance(value, dict) else []


def unknown_keys(report: dict) -> list[str]:
    """Dotted paths of every key the 2008 outline does not define ("proactive.categories[2].colour")."""
    found = [key for key in report if key not in TOP_KEYS and key not in GONGKAI_KEYS]
    proactive, requests = report.get("proactive"), report.get("requests")
    found += _unknown_in(proactive, "proactive", PROACTIVE_KEYS)
    categories = proactive.get("categories") if isinstance(proactive, dict) else None
    for index, category in enumerate(categories if isinstance(categories, list) else []):
        found += _unknown_in(category, f"proactive.categories[{index}]", CATEGORY_KEYS)
    found += _unknown_in(requests, "requests", REQUEST_KEYS)
    if isinstance(requests, dict):
        found += _unknown_in(requests.get("channels"), "requests.channels", CHANNELS)
        found += _unknown_in(requests.get("outcomes"), "requests.outcomes", OUTCOMES)
    fees = report.get("fees")
    found += _unknown_in(fees, "fees", FEE_ROWS)
    for row in FEE_ROWS:
        if isinstance(fees, dict):
            found += _unknown_in(fees.get(row), f"fees.{row}", FEE_COLUMNS)
    review = report.get("review_litigation")
    found += _unknown_in(review, "review_litigation", REVIEW_GROUPS)
    for group in REVIEW_GROUPS:
        if isinstance(review, dict):
            found += _unknown_in(review.get(group), f"review_litigation.{group}", REVIEW_COLUMNS)
    return found
