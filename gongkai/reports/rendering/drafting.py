"""Draft wording of the narrative sections 一、五、六 from the report's figures.

The regulation (第50条) wants people's words in these sections: what was done, what went wrong,
what will change. gongkai can only state the numbers, so every draft is marked as a draft and
says what staff must add (国办公开办函〔2021〕30号 warns against 内容雷同、敷衍了事).
"""

import re
from dataclasses import dataclass, field

from gongkai.reports.computation import schema
from gongkai.reports.computation.outline import shares
from gongkai.reports.rendering.layout import SECTION_HEADINGS, Grid, report_title, tables
from gongkai.reports.rendering.records import Records

DRAFT_NOTE = "【草稿】以上文字由系统根据统计数字生成，工作人员须核对并补充完善后方可发布。"
TODO_NOTE = "【待填写】"  # a section with nothing generated: only what staff must write
# What the drafter is asked to cover in each section, shown beside the text box (never inside the
# text: a prompt left in a published report is refused, computation/narrative.py).
PROMPTS = {
    "前言": "写明编制依据、统计期限、报告在哪里公开，以及对报告有疑问时向谁咨询（名称、地址、电话）。",
    "一": "按主动公开、依申请公开、政府信息管理、平台建设、监督保障五个方面，写本机关本年度实际做了什么："
          "公开了哪些重点领域信息、办理申请中的典型情况、制度和平台有哪些变化、培训考核和社会评议怎样开展。",
    "五": "写明本年度存在的主要问题（如结转下年度的申请是否均在法定期限内、被复议或诉讼纠正的原因），"
          "上年度报告所列问题的整改情况，以及下一步的改进措施。",
    "六": "写明信息处理费的收取情况（依据《政府信息公开信息处理费管理办法》，与表二的行政事业性收费不同，"
          "两者须分别说明），以及落实上级年度政务公开工作要点、人大代表建议和政协提案办理结果公开等其他需要报告的事项。",
}
NARRATIVE_TODO = {number: PROMPTS[number] for number in ("一", "五", "六")}
OPENING = "前言"  # the untitled paragraph before section 一 (report["narrative"]["前言"])
SUBHEADING_RE = re.compile(r"^（[一二三四五六七八九十]{1,2}）[^。；，]{1,16}$")
CHINESE_NUMBERS = "一二三四五六七八九十"

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
    def blocks(self) -> list[tuple[str, bool]]:
        """(text, is_subheading): 「（一）主动公开」 on a line of its own prints as a heading of section 一."""
        return [(p, bool(SUBHEADING_RE.match(p))) for p in self.paragraphs]

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
    opening: list[str] = field(default_factory=list)  # the untitled paragraph before 一
    coverage: str = ""  # a roll-up's note of the agencies it sums
    signed_by: str = ""  # the agency and date printed at the end
    signed_on: str = ""


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


def _nonzero(parts: list[tuple[str, float | None]]) -> list[str]:
    return [f"{words}{_count(value)}件" for words, value in parts if value]


def opening(report: dict, records: Records | None = None) -> list[str]:
    """编制依据, 统计期限, where the report is published and whom to ask."""
    agency, year = report.get("agency") or "本机关", report.get("year")
    office = (records.office if records else {}) or {}
    from django.conf import settings

    site = getattr(settings, "GONGKAI_SITE_NAME", "") or "政府信息公开平台"
    where = f"{agency}门户网站（{office['website']}）" if office.get("website") else f"{site}的{agency}栏目"
    contact = "、".join(part for part in (
        f"地址：{office['address']}" if office.get("address") else "",
        f"邮编：{office['postcode']}" if office.get("postcode") else "",
        f"电话：{office['phone']}" if office.get("phone") else "") if part)
    whom = office.get("name") or f"{agency}政府信息公开工作机构"
    return [f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）第五十条和国务院办公厅政府信息公开办公室"
            f"关于政府信息公开工作年度报告格式的要求，由{agency}编制。本报告所列数据的统计期限自{year}年1月1日起至"
            f"{year}年12月31日止。本报告在{where}公开，可查阅或者下载。如对本报告有疑问，请与{whom}联系"
            + (f"（{contact}）" if contact else "") + "。"]


