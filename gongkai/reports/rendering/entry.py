"""Typing a report in: tables 二–四 as a form that looks like the printed report, and back to cells.

The form is the printed grid of layout.py (same row and column labels, same spans) with an input
in every value cell. Which cell is which is learnt by laying out a *probe*: a report whose every
cell holds its own path ("requests.granted.natural"), so the form follows the layout of each
format without a second copy of it.

Parsing follows the published page: a blank cell stays ``null`` (blank is not zero); counts are
whole numbers, never negative; amounts in 万元 may have decimals; 2019's 本年增/减 may be negative.
Validator findings are placed next to the cells their row/column name (R1/R2/R6 a column of 表三,
R3/R5 a row, R4 a group of 表四), in a note row inserted under the last of those cells.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from gongkai.reports.computation import schema
from gongkai.reports.rendering.layout import Grid, cell_text, placed, tables

CellPath = tuple[str, str, str]  # (section, row, column), e.g. ("requests", "granted", "natural")
TABLE_SECTIONS = ("active", "requests", "review_litigation")
SECTION_TABLES = {"active": "表二", "requests": "表三", "review_litigation": "表四"}
FIELD_PREFIX = "c-"

# 行政事业性收费 in 万元 and 2019's 采购总金额 are amounts; everything else is a count of documents,
# decisions, applications or cases.
DECIMAL_COLUMNS = frozenset({"amount_10k_yuan", "total_amount"})
DECIMAL_PLACES = 4  # 万元 to the yuan
SIGNED_COLUMNS = frozenset({"change"})  # 2019 表二 本年增/减
LARGEST = 10**9

# The cell says what is wrong in a few words; the list above the form adds what to do.
NOT_A_NUMBER_HINT = "请填写阿拉伯数字；原表空白的请留空，为零的填0"
_NUMBER = re.compile(r"^[+-]?(\d+|\d{1,3}(,\d{3})+)(\.\d+)?$")


# --- which cell is which --------------------------------------------------------------------------

def table_formats() -> tuple[str, ...]:
    """The formats printed as tables 二–四 (the 2008 outline has none, so it cannot be typed in)."""
    return schema.TABLE_FORMATS


def _active_rows(fmt: str) -> dict:
    return schema.ACTIVE_ROWS_BY_FORMAT.get(fmt, schema.ACTIVE_ROWS)


def _schema_cells(fmt: str) -> list[CellPath]:
    """Every cell the format defines, in the order of the spec (rows as printed)."""
    cells = [("active", row, column) for row, (_label, columns) in _active_rows(fmt).items() for column in columns]
    cells += [("requests", row, column) for row in schema.REQUEST_ROWS[fmt] for column in schema.REQUEST_COLUMNS]
    cells += [("review_litigation", group, column) for group in schema.REVIEW_GROUPS
              for column in schema.REVIEW_COLUMNS]
    return cells


def name_of(path: CellPath) -> str:
    return ".".join(path)


def path_of(name: str) -> CellPath:
    section, row, column = name.split(".", 2)
    return section, row, column


class _ProbeRow(dict):
    """Cells that hold their own path; a cell the layout asks for and the spec lacks names itself too."""

    def __init__(self, section: str, row: str, columns=()):
        super().__init__((column, f"{section}.{row}.{column}") for column in columns)
        self.section, self.row = section, row

    def get(self, column, default=None):
        return super().get(column, f"{self.section}.{self.row}.{column}")


class _ProbeSection(dict):
    def __init__(self, section: str, rows: dict):
        super().__init__((row, _ProbeRow(section, row, columns)) for row, columns in rows.items())
        self.section = section

    def get(self, row, default=None):
        return super().get(row, _ProbeRow(self.section, row))


def _probe(fmt: str) -> dict:
    rows: dict[str, dict] = {section: {} for section in TABLE_SECTIONS}
    for section, row, column in _schema_cells(fmt):
        rows[section].setdefault(row, []).append(column)
    return {"agency": "", "year": None, "format": fmt,
            **{section: _ProbeSection(section, rows[section]) for section in TABLE_SECTIONS}}


def _is_path(value) -> bool:
    return isinstance(value, str) and value.count(".") >= 2 and value.split(".", 1)[0] in TABLE_SECTIONS


def form_cells(fmt: str) -> list[CellPath]:
    """The cells of the form, in the spec's order (which is also the order of the typed report)."""
    printed = {path_of(cell.value) for grid in tables(_probe(fmt)).values() for line in grid.rows for cell in line
               if not cell.header and _is_path(cell.value)}
    ordered = [path for path in _schema_cells(fmt) if path in printed]
    return ordered + sorted(printed - set(ordered))


def cell_label(path: CellPath, fmt: str | None = None) -> str:
    """表三“（一）予以公开”行“自然人”列 / 表二“规章”“本年制发件数”: how messages name a cell."""
    section, row, column = path
    row_text, column_text = schema.row_label(row, fmt), schema.column_label(row, column, fmt)
    if section == "requests":
        return f"表三“{row_text}”行“{column_text}”列"
    return f"{SECTION_TABLES[section]}“{row_text}”“{column_text}”"


