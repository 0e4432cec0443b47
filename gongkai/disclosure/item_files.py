"""Item files: CSV, XLSX and JSON Lines with one documented set of columns (docs/import-export.md).

Reading an import file and checking one row (problems as (row, field, message)), and writing an
export file. Rows describe information already published elsewhere (a legacy site): they arrive
published and keep their existing 索引号 if they have one. The import itself is item_import.py.
"""

import codecs
import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from gongkai.disclosure.models import (
    CatalogueNode,
    Disclosure,
    Genre,
    Status,
    TopicCategory,
    Validity,
)
from gongkai.disclosure.sanitize import clean_body, text_of
from gongkai.disclosure.taxonomy import DEFAULT_CATALOGUE
from gongkai.disclosure.validation import clean_item_data
from gongkai.errors import ServiceError
from gongkai.orgs import access
from gongkai.orgs.models import Agency
from gongkai.orgs.roles import Perm
from gongkai.pii import scan
from gongkai.web.cells import safe_cell

# Column name -> meaning; the same names are used for export (docs/import-export.md).
COLUMNS = {
    "agency_code": "机构代码（必填）",
    "index_number": "索引号（已有的保留；留空则自动生成）",
    "title": "标题（必填）",
    "document_number": "文号",
    "publisher": "发布机构（留空为机构全称）",
    "written_on": "成文日期 YYYY-MM-DD（必填）",
    "published_on": "发布日期 YYYY-MM-DD（必填）",
    "catalogue": "目录分类代码（必填，如 yjs）",
    "topic": "主题分类：代码（如 0301）或“一级/二级”名称",
    "genre": "体裁：代码（如 08）或名称（如 通知）",
    "keywords": "关键词",
    "summary": "内容概述",
    "disclosure": "公开属性：proactive/on_request/withheld 或 主动公开/依申请公开/不予公开",
    "exemption_reason": "不公开理由代码（X14-1 … X16-3）",
    "reassess_on": "复审日期 YYYY-MM-DD",
    "validity": "有效性：valid/expired/repealed 或 有效/失效/废止",
    "validity_changed_on": "失效/废止日期",
    "body": "正文（文本或简单 HTML）",
}
EXPORT_EXTRA = ["status", "version", "first_published_at", "last_published_at", "attachments"]
# Imported text skips the review desk, so only unmistakable personal data blocks a row; names
# and e-mail addresses are left to the reviewers of later edits.
BLOCKING_PII = {"id_card", "bank_card", "mobile"}


@dataclass(frozen=True)
class RowProblem:
    row: int
    field: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "field": self.field, "message": self.message}


class ImportRefused(Exception):
    """``imported``: rows of the file already imported (committed batches) when the problems were found."""

    def __init__(self, problems: list[RowProblem], *, imported: int = 0):
        super().__init__(f"{len(problems)} problems")
        self.problems = problems
        self.imported = imported


# The header a clerk's spreadsheet may carry instead of the column names: the short Chinese name
# (what a template made by hand, or the preview page, shows). Matched after trimming spaces.
HEADER_ALIASES = {
    "机构代码": "agency_code", "索引号": "index_number", "标题": "title", "文号": "document_number",
    "发布机构": "publisher", "成文日期": "written_on", "发布日期": "published_on", "目录分类": "catalogue",
    "主题分类": "topic", "体裁": "genre", "关键词": "keywords", "内容概述": "summary", "公开属性": "disclosure",
    "不公开理由": "exemption_reason", "复审日期": "reassess_on", "有效性": "validity",
    "失效/废止日期": "validity_changed_on", "失效日期": "validity_changed_on", "废止日期": "validity_changed_on",
    "正文": "body",
}

# --- reading -----------------------------------------------------------------------------

# CSV encodings, tried strictly in this order. A file that decodes as UTF-8 is UTF-8 (GBK text is
# practically never valid UTF-8 over a whole file); GB18030 decodes every GBK file and adds the
# four-byte characters outside GBK (𠀀 and rare surname characters). Excel and WPS on a Chinese
# Windows save "CSV (逗号分隔)" in GBK (code page 936) and "CSV UTF-8" with a BOM.
# A statistical detector (charset-normalizer) was tried and not used: on a short GBK file it
# answered cp949 (Korean), and a strict decode of the whole file is never wrong about these three.
CSV_ENCODINGS = ("utf-8", "gbk", "gb18030")
ENCODING_LABELS = {"utf-8-sig": "UTF-8（带 BOM）", "utf-8": "UTF-8", "gbk": "GBK", "gb18030": "GB18030"}


