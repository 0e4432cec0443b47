"""Checks of a 2008–2018 report (format "2008"): only those its figures allow.

R1–R6 and W1 are rules about tables 二–四 of the 2019 and 2021 formats; the old outline has no such
tables, so they are reported as not applicable (once, under ``not_checkable``), never run. Instead:

O1  every count is a whole number ≥ 0, every amount of money a number ≥ 0
O2  the category percentages of 二 add up to exactly 100.0 (read as the decimals printed)
O3  each category's percentage is within 0.1 of its share of the total (count ÷ total × 100)
O4  parts add up to their whole: categories → proactive.total, channels → requests.received,
    outcomes → requests.answered, and for each group of review_litigation the four results → total
O5  received + carried_over = answered + carried_forward
O6  with the previous year's report: carried_over = previous carried_forward

A blank (``null``) or missing figure makes a check not checkable, never broken; ``blank_as_zero``
reads ``null`` as 0 and lists each such figure under ``warnings``, as for the table formats.
"""

from decimal import Decimal

from gongkai.reports.computation import outline, schema

NOT_APPLICABLE = {
    "rule": "R1-R6,W1", "row": None, "column": None,
    "message": "R1–R6、W1是国办公开办函〔2019〕60号、〔2021〕30号表二至表四的勾稽关系，不适用于按2007年条例"
               "报告提纲编制的2008–2018年度报告；本报告改为检查数字非负、分项合计和百分比（O1–O6）。",
}
_LABELS = {
    "proactive.total": "本年主动公开政府信息条数", "proactive.cumulative": "累计主动公开条数",
    "requests.received": "本年收到申请件数", "requests.carried_over": "上年结转件数",
    "requests.answered": "本年办结件数", "requests.carried_forward": "结转下年度继续办理件数",
    **{f"fees.{row}.{column}": f"{label}{column_label}" for row, label in outline.FEE_ROWS.items()
       for column, column_label in outline.FEE_COLUMNS.items()},
    **{f"requests.channels.{key}": f"申请方式“{label}”" for key, label in outline.CHANNELS.items()},
    **{f"requests.outcomes.{key}": f"办理结果“{label}”" for key, label in outline.OUTCOMES.items()},
}
_MONEY = ("fees.charged.yuan", "fees.waived.yuan")
_MISSING = object()


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _fmt(value) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


class _Figures:
    def __init__(self, report: dict, blank_as_zero: bool, result, previous: bool = False):
        self.report, self.blank_as_zero, self.result, self.previous = report, blank_as_zero, result, previous
        self.blanks_seen: set[str] = set()

    def raw(self, path: str):
        value = self.report
        for key in path.replace("[", ".").replace("]", "").split("."):
            if isinstance(value, list) and key.isdigit() and int(key) < len(value):
                value = value[int(key)]
            elif isinstance(value, dict) and key in value:
                value = value[key]
            else:
                return _MISSING
        return value

    def name(self, path: str) -> str:
        where = "上年报告" if self.previous else ""
        if path.startswith("proactive.categories["):
            category = self.raw(path.rsplit(".", 1)[0])
            name = category.get("name") if isinstance(category, dict) else "?"
            what = "条数" if path.endswith("count") else "占比"
            return f"{where}主动公开类别“{name}”的{what}"
        if path.startswith("review_litigation."):
            _, group, column = path.split(".")
            return f"{where}{schema.REVIEW_GROUPS.get(group, group)}“{schema.REVIEW_COLUMNS.get(column, column)}”"
        return where + _LABELS.get(path, path)

    def read(self, path: str):
        """(value, problem text): problem is None when the value can be used."""
        value = self.raw(path)
        if value is _MISSING:
            return None, f"{self.name(path)}缺失"
        if value is None:
            if not self.blank_as_zero:
                return None, f"{self.name(path)}为空"
            if path not in self.blanks_seen:
                self.blanks_seen.add(path)
                entry = {"rule": "BLANK_AS_ZERO", "row": path, "column": None,
                         "message": f"{self.name(path)}为空，已按0计算。"}
                if self.previous:
                    entry["previous"] = True
                self.result.warnings.append(entry)
            return 0, None
        if not _is_number(value):
            return None, f"{self.name(path)}不是数字（{value!r}）"
        return value, None


