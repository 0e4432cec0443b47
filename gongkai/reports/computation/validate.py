"""Consistency rules (勾稽关系) of the annual report, R1–R6 and W1 of spec annual-report-json.md.

R1 is printed on table 三 of 国办公开办函〔2021〕30号 (“第一项加第二项之和，等于第三项加第四项之和”);
R2–R6 and W1 follow from the layout (spec regulation.md §2 勾稽校验 1–6).

A rule instance that involves a blank (``null``) or missing cell is *not checkable*, never broken:
a published page that leaves a cell blank has not said the cell is wrong. ``blank_as_zero`` reads
every ``null`` as 0 (published reports often print zeros as blanks) and lists each such cell under
``warnings``; a cell that is missing altogether, or is not a number, stays not checkable.

One finding per rule instance: R1, R2 and R6 per column; R3 and R5 per row (R5 names the first
differing column and lists every one in its message); R4 per group, in ``row``.

The rules are about tables 二–四, so they apply to formats "2021" and "2019". In the 2019 format W1
reads 对外公开总数量 (published_total = previous + 本年新公开数量), the column that carries over there;
between reports of different formats W1 is not checkable, and R6 against a 2008-outline previous
report checks the 总计 column only (the outline does not split requests by applicant). A report of
the 2008 outline is checked by outline_validate instead, which says that R1–R6 and W1 do not apply.
"""

from dataclasses import dataclass, field

from gongkai.errors import ServiceError
from gongkai.reports.computation import schema
from gongkai.reports.computation.narrative import narrative_findings
from gongkai.reports.computation.schema import (
    ACTIVE_ROWS_BY_FORMAT,
    APPLICANT_COLUMNS,
    CARRIED_DOCUMENT_COLUMN,
    DOCUMENT_ROWS,
    OUTCOME_ROWS,
    REQUEST_COLUMNS,
    REQUEST_ROWS,
    REVIEW_COLUMNS,
    REVIEW_GROUPS,
    REVIEW_OUTCOMES,
    SUBTOTAL_ROWS,
    column_label,
    row_label,
)

BLANK, MISSING, NOT_A_NUMBER = "blank", "missing", "not_a_number"


@dataclass
class Result:
    violations: list[dict] = field(default_factory=list)
    not_checkable: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.violations

    def as_dict(self) -> dict:
        return {"ok": self.ok, "violations": self.violations, "not_checkable": self.not_checkable,
                "warnings": self.warnings}


def _section_of(row: str) -> str:
    if schema.is_active_row(row):
        return "active"
    if row in REVIEW_GROUPS:
        return "review_litigation"
    return "requests"


def cell_name(row: str, column: str, *, previous: bool = False, fmt: str | None = None) -> str:
    """How a message names a cell: “三（一）予以公开”行“自然人”列, “规章”“现行有效件数”."""
    where = "上年报告" if previous else ""
    if _section_of(row) == "requests":
        return f"{where}表三“{row_label(row)}”行“{column_label(row, column)}”列"
    table = "表二" if schema.is_active_row(row) else "表四"
    return f"{where}{table}“{row_label(row, fmt)}”“{column_label(row, column, fmt)}”"


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class _Cells:
    """Reads cells of one report, noting why a cell cannot be used."""

    def __init__(self, report: dict, *, blank_as_zero: bool, previous: bool = False):
        self.report, self.blank_as_zero, self.previous = report, blank_as_zero, previous
        self.fmt = schema.report_format(report)

    def raw(self, row: str, column: str):
        section = self.report.get(_section_of(row))
        if not isinstance(section, dict) or row not in section:
            return MISSING
        cells = section[row]
        if cells is None:  # a whole row left blank
            return None
        if not isinstance(cells, dict) or column not in cells:
            return MISSING
        return cells[column]

    def missing_whole(self, row: str) -> str | None:
        """How to name what is missing when more than the cell is: the table or the row."""
        section = self.report.get(_section_of(row))
        where = "上年报告" if self.previous else ""
        table = {"active": "表二", "requests": "表三", "review_litigation": "表四"}[_section_of(row)]
        if not isinstance(section, dict):
            return f"{where}{table}缺失"
        if row not in section or (section[row] is not None and not isinstance(section[row], dict)):
            return f"{where}{table}“{row_label(row, self.fmt)}”{'行' if table == '表三' else ''}缺失"
        return None

    def read(self, row: str, column: str) -> tuple[float | None, str | None]:
        value = self.raw(row, column)
        if value is MISSING:
            return None, MISSING
        if value is None:
            return (0, None) if self.blank_as_zero else (None, BLANK)
        if not _is_number(value):
            return None, NOT_A_NUMBER
        return value, None

    def has_row(self, row: str) -> bool:
        section = self.report.get(_section_of(row))
        return isinstance(section, dict) and row in section


