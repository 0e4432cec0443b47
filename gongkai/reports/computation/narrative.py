"""Checks on the written sections 一、五、六 of an annual report: no drafting prompt or placeholder
left in the text, and no two agencies' sections nearly the same.

A drafting prompt (「请说明是否均在法定期限内。」) or a placeholder (「××」, 「【待填写】」) printed in a
published report tells the public the report was not finished; 国办公开办函〔2021〕30号 names
内容雷同 (sections copied between agencies) as a reason for accountability. Prompts are shown to
the drafter beside the text (drafting.PROMPTS), so anything prompt-like inside it is a leftover.
"""

import difflib
import re

from gongkai.reports.computation import schema

# Sentences that ask the drafter to do something: 请说明／请补充／请写明… (an instruction, not a report).
_PROMPT_RE = re.compile(r"请(?:说明|补充|写明|填写|分析|核实|核对|列明|注明|在此|分别说明|另行说明|根据实际)")
# Placeholders: bracketed staff markers, ××/XX/○○ stand-ins, blank lines to fill, 「此处」 notes.
_PLACEHOLDER_RE = re.compile(
    r"【[^】]{0,12}(?:草稿|待|填写|补充|删除|说明|此处)[^】]{0,12}】"
    r"|[×Ｘ]{2,}|(?<![A-Za-z])XX+(?![A-Za-z])|○○|＿{2,}|_{3,}|…{2,}|\.{6,}"
    r"|（此处[^）]*）|\(此处[^)]*\)|　年　月　日|\[\s*待"
)
_SENTENCE_RE = re.compile(r"[^。！？；\n]*[。！？；]?")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_RE.findall(text or "") if s.strip()]


def placeholders(text: str) -> list[str]:
    """The sentences of ``text`` holding an unfilled placeholder (also checked in letters, whose
    wording may properly ask the applicant to 写明 something)."""
    return [s for s in sentences(text) if _PLACEHOLDER_RE.search(s)]


def leftovers(text: str) -> list[str]:
    """The sentences of ``text`` that still hold a drafting prompt or an unfilled placeholder."""
    return [s for s in sentences(text) if _PROMPT_RE.search(s) or _PLACEHOLDER_RE.search(s)]


def narrative_findings(report: dict) -> list[dict]:
    """One finding (rule N1) per offending sentence of a written section; nothing for unwritten ones."""
    narrative = report.get("narrative")
    if not isinstance(narrative, dict):
        return []
    findings = []
    for number in schema.narrative_sections(schema.report_format(report)):
        text = narrative.get(number)
        for sentence in leftovers(text if isinstance(text, str) else ""):
            findings.append({"rule": "N1", "section": number, "sentence": sentence,
                             "message": f"第{number}部分仍有起草提示或未填写的占位文字：“{sentence}”，请改写或删除。"})
    return findings


# Digits and the agency's own name are what differs between two copies of one text: they are
# taken out before comparing, so a copy with other names and numbers still counts as the same.
_NUMBERS_RE = re.compile(r"[0-9０-９.,，%．]+")


def _comparable(text: str, agency_name: str) -> str:
    if agency_name:
        text = text.replace(agency_name, "")
    return re.sub(r"\s+", "", _NUMBERS_RE.sub("", text))


def similarity(a: str, b: str, *, a_name: str = "", b_name: str = "") -> float:
    """difflib ratio (0–1) of two section texts with names and numbers taken out."""
    left, right = _comparable(a, a_name), _comparable(b, b_name)
    if not left or not right:
        return 0.0
    return difflib.SequenceMatcher(None, left, right, autojunk=False).ratio()