def is_decimal(path: CellPath) -> bool:
    return path[2] in DECIMAL_COLUMNS


# --- parsing the posted form ------------------------------------------------------------------

def parse_value(text: str, *, decimal: bool = False, signed: bool = False):
    """The number in a cell as typed: None for blank; ValueError with the Chinese reason otherwise."""
    # Full-width digits and points (１２．５) are what a Chinese input method often types.
    text = unicodedata.normalize("NFKC", text or "").strip()
    if text == "":
        return None
    if not _NUMBER.match(text):
        raise ValueError(f"“{text}”不是数字")
    plain = text.replace(",", "")
    number = Decimal(plain)
    if number < 0 and not signed:
        raise ValueError("不能为负数")
    if abs(number) >= LARGEST:
        raise ValueError("数字过大，请核对")
    if "." in plain:
        if not decimal:
            raise ValueError("件数应为整数，不能有小数")
        if len(plain.split(".")[1]) > DECIMAL_PLACES:
            raise ValueError(f"金额（万元）最多保留{DECIMAL_PLACES}位小数")
        return float(number)
    return int(number)


@dataclass
class Parsed:
    cells: dict[CellPath, int | float | None] = field(default_factory=dict)
    typed: dict[str, str] = field(default_factory=dict)  # field name -> text as posted
    errors: dict[str, str] = field(default_factory=dict)  # field name -> what is wrong

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_cells(fmt: str, post) -> Parsed:
    """Read every cell of the form from ``post``; a cell that is not in the post is blank."""
    parsed = Parsed()
    for path in form_cells(fmt):
        name = name_of(path)
        text = post.get(FIELD_PREFIX + name, "") or ""
        parsed.typed[name] = text
        try:
            parsed.cells[path] = parse_value(text, decimal=is_decimal(path), signed=path[2] in SIGNED_COLUMNS)
        except ValueError as reason:
            parsed.errors[name] = str(reason)
    return parsed


def error_summary(fmt: str, errors: dict[str, str]) -> list[str]:
    """One line per bad cell, naming it as the printed table does."""
    return [f"{cell_label(path_of(name), fmt)}：{message}" + (f"，{NOT_A_NUMBER_HINT}。" if message.endswith("不是数字")
                                                              else "。") for name, message in errors.items()]


def typed_report(fmt: str, agency_name: str, year: int, cells: dict[CellPath, object]) -> dict:
    """The report dict of a typed-in form: every cell of tables 二–四, blank ones null."""
    report: dict = {"agency": agency_name, "year": year, "format": fmt}
    for section in TABLE_SECTIONS:
        report[section] = {}
    for path in form_cells(fmt):
        section, row, column = path
        report[section].setdefault(row, {})[column] = cells.get(path)
    return report


def stored_value(data: dict, path: CellPath):
    section, row, column = path
    rows = data.get(section)
    cells = rows.get(row) if isinstance(rows, dict) else None
    return cells.get(column) if isinstance(cells, dict) else None


def stored_text(data: dict, path: CellPath) -> str:
    value = stored_value(data, path)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return cell_text(value)
    return "" if value is None else str(value)  # a string an uploaded file carried: shown, to be fixed


# --- findings next to cells ---------------------------------------------------------------------

def _section_of(row: str) -> str:
    if schema.is_active_row(row):
        return "active"
    return "review_litigation" if row in schema.REVIEW_GROUPS else "requests"


def involved_cells(finding: dict, fmt: str) -> list[CellPath]:
    """The cells a finding is about, from its rule and the row/column it names."""
    rule, row, column = finding.get("rule"), finding.get("row"), finding.get("column")
    if rule == "R1":
        return [("requests", r, column) for r in ("new", "carried_over", "total_processed", "carried_forward")]
    if rule == "R2":
        return [("requests", r, column) for r in (*schema.OUTCOME_ROWS[fmt], "total_processed")]
    if rule == "R3":
        return [("requests", row, c) for c in schema.REQUEST_COLUMNS]
    if rule == "R4":
        return [("review_litigation", row, c) for c in schema.REVIEW_COLUMNS]
    if rule == "R5":  # the subtotal row itself is not on the form; its sub-rows are
        parts = schema.SUBTOTAL_ROWS[fmt].get(row, ())
        return [("requests", r, column) for r in (*parts, row)]
    if rule == "R6":
        return [("requests", "carried_over", column)]
    if rule == "W1":
        columns = _active_rows(fmt).get(row, ("", {}))[1]
        return [("active", row, c) for c in columns if c != "previous_items"] or [("active", row, column)]
    if row and column:
        return [(_section_of(row), row, column)]
    if row:
        section = _section_of(row)
        columns = {"requests": schema.REQUEST_COLUMNS, "review_litigation": schema.REVIEW_COLUMNS}.get(
            section) or _active_rows(fmt).get(row, ("", {}))[1]
        return [(section, row, c) for c in columns]
    return []


