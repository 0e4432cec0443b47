"""The 2008–2018 report (format "2008") as a document: its seven sections, figures and drafts.

Sections 二–五 state the figures (with small tables the Word, PDF and Excel files share); 一, 六 and
七 are drafts marked for staff, replaced by what staff have written (report["narrative"]), as in the
table formats. Staff text for 二 replaces only the generated sentence on where the information can be
found: the figures come from the records and stay.
"""

from django.conf import settings

from gongkai.reports.computation import outline, schema
from gongkai.reports.rendering.drafting import (
    Document,
    Section,
    _count,
    _number,
    appeals_sentence,
    written_sections,
)
from gongkai.reports.rendering.layout import Cell, Grid, report_title, value_cell

NARRATIVE_TODO = {
    "一": "请补充本年度政府信息公开工作的组织领导、制度建设、目录和指南编制、查阅场所、宣传培训等情况，"
          "并写明本报告的统计期限和咨询联系方式。",
    "二": "请写明本年度公众获取上述信息的渠道和方式（政府网站、政府公报、新闻发布会、档案馆和公共图书馆查阅点等）。",
    "六": "请写明本年度政府信息公开工作存在的主要问题和改进措施。",
    "七": "如有其他需要报告的事项，请在此说明；没有的，请写明本年度无其他需要报告的事项。",
}


def _get(report: dict, *path):
    value = report
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return _number(value) if not isinstance(value, (dict, list)) else value


def _categories(report: dict) -> list[dict]:
    categories = _get(report, "proactive", "categories")
    return [c for c in categories if isinstance(c, dict)] if isinstance(categories, list) else []


def _percent(value) -> str:
    number = _number(value)
    return "（空白）" if number is None else f"{number:.1f}"


def _listing(pairs, unit: str) -> str:
    return "、".join(f"{label}{_count(value)}{unit}" for label, value in pairs if value != 0)


def overview(report: dict) -> list[str]:
    agency, year = report.get("agency") or "本机关", report.get("year")
    review = _get(report, "review_litigation", "review", "total")
    litigation = [_get(report, "review_litigation", g, "total") for g in ("litigation_direct", "litigation_after_review")]
    litigated = None if None in litigation else sum(litigation)
    return [
        f"{year}年，{agency}依照《中华人民共和国政府信息公开条例》（国务院令第492号）开展政府信息公开工作。"
        f"本年度主动公开政府信息{_count(_get(report, 'proactive', 'total'))}条，截至年底累计主动公开"
        f"{_count(_get(report, 'proactive', 'cumulative'))}条；收到政府信息公开申请"
        f"{_count(_get(report, 'requests', 'received'))}件，办结{_count(_get(report, 'requests', 'answered'))}件；"
        f"因政府信息公开被申请行政复议{_count(review)}件、被提起行政诉讼{_count(litigated)}件。"
    ]


def proactive_figures(report: dict) -> list[str]:
    agency, year = report.get("agency") or "本机关", report.get("year")
    total, categories = _get(report, "proactive", "total"), _categories(report)
    if total == 0:
        text = f"{year}年，{agency}在本系统中没有发布主动公开的政府信息。"
    else:
        parts = "；".join(f"{c.get('name')}{_count(_number(c.get('count')))}条，占{_percent(c.get('percent'))}%"
                         for c in categories)
        text = f"{year}年，{agency}主动公开政府信息{_count(total)}条" + (f"。其中，{parts}。" if parts else "。")
    return [text + f"截至{year}年12月31日，累计主动公开政府信息{_count(_get(report, 'proactive', 'cumulative'))}条。"]


def where_to_find(report: dict) -> list[str]:
    if _get(report, "proactive", "total") == 0:
        return []
    return [f"上述信息均已编入{report.get('agency') or '本机关'}政府信息公开目录，现可在{settings.GONGKAI_SITE_NAME}"
            "按目录分类查阅、全文检索和下载。"]


def request_figures(report: dict) -> list[str]:
    agency, year = report.get("agency") or "本机关", report.get("year")
    received, carried = _get(report, "requests", "received"), _get(report, "requests", "carried_over")
    if received == 0 and carried == 0:
        return [f"{year}年，{agency}在本系统中没有收到政府信息公开申请，也没有上年结转的申请。"]
    channels = _get(report, "requests", "channels") or {}
    outcomes = _get(report, "requests", "outcomes") or {}
    by_channel = _listing(((label, _number(channels.get(key))) for key, label in outline.CHANNELS.items()), "件")
    by_outcome = _listing(((label, _number(outcomes.get(key))) for key, label in outline.OUTCOMES.items()), "件")
    return [
        f"{year}年，{agency}收到政府信息公开申请{_count(received)}件" + (f"（{by_channel}）" if by_channel else "")
        + f"，上年结转{_count(carried)}件。",
        f"本年度办结{_count(_get(report, 'requests', 'answered'))}件" + (f"，其中{by_outcome}" if by_outcome else "")
        + f"；结转下年度继续办理{_count(_get(report, 'requests', 'carried_forward'))}件。",
    ]