def overview(report: dict, records: Records | None = None) -> list[str]:
    """Section 一 by the five headings of 〔2021〕30号: what the agency did, from its records."""
    fmt = schema.report_format(report)
    agency = "纳入汇总的机关" if rollup_note(report) else report.get("agency") or "本机关"
    parts = (("主动公开", proactive(report, fmt, agency, records)),
             ("依申请公开", on_request(report, fmt, agency, records)),
             ("政府信息管理", management(agency, records)),
             ("平台建设", platform(agency, records)),
             ("监督保障", [appeals_sentence(report), plan_tasks_sentence(records)]))
    paragraphs, number = [], 0
    for name, lines in parts:
        lines = [line for line in lines if line]
        if lines:  # a heading with nothing under it is left out, and the rest numbered as printed
            paragraphs += [f"（{CHINESE_NUMBERS[number]}）{name}", *lines]
            number += 1
    return paragraphs


def plan_tasks_sentence(records: Records | None) -> str:
    """The year's 工作要点 tasks the agency carried and where they stood on 31 December."""
    tasks = records.plan_tasks if records is not None else {}
    if not tasks or not tasks.get("total"):
        return ""
    plans = "、".join(f"《{title}》" for title in tasks["plans"])
    line = f"本年度承担{plans}分解任务{tasks['total']}项，年底前完成并通过验收{tasks['done']}项"
    if tasks["ongoing"]:
        line += f"，持续推进{tasks['ongoing']}项"
    if tasks["overdue"]:
        line += f"，逾期未完成{len(tasks['overdue'])}项（" + "；".join(tasks["overdue"][:3]) + ("等" if len(tasks["overdue"]) > 3 else "") + "）"
    return line + "。"


def proactive(report: dict, fmt: str, agency: str, records: Records | None) -> list[str]:
    lines = []
    if records is not None and records.published:
        sections = "、".join(f"{name}{count}条" for name, count in records.by_catalogue)
        line = f"{report.get('year')}年，{agency}主动公开政府信息{records.published}条，其中{sections}。"
        if records.interpretations:
            line = line[:-1] + f"；随文件发布政策解读{records.interpretations}篇。"
        lines.append(line)
        if records.notable_items:
            lines.append("公开的文件包括" + "".join(f"《{t}》" for t in records.notable_items) + "等。")
    elif records is not None:
        lines.append(f"{report.get('year')}年，{agency}未在本平台新发布主动公开的政府信息。")
    lines.append(documents_sentence(report, fmt, records))
    return lines


def on_request(report: dict, fmt: str, agency: str, records: Records | None) -> list[str]:
    new, carried = _cell(report, "requests", "new"), _cell(report, "requests", "carried_over")
    done, forward = _cell(report, "requests", "total_processed"), _cell(report, "requests", "carried_forward")
    if not new and not carried:
        return [f"本年度{agency}未收到政府信息公开申请。"]
    line = f"本年度{agency}新收政府信息公开申请{_count(new)}件" + (f"，上年结转{_count(carried)}件" if carried else "")
    line += f"；办结{_count(done)}件" + (f"，结转下年度继续办理{_count(forward)}件。" if forward else "。")
    lines = [line]
    counts = _outcome_counts(report, fmt)
    if counts is None:
        lines.append("表三办理结果中有空白单元格，各类办理结果所占比例未能计算。")
    elif sum(c for _, c in counts):
        total = sum(c for _, c in counts)
        parts = [f"{name}{count}件、占{share:.1f}%" for (name, count), share in
                 zip(counts, shares([c for _, c in counts]), strict=True) if count]
        lines.append(f"办结的{total}件中，" + "，".join(parts) + "。")
    if records is not None and records.reply_types:
        named = "、".join(f"{_reply_label(reply_type)}{count}件" for reply_type, count in records.reply_types)
        lines.append(f"按答复类型，{named}。")
    if records is not None:
        lines.append(f"本年度有{records.replied_late}件申请超过法定期限答复。" if records.replied_late
                     else "本年度办结的申请均在法定期限内答复。")
    return lines


def _reply_label(reply_type: str) -> str:
    from gongkai.applications.replies import ReplyType

    label = ReplyType(reply_type).label if reply_type in ReplyType.values else reply_type
    return label.replace("：", "（", 1) + "）" if "：" in label else label