class _Checker:
    def __init__(self, report, previous, blank_as_zero, result):
        self.cur = _Figures(report, blank_as_zero, result)
        self.prev = _Figures(previous, blank_as_zero, result, previous=True) if previous is not None else None
        self.result = result

    def categories(self) -> list:
        value = self.cur.raw("proactive.categories")
        return value if isinstance(value, list) else []

    def count_paths(self) -> list[str]:
        paths = ["proactive.total", "proactive.cumulative", *(f"proactive.categories[{i}].count"
                                                              for i in range(len(self.categories())))]
        paths += [f"requests.{key}" for key in ("received", "carried_over", "answered", "carried_forward")]
        paths += [f"requests.channels.{key}" for key in outline.CHANNELS]
        paths += [f"requests.outcomes.{key}" for key in outline.OUTCOMES]
        paths += [f"fees.{row}.{column}" for row in outline.FEE_ROWS for column in outline.FEE_COLUMNS]
        paths += [f"review_litigation.{g}.{c}" for g in schema.REVIEW_GROUPS for c in schema.REVIEW_COLUMNS]
        return paths

    def violation(self, rule, row, expected, actual, message):
        self.result.violations.append({"rule": rule, "row": row, "column": None, "expected": expected,
                                       "actual": actual, "message": message})

    def not_checkable(self, rule, row, problems):
        self.result.not_checkable.append({"rule": rule, "row": row, "column": None,
                                          "message": f"{rule}（{row}）无法校验：{'；'.join(problems)}。"})

    def values(self, rule, row, paths, figures=None):
        figures = figures or self.cur
        read = [figures.read(path) for path in paths]
        problems = list(dict.fromkeys(problem for _, problem in read if problem))
        if problems:
            self.not_checkable(rule, row, problems)
            return None
        return [value for value, _ in read]

    def o1(self):
        for path in self.count_paths():
            value = self.cur.raw(path)
            if not _is_number(value):
                continue  # blank, missing or text: the sums below say so where it matters
            whole = path in _MONEY or float(value).is_integer()
            if value < 0 or not whole:
                kind = "非负数" if path in _MONEY else "非负整数"
                self.violation("O1", path, None, value, f"{self.cur.name(path)}应为{kind}，实际填报{_fmt(value)}。")

    def o2_o3(self):
        categories = self.categories()
        if not categories:
            return
        paths = [f"proactive.categories[{i}].percent" for i in range(len(categories))]
        percents = self.values("O2", "proactive.categories", paths)
        if percents is not None:
            summed = sum(Decimal(str(p)) for p in percents)
            if summed != 100:
                self.violation("O2", "proactive.categories", 100.0, float(summed),
                               f"主动公开各类别占比之和应为100.0%，实际为{summed}%。")
        counts = self.values("O3", "proactive.categories", [p.replace("percent", "count") for p in paths])
        if percents is None or counts is None or sum(counts) <= 0:
            return
        for index, (count, percent) in enumerate(zip(counts, percents, strict=True)):
            exact = Decimal(count) * 100 / Decimal(sum(counts))
            if abs(Decimal(str(percent)) - exact) >= Decimal("0.1"):
                path = f"proactive.categories[{index}].percent"
                self.violation("O3", path, float(round(exact, 1)), percent,
                               f"{self.cur.name(path)}应约为{round(exact, 1)}%（{_fmt(count)}÷{_fmt(sum(counts))}），"
                               f"实际填报{_fmt(percent)}%。")

    def _sum(self, row, parts, whole, description):
        values = self.values("O4", row, [*parts, whole])
        if values is not None and sum(values[:-1]) != values[-1]:
            self.violation("O4", row, sum(values[:-1]), values[-1],
                           f"{description}之和{_fmt(sum(values[:-1]))}应等于{self.cur.name(whole)}，实际填报{_fmt(values[-1])}。")

    def o4(self):
        self._sum("proactive.categories", [f"proactive.categories[{i}].count" for i in range(len(self.categories()))],
                  "proactive.total", "主动公开各类别条数")
        self._sum("requests.channels", [f"requests.channels.{k}" for k in outline.CHANNELS], "requests.received",
                  "各申请方式件数")
        self._sum("requests.outcomes", [f"requests.outcomes.{k}" for k in outline.OUTCOMES], "requests.answered",
                  "各办理结果件数")
        for group, label in schema.REVIEW_GROUPS.items():
            parts = [f"review_litigation.{group}.{c}" for c in schema.REVIEW_OUTCOMES]
            self._sum(f"review_litigation.{group}", parts, f"review_litigation.{group}.total", f"{label}各结果件数")

    def o5(self):
        values = self.values("O5", "requests", [f"requests.{k}" for k in
                                               ("received", "carried_over", "answered", "carried_forward")])
        if values is None:
            return
        received, carried_over, answered, forward = values
        if received + carried_over != answered + forward:
            self.violation("O5", "requests", received + carried_over, answered + forward,
                           f"本年收到{_fmt(received)}＋上年结转{_fmt(carried_over)}＝{_fmt(received + carried_over)}，"
                           f"应等于本年办结{_fmt(answered)}＋结转下年度{_fmt(forward)}＝{_fmt(answered + forward)}。")

    def o6(self):
        if self.prev is None:
            return
        previous_format = schema.report_format(self.prev.report)
        year, previous_year = self.cur.report.get("year"), self.prev.report.get("year")
        if _is_number(year) and _is_number(previous_year) and previous_year != year - 1:
            self.not_checkable("O6", "requests.carried_over", [f"上年报告为{_fmt(previous_year)}年度，不是{_fmt(year - 1)}年度"])
            return
        if previous_format != schema.FORMAT_2008:
            self.not_checkable("O6", "requests.carried_over", [f"上年报告按{schema.FORMATS[previous_format]}格式编制"])
            return
        values = self.values("O6", "requests.carried_over", ["requests.carried_over"])
        previous = self.values("O6", "requests.carried_over", ["requests.carried_forward"], figures=self.prev)
        if values is not None and previous is not None and values[0] != previous[0]:
            self.violation("O6", "requests.carried_over", previous[0], values[0],
                           f"本年上年结转件数应等于上年报告的结转下年度继续办理件数{_fmt(previous[0])}，实际填报{_fmt(values[0])}。")


def check(report: dict, previous: dict | None, *, blank_as_zero: bool, into) -> None:
    """Run O1–O6 on a format "2008" report, adding findings to ``into`` (a validate.Result)."""
    into.not_checkable.append(dict(NOT_APPLICABLE))
    checker = _Checker(report, previous, blank_as_zero, into)
    for rule in (checker.o1, checker.o2_o3, checker.o4, checker.o5, checker.o6):
        rule()
    for path in outline.unknown_keys(report):
        into.warnings.append({"rule": "UNKNOWN_KEY", "key": path,
                              "message": f"“{path}”不是年度报告交换格式中的项目，已原样保留，未参与校验。"})
    if previous is not None:
        agency, previous_agency = report.get("agency"), previous.get("agency")
        if isinstance(agency, str) and isinstance(previous_agency, str) and agency.strip() != previous_agency.strip():
            into.warnings.append({"rule": "PREVIOUS_AGENCY_MISMATCH", "key": "agency",
                                  "message": f"上年报告的机关为“{previous_agency}”，本年为“{agency}”，请确认是同一机关。"})