@dataclass
class Note:
    id: str
    level: str  # "violation" or "warning"
    rule: str
    message: str


@dataclass
class EntryCell:
    text: str = ""
    colspan: int = 1
    rowspan: int = 1
    header: bool = False
    center: bool = False
    name: str = ""  # the input's field name (value cells only)
    label: str = ""
    value: str = ""
    error: str = ""
    decimal: bool = False
    level: str = ""  # the worst finding about this cell
    notes: list[str] = field(default_factory=list)  # ids of the notes about this cell


@dataclass
class EntryRow:
    cells: list[EntryCell] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)  # a row of messages instead of cells
    note_colspan: int = 0


@dataclass
class EntryGrid:
    number: str
    title: str
    columns: int
    rows: list[EntryRow] = field(default_factory=list)


@dataclass
class EntryForm:
    grids: list[EntryGrid]
    unplaced: list[Note]  # findings about cells the form does not show (a subtotal row, a key)
    errors: list[str]  # bad input, one line per cell

    @property
    def placed_count(self) -> int:
        return sum(len(row.notes) for grid in self.grids for row in grid.rows)


def _insert_notes(grid: Grid, lines: list[list[EntryCell]], notes_after: dict[int, list[Note]]) -> list[EntryRow]:
    """The grid's rows with a note row after each row in ``notes_after``; rowspans that run past
    an inserted row grow by one, so the printed layout does not shift."""
    positions = {id(cell): (r, c) for r, c, cell in placed(grid)}
    starts = []  # (row, cell, width) of every spanning cell
    for line, entry_line in zip(grid.rows, lines, strict=True):
        for cell, entry in zip(line, entry_line, strict=True):
            if cell.rowspan > 1:
                starts.append((positions[id(cell)][0], cell.rowspan, entry, cell.colspan))
    rows = []
    for r, entry_line in enumerate(lines):
        rows.append(EntryRow(cells=entry_line))
        if r in notes_after:
            covering = [(entry, width) for start, span, entry, width in starts if start <= r < start + span - 1]
            for entry, _width in covering:
                entry.rowspan += 1
            rows.append(EntryRow(notes=notes_after[r], note_colspan=grid.columns - sum(w for _e, w in covering)))
    return rows


def entry_form(fmt: str, *, values: dict[str, str], errors: dict[str, str] | None = None,
               findings: list[tuple[str, dict]] = ()) -> EntryForm:
    """The form's grids with ``values`` (field name -> text) in the inputs, bad input and findings.

    ``findings`` are (level, finding) pairs: level "violation" or "warning".
    """
    errors = errors or {}
    grids, located = [], {}  # located: field name -> (grid index, grid row)
    probe_grids = tables(_probe(fmt))
    entry_lines: list[list[list[EntryCell]]] = []
    for g, (number, grid) in enumerate(probe_grids.items()):
        lines = []
        for r, line in enumerate(grid.rows):
            entry_line = []
            for cell in line:
                entry = EntryCell(cell.text, cell.colspan, cell.rowspan, cell.header, cell.center)
                if not cell.header and _is_path(cell.value):
                    path = path_of(cell.value)
                    entry.text = ""
                    entry.name = cell.value
                    entry.label = cell_label(path, fmt)
                    entry.value = values.get(cell.value, "")
                    entry.error = errors.get(cell.value, "")
                    entry.decimal = is_decimal(path)
                    located[cell.value] = (g, r, entry)
                entry_line.append(entry)
            lines.append(entry_line)
        entry_lines.append(lines)
        grids.append(EntryGrid(number, grid.title, grid.columns))

    notes_after: list[dict[int, list[Note]]] = [{} for _ in grids]
    unplaced = []
    for index, (level, finding) in enumerate(findings):
        note = Note(f"finding-{index + 1}", level, finding.get("rule", ""), finding.get("message", ""))
        cells = [located[name_of(p)] for p in involved_cells(finding, fmt) if name_of(p) in located]
        if not cells:
            unplaced.append(note)
            continue
        for _g, _r, entry in cells:
            entry.notes.append(note.id)
            if entry.level != "violation":
                entry.level = level
        g, last = max((g, r) for g, r, _entry in cells)  # under the lowest of its cells
        notes_after[g].setdefault(last, []).append(note)
    for g, grid in enumerate(probe_grids.values()):
        grids[g].rows = _insert_notes(grid, entry_lines[g], notes_after[g])
    return EntryForm(grids, unplaced, error_summary(fmt, errors))


def findings_of(result) -> list[tuple[str, dict]]:
    """A validator result's violations and cell warnings as (level, finding) for ``entry_form``."""
    return [("violation", f) for f in result.violations] + [("warning", f) for f in result.warnings
                                                           if f.get("row") or f.get("column")]