def management(agency: str, records: Records | None) -> list[str]:
    if records is None:
        return []
    if records.repealed:
        return [f"本年度对已公开的政府信息开展有效性清理，标注失效或者废止{records.repealed}条。"]
    return ["本年度已公开的政府信息未发生失效或者废止的情况。"]


def platform(agency: str, records: Records | None) -> list[str]:
    if records is None:
        return []
    return [f"截至本年末，{agency}在政府信息公开平台主动公开的政府信息共{records.public_total}条，"
            "按本机关政府信息公开目录分类发布，可以检索、查阅和下载。", *participation(agency, records)]


def participation(agency: str, records: Records | None) -> list[str]:
    """政民互动 (意见征集, 留言) on the platform, under 平台建设 where reports describe their
    interaction channels. Draft wording only: the tables of the national format have no such rows."""
    figures = records.participation if records is not None else None
    if figures is None:
        return []
    if not figures.consultations and not figures.messages:
        return [f"本年度{agency}未在本平台公开征求意见，也未收到群众留言。"]
    if figures.consultations:
        consulted = (f"在本平台公开征求意见{figures.consultations}次，收到意见{figures.comments}条，"
                     f"采纳（含部分采纳）{figures.comments_adopted}条")
        if figures.feedback_published:
            consulted += f"，已公布意见采纳情况{figures.feedback_published}次"
    else:
        consulted = "未在本平台公开征求意见"
    if figures.messages:
        asked = f"受理群众留言{figures.messages}件，答复{figures.answered}件"
        if figures.answered:
            asked += f"，其中按时答复{figures.answered_on_time}件，按时答复率{figures.on_time_rate:g}%"
    else:
        asked = "未收到群众留言"
    return [f"政民互动方面，本年度{agency}{consulted}；{asked}。"]


def documents_sentence(report: dict, fmt: str, records: Records | None = None) -> str:
    """规章 and 规范性文件 of table 二, in the columns of the report's format; zeros not listed, and no
    规章 for an agency that cannot make them (立法法第91、93条) unless its figures say otherwise."""
    if fmt == schema.FORMAT_2019:
        wording = (("made", "本年新制作"), ("published", "本年新公开"), ("published_total", "对外公开总数"))
    else:
        wording = (("issued", "本年制发"), ("repealed", "本年废止"), ("in_force", "现行有效"))
    parts = []
    for row in schema.DOCUMENT_ROWS:
        values = [(words, _cell(report, "active", row, column)) for column, words in wording]
        if row == "regulations" and not any(v for _, v in values) and (records is None or not records.makes_regulations):
            continue
        figures = _nonzero(values)
        label = schema.row_label(row, fmt)
        parts.append(label + "、".join(figures) if figures else f"本年度未制发{label}")
    return "制发文件方面，" + "；".join(parts) + "。"


def appeals_sentence(report: dict) -> str:
    groups = (("review", "被申请行政复议"), ("litigation_direct", "未经复议直接被提起行政诉讼"),
              ("litigation_after_review", "复议后被提起行政诉讼"))
    parts = []
    for key, words in groups:
        total = _cell(report, "review_litigation", key)
        if not total:
            continue
        outcomes = _nonzero([(label, _cell(report, "review_litigation", key, column)) for column, label in
                             (("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结"))])
        parts.append(f"{words}{_count(total)}件（" + "、".join(outcomes) + "）")
    if not parts:
        return "本年度未发生因政府信息公开被申请行政复议或者被提起行政诉讼的情况。"
    return "本年度因政府信息公开" + "，".join(parts) + "。"


def problems(report: dict, records: Records | None = None) -> list[str]:
    """Facts for section 五; the analysis is the drafter's (PROMPTS["五"])."""
    lines = []
    forward = _cell(report, "requests", "carried_forward")
    if forward:
        lines.append(f"本年度结转下年度继续办理的申请{_count(forward)}件。")
    if records is not None and records.replied_late:
        lines.append(f"本年度有{records.replied_late}件申请未在法定期限内答复。")
    corrected = [_cell(report, "review_litigation", g, "corrected") for g in schema.REVIEW_GROUPS]
    if all(v is not None for v in corrected) and sum(corrected):
        lines.append(f"本年度行政复议、行政诉讼结果纠正共{sum(corrected)}件。")
    if records is not None and records.last_year_problems:
        lines.append("上年度报告所列问题：" + records.last_year_problems.replace("\n", "")[:200].rstrip("。") + "。")
    return lines