def fee_figures(report: dict) -> list[str]:
    year = report.get("year")
    cases, amount = _get(report, "fees", "charged", "cases"), _get(report, "fees", "charged", "yuan")
    waived = f"减免{_count(_get(report, 'fees', 'waived', 'cases'))}件、{_count(_get(report, 'fees', 'waived', 'yuan'))}元"
    if cases == 0:
        return [f"{year}年，依申请公开政府信息没有收取检索、复制、邮寄等费用；{waived}。"]
    return [f"{year}年，依申请公开政府信息共对{_count(cases)}件申请收取检索、复制、邮寄等费用{_count(amount)}元；"
            f"{waived}。"]


def problems(report: dict) -> list[str]:
    forward = _get(report, "requests", "carried_forward")
    corrected = [_get(report, "review_litigation", g, "corrected") for g in schema.REVIEW_GROUPS]
    lines = []
    if forward:
        lines.append(f"本年度有{_count(forward)}件申请结转下年度继续办理，请核实是否均在答复期限内。")
    if None not in corrected and sum(corrected):
        lines.append(f"本年度因政府信息公开被行政复议或行政诉讼纠正{sum(corrected)}件，请分析原因并写明改进措施。")
    return lines


# --- tables ----------------------------------------------------------------------------------

def _label_rows(grid: Grid, rows) -> Grid:
    for label, *values in rows:
        grid.rows.append([Cell(label, header=True), *(v if isinstance(v, Cell) else value_cell(v) for v in values)])
    return grid


def _percent_cell(value) -> Cell:
    number = _number(value)
    return Cell("" if number is None else f"{number:.1f}", value=number, numeric=True)


def outline_tables(report: dict) -> dict[str, Grid]:
    """The figures of sections 二–五 as grids (HTML, Word, PDF and Excel share them)."""
    proactive = Grid("主动公开政府信息分类统计", columns=3)
    proactive.rows.append([Cell(label, header=True) for label in ("类别", "条数", "占比（%）")])
    categories = _categories(report)
    _label_rows(proactive, ((str(c.get("name")), _number(c.get("count")), _percent_cell(c.get("percent")))
                            for c in categories))
    percents = [_number(c.get("percent")) for c in categories]
    summed = None if not percents or None in percents else round(sum(percents), 1)
    _label_rows(proactive, [("合计", _get(report, "proactive", "total"), _percent_cell(summed))])

    requests = Grid("依申请公开政府信息办理情况", columns=2)
    requests.rows.append([Cell("项目", header=True), Cell("件数", header=True)])
    channels = _get(report, "requests", "channels") or {}
    outcomes = _get(report, "requests", "outcomes") or {}
    _label_rows(requests, [
        ("本年收到申请", _get(report, "requests", "received")),
        *((f"　其中：{label}" if i == 0 else f"　　　　{label}", _number(channels.get(key)))
          for i, (key, label) in enumerate(outline.CHANNELS.items())),
        ("上年结转", _get(report, "requests", "carried_over")),
        ("本年办结", _get(report, "requests", "answered")),
        *((f"　其中：{label}" if i == 0 else f"　　　　{label}", _number(outcomes.get(key)))
          for i, (key, label) in enumerate(outline.OUTCOMES.items())),
        ("结转下年度继续办理", _get(report, "requests", "carried_forward")),
    ])

    fees = Grid("政府信息公开收费及减免情况", columns=3)
    fees.rows.append([Cell("项目", header=True), *(Cell(label, header=True) for label in outline.FEE_COLUMNS.values())])
    _label_rows(fees, ((label, *(_get(report, "fees", row, c) for c in outline.FEE_COLUMNS))
                       for row, label in outline.FEE_ROWS.items()))

    review = Grid("因政府信息公开申请行政复议、提起行政诉讼情况", columns=6)
    review.rows.append([Cell("", header=True), *(Cell(label, header=True) for label in schema.REVIEW_COLUMNS.values())])
    _label_rows(review, ((label, *(_get(report, "review_litigation", group, c) for c in schema.REVIEW_COLUMNS))
                         for group, label in schema.REVIEW_GROUPS.items()))
    return {"二": proactive, "三": requests, "四": fees, "五": review}


def draft_text(report: dict) -> dict[str, str]:
    return {"一": "\n".join(overview(report)), "二": "\n".join(where_to_find(report)),
            "六": "\n".join(problems(report)), "七": ""}


def document(report: dict, grids: dict[str, Grid]) -> Document:
    written = written_sections(report)
    drafts = {"一": overview, "二": where_to_find, "六": problems, "七": lambda _report: []}
    figures = {"二": proactive_figures, "三": request_figures, "四": fee_figures,
               "五": lambda r: [appeals_sentence(r)]}
    sections = []
    for heading in outline.SECTION_HEADINGS:
        number = heading[0]
        paragraphs = figures[number](report) if number in figures else []
        section = Section(heading, paragraphs, table=grids.get(number))
        if number in written:
            section.paragraphs = paragraphs + written[number]
        elif number in drafts:
            section.paragraphs = paragraphs + drafts[number](report)
            section.todo = NARRATIVE_TODO[number]
        sections.append(section)
    notes = report.get("notes")
    return Document(
        title=report_title(report), agency=str(report.get("agency") or ""), year=report.get("year"),
        format_name=schema.FORMATS[schema.FORMAT_2008],
        staff_notes=[str(n) for n in notes] if isinstance(notes, list) else [], sections=sections,
    )
