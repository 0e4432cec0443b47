"""Draft wording of the narrative sections 一、五、六 from the report's figures.

The regulation (第50条) wants people's words in these sections: what was done, what went wrong,
what will change. gongkai can only state the numbers, so every draft is marked as a draft and
says what staff must add (国办公开办函〔2021〕30号 warns against 内容雷同、敷衍了事).
"""

from dataclasses import dataclass, field

from gongkai.reports.computation import schema
from gongkai.reports.computation.outline import shares
from gongkai.reports.rendering.layout import SECTION_HEADINGS, Grid, report_title, tables

DRAFT_NOTE = "【草稿】以上文字由系统根据统计数字生成，工作人员须核对并补充完善后方可发布。"
TODO_NOTE = "【待填写】"  # a section with nothing generated: only what staff must write
NARRATIVE_TODO = {
    "一": "请补充本年度主动公开、依申请公开、政府信息管理、平台建设、监督保障五个方面的工作情况。",
    "五": "请写明本年度政府信息公开工作存在的主要问题、上年度问题的整改情况和下一步改进措施。",
    "六": "请写明信息处理费收取情况（依据《政府信息公开信息处理费管理办法》），以及工作考核、社会评议和责任追究结果等其他需要报告的事项。",
}

# Outcome groups of table 三 for the 一 draft, in printed order: (name, row-key prefix or key).
OUTCOME_SUMMARY = (("予以公开", "granted"), ("部分公开", "partial"), ("不予公开", "denied_"),
                   ("无法提供", "unable_"), ("不予处理", "not_processed_"), ("其他处理", "other_"))


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    todo: str = ""  # what staff must still write; empty for the table sections
    table: Grid | None = None

    @property
    def todo_note(self) -> str:
        """What precedes ``todo``: the draft warning, or 【待填写】 when nothing was generated."""
        return DRAFT_NOTE if self.paragraphs else TODO_NOTE


@dataclass
class Document:
    title: str
    agency: str
    year: object
    format_name: str
    staff_notes: list[str]
    sections: list[Section]


def _number(value):
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _cell(report: dict, section: str, row: str, column: str = "total"):
    rows = report.get(section)
    cells = rows.get(row) if isinstance(rows, dict) else None
    return _number(cells.get(column)) if isinstance(cells, dict) else None


def _count(value) -> str:
    return "（空白）" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def _outcome_counts(report: dict, fmt: str) -> list[tuple[str, int]] | None:
    counts = []
    for name, key in OUTCOME_SUMMARY:
        rows = [r for r in schema.OUTCOME_ROWS[fmt] if r == key or (key.endswith("_") and r.startswith(key))]
        values = [_cell(report, "requests", r) for r in rows]
        if any(v is None for v in values):
            return None
        counts.append((name, sum(values)))
    return counts


def overview(report: dict) -> list[str]:
    fmt = schema.report_format(report)
    agency = report.get("agency") or "本机关"
    new, carried = _cell(report, "requests", "new"), _cell(report, "requests", "carried_over")
    done, forward = _cell(report, "requests", "total_processed"), _cell(report, "requests", "carried_forward")
    paragraphs = [
        f"{report.get('year')}年，{agency}新收政府信息公开申请{_count(new)}件，上年结转{_count(carried)}件；"
        f"本年度办结{_count(done)}件，结转下年度继续办理{_count(forward)}件。"
    ]
    counts = _outcome_counts(report, fmt)
    if counts is None:
        paragraphs.append("表三办理结果中有空白单元格，未能计算各类办理结果所占比例。")
    elif sum(c for _, c in counts):
        total = sum(c for _, c in counts)
        parts = [f"{name}{count}件、占{share:.1f}%" for (name, count), share in
                 zip(counts, shares([c for _, c in counts]), strict=True) if count]
        paragraphs.append(f"办理结果{total}件中，" + "，".join(parts) + "。")
    paragraphs.append(documents_sentence(report, fmt))
    paragraphs.append(appeals_sentence(report))
    return paragraphs