def _problem_text(name: str, problem: str, value) -> str:
    if problem == BLANK:
        return f"{name}为空"
    if problem == MISSING:
        return f"{name}缺失"
    return f"{name}不是数字（{value!r}）"


def _fmt(value) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


class _Checker:
    def __init__(self, report: dict, previous: dict | None, blank_as_zero: bool):
        self.fmt = schema.report_format(report)
        self.cur = _Cells(report, blank_as_zero=blank_as_zero)
        self.prev = _Cells(previous, blank_as_zero=blank_as_zero, previous=True) if previous is not None else None
        self.result = Result()

    def terms(self, cells: list[tuple[_Cells, str, str]]):
        """Values of the cells, or None and the reasons some cannot be used."""
        values, problems = [], {}
        for source, row, column in cells:
            value, problem = source.read(row, column)
            if problem:
                whole = source.missing_whole(row) if problem == MISSING else None
                text = whole or _problem_text(cell_name(row, column, previous=source.previous, fmt=source.fmt),
                                              problem, source.raw(row, column))
                problems[text] = None  # a missing row is named once, not once per cell
            values.append(value)
        return (None, list(problems)) if problems else (values, [])

    def not_checkable(self, rule: str, row, column, where: str, problems: list[str]) -> None:
        self.result.not_checkable.append({
            "rule": rule, "row": row, "column": column,
            "message": f"{rule}（{where}）无法校验：{'；'.join(problems)}。",
        })

    def finding(self, kind: str, rule: str, row, column, expected, actual, message: str) -> None:
        getattr(self.result, kind).append({"rule": rule, "row": row, "column": column, "expected": expected,
                                           "actual": actual, "message": message})

    # R1: for every column, 一 + 二 = 三（七）+ 四 (表三表头注).
    def r1(self):
        for column, label in REQUEST_COLUMNS.items():
            cells = [(self.cur, r, column) for r in ("new", "carried_over", "total_processed", "carried_forward")]
            values, problems = self.terms(cells)
            if problems:
                self.not_checkable("R1", None, column, f"表三“{label}”列", problems)
                continue
            new, carried_over, processed, forward = values
            expected, actual = new + carried_over, processed + forward
            if expected != actual:
                self.finding(
                    "violations", "R1", None, column, expected, actual,
                    f"表三“{label}”列：第一项加第二项之和应等于第三项（七）总计加第四项之和。"
                    f"本年新收{_fmt(new)}＋上年结转{_fmt(carried_over)}＝{_fmt(expected)}，"
                    f"办理结果总计{_fmt(processed)}＋结转下年度继续办理{_fmt(forward)}＝{_fmt(actual)}。",
                )

    # R2: for every column, 三（七）总计 = sum of the leaf outcome rows.
    def r2(self):
        outcomes = OUTCOME_ROWS[self.fmt]
        for column, label in REQUEST_COLUMNS.items():
            values, problems = self.terms([(self.cur, r, column) for r in (*outcomes, "total_processed")])
            if problems:
                self.not_checkable("R2", "total_processed", column, f"表三“{label}”列", problems)
                continue
            expected, actual = sum(values[:-1]), values[-1]
            if expected != actual:
                self.finding(
                    "violations", "R2", "total_processed", column, expected, actual,
                    f"表三“{label}”列：“三（七）总计”应等于（一）至（六）各项办理结果之和{_fmt(expected)}，"
                    f"实际填报{_fmt(actual)}。",
                )

    # R3: for every row, 总计 = 自然人 + the five 法人或其他组织 columns.
    def r3(self):
        rows = [*REQUEST_ROWS[self.fmt], *(r for r in SUBTOTAL_ROWS[self.fmt] if self.cur.has_row(r))]
        for row in rows:
            values, problems = self.terms([(self.cur, row, c) for c in (*APPLICANT_COLUMNS, "total")])
            if problems:
                self.not_checkable("R3", row, "total", f"表三“{row_label(row)}”行", problems)
                continue
            expected, actual = sum(values[:-1]), values[-1]
            if expected != actual:
                self.finding(
                    "violations", "R3", row, "total", expected, actual,
                    f"表三“{row_label(row)}”行：“总计”列应等于自然人与商业企业、科研机构、社会公益组织、"
                    f"法律服务机构、其他各列之和{_fmt(expected)}，实际填报{_fmt(actual)}。",
                )

    # R4: for each group of table 四, 总计 = 维持 + 纠正 + 其他 + 尚未审结.
    def r4(self):
        for group, label in REVIEW_GROUPS.items():
            values, problems = self.terms([(self.cur, group, c) for c in (*REVIEW_OUTCOMES, "total")])
            if problems:
                self.not_checkable("R4", group, "total", f"表四“{label}”", problems)
                continue
            expected, actual = sum(values[:-1]), values[-1]
            if expected != actual:
                self.finding(
                    "violations", "R4", group, "total", expected, actual,
                    f"表四“{label}”：“总计”应等于结果维持、结果纠正、其他结果、尚未审结之和{_fmt(expected)}，"
                    f"实际填报{_fmt(actual)}。",
                )

    # R5: a printed subtotal row equals the sum of its sub-rows, column by column; one finding per row.
    def r5(self):
        for subtotal, parts in SUBTOTAL_ROWS[self.fmt].items():
            if not self.cur.has_row(subtotal):
                continue
            differing, unusable = [], []
            for column in REQUEST_COLUMNS:
                values, problems = self.terms([(self.cur, r, column) for r in (*parts, subtotal)])
                if problems:
                    unusable += problems
                elif sum(values[:-1]) != values[-1]:
                    differing.append((column, sum(values[:-1]), values[-1]))
            label = row_label(subtotal)
            if differing:
                column, expected, actual = differing[0]
                details = "；".join(f"“{REQUEST_COLUMNS[c]}”列应为{_fmt(e)}，实际填报{_fmt(a)}" for c, e, a in differing)
                self.finding("violations", "R5", subtotal, column, expected, actual,
                             f"表三“{label}”行：小计应等于其下各项之和。{details}。")
            if unusable:
                self.not_checkable("R5", subtotal, None, f"表三“{label}”行", unusable)

    def _previous_year_problem(self) -> str | None:
        year, previous_year = self.cur.report.get("year"), self.prev.report.get("year")
        if _is_number(year) and _is_number(previous_year) and previous_year != year - 1:
            return f"上年报告为{_fmt(previous_year)}年度，不是{_fmt(year - 1)}年度"
        return None

    # R6: carried_over(year) = carried_forward(year − 1), per column.
    def r6(self):
        if self.prev is None:
            return
        wrong_year = self._previous_year_problem()
        if wrong_year:
            self.not_checkable("R6", "carried_over", None, "表三“二、上年结转”", [wrong_year])
            return
        columns = REQUEST_COLUMNS
        if self.prev.fmt == schema.FORMAT_2008:
            columns = {"total": REQUEST_COLUMNS["total"]}
            self.not_checkable("R6", "carried_over", None, "表三“二、上年结转”各申请人类型列",
                               ["上年报告按2007年条例的报告提纲编制，没有按申请人类型分列"])
        for column, label in columns.items():
            previous = (self.prev, "carried_forward", column)
            if self.prev.fmt == schema.FORMAT_2008:
                previous = (_OutlineCarriedForward(self.prev), "carried_forward", column)
            values, problems = self.terms([previous, (self.cur, "carried_over", column)])
            if problems:
                self.not_checkable("R6", "carried_over", column, f"表三“{label}”列", problems)
                continue
            expected, actual = values
            if expected != actual:
                self.finding(
                    "violations", "R6", "carried_over", column, expected, actual,
                    f"表三“{label}”列：本年“二、上年结转政府信息公开申请数量”应等于上年报告"
                    f"“四、结转下年度继续办理”{_fmt(expected)}，实际填报{_fmt(actual)}。",
                )

    # W1 (warning only): in_force = previous in_force + issued − repealed (2021 format), or
    # published_total = previous published_total + published (2019 format). No official rule says
    # so (spec regulation.md §2 勾稽校验 6), and 失效 or withdrawn documents also break it.
    def w1(self):
        if self.prev is None:
            return
        carried = CARRIED_DOCUMENT_COLUMN[self.fmt]
        wrong_year = self._previous_year_problem()
        if wrong_year is None and self.prev.fmt != self.fmt:
            wrong_year = (f"上年报告按{schema.FORMATS[self.prev.fmt]}格式编制，没有本年报告表二的"
                          f"“{column_label('regulations', carried, self.fmt)}”栏")
        if wrong_year:
            self.not_checkable("W1", None, carried, f"表二“{column_label('regulations', carried, self.fmt)}”",
                               [wrong_year])
            return
        for row in DOCUMENT_ROWS:
            label = row_label(row, self.fmt)
            if self.fmt == schema.FORMAT_2019:
                cells = [(self.prev, row, carried), (self.cur, row, "published"), (self.cur, row, carried)]
            else:
                cells = [(self.prev, row, carried), (self.cur, row, "issued"), (self.cur, row, "repealed"),
                         (self.cur, row, carried)]
            values, problems = self.terms(cells)
            if problems:
                self.not_checkable("W1", row, carried, f"表二“{label}”", problems)
                continue
            if self.fmt == schema.FORMAT_2019:
                before, published, actual = values
                expected = before + published
                how = f"上年对外公开总数量{_fmt(before)}＋本年新公开数量{_fmt(published)}＝{_fmt(expected)}，" \
                      f"本年对外公开总数量填报{_fmt(actual)}（仅提示：撤回的文件也会使两者不一致）。"
            else:
                before, issued, repealed, actual = values
                expected = before + issued - repealed
                how = f"上年现行有效{_fmt(before)}＋本年制发{_fmt(issued)}－本年废止{_fmt(repealed)}" \
                      f"＝{_fmt(expected)}，本年现行有效件数填报{_fmt(actual)}（仅提示：失效、撤回的文件也会使两者不一致）。"
            if expected != actual:
                self.finding("warnings", "W1", row, carried, expected, actual, f"表二“{label}”：{how}")

    def blank_cells(self, cells: _Cells, rows_columns) -> None:
        for row, columns in rows_columns:
            for column in columns:
                if cells.raw(row, column) is None:
                    entry = {"rule": "BLANK_AS_ZERO", "row": row, "column": column,
                             "message": f"{cell_name(row, column, previous=cells.previous, fmt=cells.fmt)}为空，已按0计算。"}
                    if cells.previous:
                        entry["previous"] = True
                    self.result.warnings.append(entry)

    def unknown(self) -> None:
        for path in schema.unknown_keys(self.cur.report):
            self.result.warnings.append({"rule": "UNKNOWN_KEY", "key": path,
                                         "message": f"“{path}”不是年度报告交换格式中的项目，已原样保留，未参与校验。"})

    def agency_mismatch(self) -> None:
        if self.prev is None:
            return
        agency, previous_agency = self.cur.report.get("agency"), self.prev.report.get("agency")
        if isinstance(agency, str) and isinstance(previous_agency, str) and agency.strip() != previous_agency.strip():
            self.result.warnings.append({"rule": "PREVIOUS_AGENCY_MISMATCH", "key": "agency",
                                         "message": f"上年报告的机关为“{previous_agency}”，本年为“{agency}”，请确认是同一机关。"})