def csv_encoding(path: Path) -> str:
    """The encoding of a CSV file: ``utf-8-sig``, ``utf-8``, ``gbk`` or ``gb18030``; ServiceError
    IMPORT_ENCODING_UNKNOWN (with the line of the first undecodable byte) for anything else."""
    with path.open("rb") as handle:
        if handle.read(3) == codecs.BOM_UTF8:
            return "utf-8-sig"
    line = 0
    for encoding in CSV_ENCODINGS:
        line = _first_bad_line(path, encoding)
        if line is None:
            return encoding
    raise ServiceError("IMPORT_ENCODING_UNKNOWN", f"文件不是 UTF-8 或 GBK/GB18030 编码（第{line}行有无法识别的字符）。"
                       "请在 Excel 或 WPS 中“另存为”“CSV UTF-8（逗号分隔）”后再上传。")


def _first_bad_line(path: Path, encoding: str) -> int | None:
    """None if the whole file decodes strictly, else the (physical) line of the first bad byte."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    newlines = 0
    with path.open("rb") as handle:
        while chunk := handle.read(2**20):
            try:
                newlines += decoder.decode(chunk).count("\n")
            except UnicodeDecodeError as error:
                good = chunk[:error.start]
                return newlines + good.count(b"\n") + 1
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return newlines + 1
    return None


def _open_csv(path: Path):
    # A file that is valid GBK is read as GB18030 (its superset: the same characters for GBK bytes).
    encoding = {"gbk": "gb18030"}.get(csv_encoding(path), csv_encoding(path))
    return path.open(encoding=encoding, newline="")


def column_name(header) -> str:
    """A header cell as a column name: the name itself, or its Chinese alias (HEADER_ALIASES)."""
    text = str(header or "").strip().lstrip("\ufeff").strip()
    return HEADER_ALIASES.get(text, text.lower() if text.lower() in COLUMNS else text)


CSV_CELL_LIMIT = 8 * 1024 * 1024


def _first_sheet(path: Path):
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return load_workbook(path, read_only=True, data_only=True).worksheets[0]
    except (zipfile.BadZipFile, InvalidFileException, KeyError, IndexError, ValueError) as error:
        # An .xls or .et file renamed to .xlsx, a damaged download, a workbook without sheets.
        raise ServiceError("IMPORT_FILE_UNREADABLE", "无法读取该 Excel 文件（不是有效的 .xlsx 文件）。"
                           "请在 Excel 或 WPS 中打开后“另存为”“Excel 工作簿（*.xlsx）”再上传。") from error


def read_rows(path: Path) -> Iterator[dict]:
    try:
        yield from _read_rows(path)
    except csv.Error as error:  # a NUL byte, an unterminated quote at the end of the file
        raise ServiceError("IMPORT_FILE_UNREADABLE", f"无法按 CSV 格式读取该文件（{error}）。"
                           "请在 Excel 或 WPS 中另存为“CSV（逗号分隔）”后再上传。") from error


def _read_rows(path: Path) -> Iterator[dict]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        # The csv module's default cell limit (128 KiB) is below a long regulation's 正文.
        csv.field_size_limit(max(csv.field_size_limit(), CSV_CELL_LIMIT))
        with _open_csv(path) as handle:
            reader = csv.reader(handle)
            header = [column_name(h) for h in next(reader, [])]
            for values in reader:
                if not any(v.strip() for v in values):
                    continue  # Excel writes ",,,," for a row that only had formatting
                row = dict(zip(header, values, strict=False))
                if len(values) > len(header):  # as csv.DictReader: the extra cells under None
                    row[None] = values[len(header):]
                yield row
    elif suffix in (".jsonl", ".ndjson"):
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=2):
                if line.strip():
                    try:
                        value = json.loads(line)
                    except json.JSONDecodeError as exc:
                        raise ImportRefused([RowProblem(number - 1, "", f"不是有效的 JSON：{exc.msg}")]) from exc
                    yield value if isinstance(value, dict) else {"__invalid__": True}
    elif suffix == ".xlsx":
        sheet = _first_sheet(path)
        # Some writers (WPS, older exporters) store a wrong used range ("A1"); read the whole sheet.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True)
        header = [column_name(h) for h in next(rows, [])]
        for values in rows:
            if any(v not in (None, "") for v in values):
                yield {h: ("" if v is None else v) for h, v in zip(header, values, strict=False) if h}
    else:
        raise ServiceError("IMPORT_FORMAT_UNKNOWN", "只支持 .csv、.xlsx 和 .jsonl 文件。")


READERS = (".csv", ".jsonl", ".ndjson", ".xlsx")


def read_header(path: Path) -> list:
    """The header as written in the file (for the upload preview's column mapping); for JSON Lines
    the keys of the first object."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with _open_csv(path) as handle:
            return next(csv.reader(handle), [])
    if suffix == ".xlsx":
        sheet = _first_sheet(path)
        sheet.reset_dimensions()
        first = next(sheet.iter_rows(values_only=True), ())
        return [h for h in first if h not in (None, "")]
    for row in read_rows(path):
        return list(row)
    return []


# --- checking ----------------------------------------------------------------------------

class Lookups:
    """Everything a row's own checks need, read once before the file, so checking a row needs no
    query (those against existing items are made per batch, item_import.py)."""

    def __init__(self, actor):
        agencies = list(Agency.objects.all())
        self.agencies = {a.code: a for a in agencies}
        self.allowed = {a.pk for a in agencies if access.can(actor, Perm.MANAGE_PUBLISHED, a)}
        genres = list(Genre.objects.all())
        self.genres = {g.code: g for g in genres} | {g.name: g for g in genres}
        topics = TopicCategory.objects.select_related("parent")
        self.topics = {t.code: t for t in topics} | {f"{t.parent.name}/{t.name}": t for t in topics if t.parent_id}
        self.nodes = {(n.agency_id, n.code): n for n in CatalogueNode.objects.all()}
        # An agency that predates catalogues gets the default one when its first row is written
        # (ensure_catalogue); until then its rows are checked against the default codes.
        seeded = {agency_id for agency_id, _ in self.nodes}
        self.default_codes = {code for code, _name, children in DEFAULT_CATALOGUE for code in [code, *dict(children)]}
        self.unseeded = {a.pk for a in agencies if a.pk not in seeded}

    def node(self, agency, code) -> CatalogueNode | None:
        if agency.pk in self.unseeded:
            return CatalogueNode(agency_id=agency.pk, code=code) if code in self.default_codes else None
        return self.nodes.get((agency.pk, code))


LABEL_TO_DISCLOSURE = {label: value for value, label in Disclosure.choices}
LABEL_TO_VALIDITY = {label: value for value, label in Validity.choices}


def _text(row, name) -> str:
    value = row.get(name, "")
    return "" if value is None else str(value).strip()


def _date(row, name, problems, number, *, required=False):
    value = row.get(name)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(row, name)
    if not text:
        if required:
            problems.append(RowProblem(number, name, "必填"))
        return None
    # Excel on a Chinese Windows writes a date cell into CSV as shown: 2019/3/5 (or 2019年3月5日).
    match = DATE_SPELLINGS.match(text)
    try:
        return dt.date(*(int(part) for part in match.groups())) if match else dt.date.fromisoformat(text)
    except ValueError:
        problems.append(RowProblem(number, name, f"“{text}”不是日期（应为 YYYY-MM-DD，如 2019-03-05）"))
        return None


DATE_SPELLINGS = re.compile(r"^(\d{4})(?:[-/.]|年)(\d{1,2})(?:[-/.]|月)(\d{1,2})日?$")


def check_row(row: dict, number: int, lookups: Lookups, *, scan_pii: bool = True) -> tuple[Agency | None, dict, list[RowProblem]]:
    """One row's own checks, without the database: those against existing items (文号, 索引号)
    are made for a whole batch at once (item_import.py). ``scan_pii=False`` only for a row of a
    file that was checked whole with the scan already (the same bytes)."""
    problems: list[RowProblem] = []
    if row.get("__invalid__"):
        return None, {}, [RowProblem(number, "", "每行应为一个 JSON 对象")]
    unknown = sorted(str(name) for name in set(row) - set(COLUMNS))  # csv gives None for extra cells
    if unknown:
        problems.append(RowProblem(number, unknown[0], f"未知的列：{'、'.join(unknown)}"))
    code = _text(row, "agency_code").upper()
    agency = lookups.agencies.get(code)
    if agency is None:
        problems.append(RowProblem(number, "agency_code", f"找不到机构代码“{code}”" if code else "必填"))
        return None, {}, problems
    if agency.pk not in lookups.allowed:
        problems.append(RowProblem(number, "agency_code", f"您无权向“{agency.name}”导入信息"))
        return agency, {}, problems
    data = {
        "title": _text(row, "title"), "document_number": _text(row, "document_number"), "publisher": _text(row, "publisher"),
        "keywords": _text(row, "keywords"), "summary": _text(row, "summary"), "body": _text(row, "body"),
        "exemption_reason": _text(row, "exemption_reason"),
        "written_on": _date(row, "written_on", problems, number, required=True),
        "published_on": _date(row, "published_on", problems, number, required=True),
        "reassess_on": _date(row, "reassess_on", problems, number),
        "validity_changed_on": _date(row, "validity_changed_on", problems, number),
    }
    disclosure = _text(row, "disclosure") or Disclosure.PROACTIVE
    data["disclosure"] = LABEL_TO_DISCLOSURE.get(disclosure, disclosure)
    validity = _text(row, "validity") or Validity.VALID
    data["validity"] = LABEL_TO_VALIDITY.get(validity, validity)
    for name, table, label in (("genre", lookups.genres, "体裁"), ("topic", lookups.topics, "主题分类")):
        key = _text(row, name)
        data[name] = table.get(key)
        if data[name] is None:
            problems.append(RowProblem(number, name, f"找不到{label}“{key}”" if key else "必填"))
    node_code = _text(row, "catalogue")
    data["catalogue_node"] = lookups.node(agency, node_code) if node_code else None
    if data["catalogue_node"] is None:
        problems.append(RowProblem(number, "catalogue", f"本机构没有目录分类“{node_code}”" if node_code else "必填"))
    if problems:
        return agency, data, problems
    try:
        data = {**data, **clean_item_data(agency, data, unique_in_database=False)}
    except ServiceError as error:
        problems.append(RowProblem(number, _column_of(error.field), error.message))
    if data.get("validity") != Validity.VALID and not data.get("validity_changed_on"):
        problems.append(RowProblem(number, "validity_changed_on", "失效或废止的信息须填写日期"))
    # The body as it will be stored and its visible text, computed once: the PII scan, the search
    # document and the write all use them.
    data["body"] = clean_body(data.get("body", ""))
    data["public_text"] = text_of(data["body"])
    public_text = " ".join([data.get("title", ""), data.get("summary", ""), data["public_text"]])
    blocking = sorted({f.label for f in scan(public_text) if f.kind in BLOCKING_PII}) if scan_pii else []
    if blocking:
        problems.append(RowProblem(number, "body", f"含疑似个人信息（{'、'.join(blocking)}），请去标识化后再导入"))
    index_number = _text(row, "index_number")
    if index_number:
        data["index_number"] = index_number
    return agency, data, problems


def _column_of(field: str | None) -> str:
    return {"catalogue_node": "catalogue"}.get(field or "", field or "")


# --- export ------------------------------------------------------------------------------

def export_rows(items) -> Iterator[dict]:
    """Only information that went through review: drafts' text has not been de-identified yet."""
    items = items.filter(status__in=[Status.PUBLISHED, Status.REGISTERED])
    for item in items.select_related("agency", "catalogue_node", "topic", "genre").prefetch_related("attachments"):
        yield {
            "agency_code": item.agency.code, "index_number": item.index_number or "", "title": item.title,
            "document_number": item.document_number, "publisher": item.publisher,
            "written_on": item.written_on.isoformat(), "published_on": item.published_on.isoformat() if item.published_on else "",
            "catalogue": item.catalogue_node.code, "topic": item.topic.code, "genre": item.genre.code,
            "keywords": item.keywords, "summary": item.summary, "disclosure": item.disclosure,
            "exemption_reason": item.exemption_reason, "reassess_on": item.reassess_on.isoformat() if item.reassess_on else "",
            "validity": item.validity,
            "validity_changed_on": item.validity_changed_on.isoformat() if item.validity_changed_on else "",
            # Exports carry the public (de-identified) text: an export file travels further than the database.
            "body": item.public_body,
            "status": item.status, "version": item.version,
            "first_published_at": item.first_published_at.isoformat() if item.first_published_at else "",
            "last_published_at": item.last_published_at.isoformat() if item.last_published_at else "",
            "attachments": ";".join(a.original_name for a in item.attachments.all()),
        }


def write_export(rows: Iterable[dict], fmt: str, out) -> int:
    """Write rows to a binary stream ``out``; returns the number of rows."""
    header = list(COLUMNS) + EXPORT_EXTRA
    count = 0
    if fmt == "jsonl":
        for row in rows:
            out.write((json.dumps(row, ensure_ascii=False) + "\n").encode())
            count += 1
    elif fmt == "csv":
        text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
        writer = csv.DictWriter(text, fieldnames=header)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: safe_cell(v) for k, v in row.items()})
            count += 1
        text.detach()
    elif fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("items")
        sheet.append(header)
        for row in rows:
            sheet.append([safe_cell(row[h]) for h in header])
            count += 1
        book.save(out)
    else:
        raise ServiceError("EXPORT_FORMAT_UNKNOWN", "格式应为 csv、xlsx 或 jsonl。")
    return count