def documents_sentence(report: dict, fmt: str) -> str:
    """规章 and 规范性文件 of table 二, in the columns of the report's format."""
    if fmt == schema.FORMAT_2019:
        wording = (("made", "本年新制作"), ("published", "本年新公开"), ("published_total", "对外公开总数"))
    else:
        wording = (("issued", "本年制发"), ("in_force", "现行有效"))
    parts = []
    for row in schema.DOCUMENT_ROWS:
        label = schema.row_label(row, fmt)
        figures = "、".join(f"{words}{_count(_cell(report, 'active', row, column))}件" for column, words in wording)
        parts.append(f"{label}{figures}")
    return "主动公开方面，" + "；".join(parts) + "。"


def appeals_sentence(report: dict) -> str:
    def group(key):
        cells = [_cell(report, "review_litigation", key, c) for c in ("total", "upheld", "corrected", "other", "pending")]
        total, upheld, corrected, other, pending = (_count(v) for v in cells)
        return f"{total}件（结果维持{upheld}件、结果纠正{corrected}件、其他结果{other}件、尚未审结{pending}件）"

    return (f"因政府信息公开被申请行政复议{group('review')}，未经复议直接被提起行政诉讼{group('litigation_direct')}，"
            f"复议后被提起行政诉讼{group('litigation_after_review')}。")


def problems(report: dict) -> list[str]:
    forward = _cell(report, "requests", "carried_forward")
    corrected = [_cell(report, "review_litigation", g, "corrected") for g in schema.REVIEW_GROUPS]
    lines = [f"本年度结转下年度继续办理的申请{_count(forward)}件，请说明是否均在法定期限内。"]
    if all(v is not None for v in corrected) and sum(corrected):
        lines.append(f"本年度行政复议、行政诉讼结果纠正共{sum(corrected)}件，请分析被纠正的原因并写明改进措施。")
    return lines


def other_matters(report: dict) -> list[str]:
    if schema.report_format(report) == schema.FORMAT_2019:
        # The 2019 form's 收费 row counts fee items, not money: the 信息处理费 is stated here in words.
        return ["政府信息公开信息处理费的收取情况请在此说明。"]
    fees = _cell(report, "active", "fees", "amount_10k_yuan")
    if fees is None:
        return ["表二行政事业性收费金额尚未填报；政府信息公开信息处理费的收取情况请另行说明。"]
    return [f"表二行政事业性收费本年收费金额为{_count(fees)}万元（与政府信息公开信息处理费不同，请分别说明）。"]


def paragraphs_of(text: str) -> list[str]:
    """Staff text as printed paragraphs: one per non-blank line, surrounding spaces dropped."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def written_sections(report: dict) -> dict[str, list[str]]:
    """The narrative sections staff have written (report["narrative"]), as paragraphs."""
    narrative = report.get("narrative")
    if not isinstance(narrative, dict):
        return {}
    written = {}
    for number in schema.narrative_sections(schema.report_format(report)):
        text = narrative.get(number)
        if isinstance(text, str) and paragraphs_of(text):
            written[number] = paragraphs_of(text)
    return written


def draft_text(report: dict) -> dict[str, str]:
    """The generated draft of each narrative section, as editable text (one paragraph per line)."""
    if schema.report_format(report) == schema.FORMAT_2008:
        from gongkai.reports.rendering import outline_document

        return outline_document.draft_text(report)
    return {"一": "\n".join(overview(report)), "五": "\n".join(problems(report)),
            "六": "\n".join(other_matters(report))}


def document(report: dict) -> Document:
    fmt = schema.report_format(report)
    grids = tables(report)
    if fmt == schema.FORMAT_2008:
        from gongkai.reports.rendering import outline_document

        return outline_document.document(report, grids)
    notes = report.get("notes")
    drafts = {"一": overview, "五": problems, "六": other_matters}
    written = written_sections(report)
    sections = []
    for heading in SECTION_HEADINGS:
        number = heading[0]
        if number in written:
            sections.append(Section(heading, written[number]))
        elif number in drafts:
            sections.append(Section(heading, drafts[number](report), todo=NARRATIVE_TODO[number]))
        else:
            sections.append(Section(heading, table=grids[number]))
    return Document(
        title=report_title(report), agency=str(report.get("agency") or ""), year=report.get("year"),
        format_name=schema.FORMATS[fmt], staff_notes=[str(n) for n in notes] if isinstance(notes, list) else [],
        sections=sections,
    )