class _OutlineCarriedForward(_Cells):
    """A 2008-outline previous report read as if it had table 三's 总计 column (R6)."""

    def __init__(self, cells: _Cells):
        super().__init__(cells.report, blank_as_zero=cells.blank_as_zero, previous=True)

    def raw(self, row: str, column: str):
        section = self.report.get("requests")
        if not isinstance(section, dict) or row not in section:
            return MISSING
        return section[row]


def _all_cells(fmt: str, cells: _Cells):
    yield from ((row, columns) for row, (_label, columns) in ACTIVE_ROWS_BY_FORMAT[fmt].items())
    subtotals = [r for r in SUBTOTAL_ROWS[fmt] if cells.has_row(r)]
    yield from ((row, REQUEST_COLUMNS) for row in (*REQUEST_ROWS[fmt], *subtotals))
    yield from ((group, REVIEW_COLUMNS) for group in REVIEW_GROUPS)


def validate(report: dict, previous: dict | None = None, *, blank_as_zero: bool = False) -> Result:
    """Check a report (and, given the previous year's, R6 and W1); never raises for a broken rule.

    Raises ServiceError REPORT_JSON_INVALID / REPORT_FORMAT_UNKNOWN when a report is not one at all.
    """
    for value in (report, previous):
        if value is not None and not isinstance(value, dict):
            raise ServiceError("REPORT_JSON_INVALID", "报告应为一个 JSON 对象（{…}）。")
    if previous is not None:
        schema.report_format(previous)
    if schema.report_format(report) == schema.FORMAT_2008:
        from gongkai.reports.computation import outline_validate

        result = Result()
        outline_validate.check(report, previous, blank_as_zero=blank_as_zero, into=result)
        return result
    checker = _Checker(report, previous, blank_as_zero)
    for rule in (checker.r1, checker.r2, checker.r3, checker.r4, checker.r5, checker.r6, checker.w1):
        rule()
    if blank_as_zero:
        checker.blank_cells(checker.cur, _all_cells(checker.fmt, checker.cur))
        if checker.prev is not None and checker.prev.fmt in schema.TABLE_FORMATS:
            carried = CARRIED_DOCUMENT_COLUMN[checker.prev.fmt]
            used = [("carried_forward", REQUEST_COLUMNS), *((row, (carried,)) for row in DOCUMENT_ROWS)]
            checker.blank_cells(checker.prev, used)
    checker.unknown()
    checker.agency_mismatch()
    # N1: a written section still holding a drafting prompt or placeholder (computation/narrative.py).
    checker.result.violations += narrative_findings(report)
    return checker.result