def other_matters(report: dict, records: Records | None = None) -> list[str]:
    lines = []
    if records is not None:
        lines.append(f"本年度依据《政府信息公开信息处理费管理办法》收取信息处理费{records.fees_charged}件、"
                     f"共{records.fee_yuan}元。" if records.fees_charged else "本年度未收取政府信息公开信息处理费。")
    if schema.report_format(report) != schema.FORMAT_2019:
        fees = _cell(report, "active", "fees", "amount_10k_yuan")
        if fees is not None:
            lines.append(f"表二所列行政事业性收费{_count(fees)}万元，为本机关依法收取的行政事业性收费，不含信息处理费。"
                         if fees else "本机关本年度无行政事业性收费。")
    return lines


def paragraphs_of(text: str) -> list[str]:
    """Staff text as printed paragraphs: one per non-blank line, surrounding spaces dropped."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def written_sections(report: dict) -> dict[str, list[str]]:
    """The narrative sections staff have written (report["narrative"]), as paragraphs; 前言 included."""
    narrative = report.get("narrative")
    if not isinstance(narrative, dict):
        return {}
    written = {}
    for number in (OPENING, *schema.narrative_sections(schema.report_format(report))):
        text = narrative.get(number)
        if isinstance(text, str) and paragraphs_of(text):
            written[number] = paragraphs_of(text)
    return written


def is_generated(report: dict) -> bool:
    """A report gongkai built from its records (not one typed in or imported from elsewhere)."""
    return isinstance(report.get("included_agencies"), list) and bool(report.get("agency_code"))


def draft_text(report: dict, records: Records | None = None) -> dict[str, str]:
    """The generated draft of each narrative section, as editable text (one paragraph per line).

    Facts only: what the drafter is asked to add is PROMPTS, shown beside the text box."""
    if schema.report_format(report) == schema.FORMAT_2008:
        from gongkai.reports.rendering import outline_document

        return outline_document.draft_text(report)
    return {OPENING: "\n".join(opening(report, records)), "一": "\n".join(overview(report, records)),
            "五": "\n".join(problems(report, records)), "六": "\n".join(other_matters(report, records))}


def rollup_note(report: dict) -> str:
    """What a roll-up covers: it sums several agencies' records and is not any one agency's report."""
    included = report.get("included_agencies")
    if not isinstance(included, list) or len(included) < 2:
        return ""
    names = "、".join(str(a.get("name")) for a in included if isinstance(a, dict))
    return (f"说明：本汇总表合计了以下{len(included)}个机关本平台记录的数字，不是{report.get('agency')}本级的年度报告："
            f"{names}。")


def dated(report: dict) -> str:
    value = report.get("dated")
    if isinstance(value, str) and len(value) == 10:
        year, month, day = value.split("-")
        return f"{int(year)}年{int(month)}月{int(day)}日"
    return ""


def document(report: dict) -> Document:
    fmt = schema.report_format(report)
    grids = tables(report)
    if fmt == schema.FORMAT_2008:
        from gongkai.reports.rendering import outline_document

        return outline_document.document(report, grids)
    notes = report.get("notes")
    drafts = {"一": overview, "五": problems, "六": other_matters}
    written = written_sections(report)
    staff_notes = [str(n) for n in notes] if isinstance(notes, list) else []
    unsaved = [n for n in drafts if n not in written]
    if unsaved:
        staff_notes.append(f"第{'、'.join(unsaved)}部分为系统根据统计数字生成的草稿，尚未由工作人员核对保存。")
    sections = []
    for heading in SECTION_HEADINGS:
        number = heading[0]
        if number in written:
            sections.append(Section(heading, written[number]))
        elif number in drafts:
            sections.append(Section(heading, drafts[number](report), todo=NARRATIVE_TODO[number]))
        else:
            sections.append(Section(heading, table=grids[number]))
    generated = is_generated(report) and not rollup_note(report)  # a roll-up is nobody's own report
    return Document(
        title=report_title(report), agency=str(report.get("agency") or ""), year=report.get("year"),
        format_name=schema.FORMATS[fmt], staff_notes=staff_notes, sections=sections,
        opening=written.get(OPENING) or (opening(report) if generated else []),
        coverage=rollup_note(report), signed_by=str(report.get("agency") or "") if generated else "",
        signed_on=dated(report),
    )
