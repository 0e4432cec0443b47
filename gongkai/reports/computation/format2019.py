"""The 2019 trial format (国办公开办函〔2019〕60号) built from the 2021 tables gongkai computes.

compute.build_report produces the 2021 format; a 2019 (or, per GONGKAI_REPORT_FORMAT_2020, 2020)
report is that report transformed:

* 表三 — the three 2021 rows 三（六）1–3 are added, column by column, into the single row
  ``other_processing`` 三（六）其他处理; every other row is the same.
* 表二 — 规章 and 规范性文件 from the same items as the 2021 table (published, proactively disclosed,
  filed under the catalogue nodes REGULATION_NODE / NORMATIVE_DOCUMENT_NODE or a child of them):
  本年新制作数量 ``made`` = 成文日期 (``written_on``) in the year; 本年新公开数量 ``published`` =
  发布日期 in the year (the 2021 制发); 对外公开总数量 ``published_total`` = published by 31 December,
  whatever their validity now (a repealed document was still disclosed). Everything else in table 二
  (许可、其他对外管理服务事项、处罚、强制、收费、政府集中采购) is not recorded in gongkai: null for staff.
* 表四 — unchanged.
"""

import datetime as dt

from django.db.models import Q

from gongkai.reports.computation.compute import DOCUMENT_NODES, STAFF_ENTERED_NOTE, Coverage, count_documents
from gongkai.reports.computation.schema import ACTIVE_ROWS_2019, FORMAT_2019, REQUEST_COLUMNS, REQUEST_ROWS

# The 2021 rows that the 2019 format prints as one.
OTHER_ROWS_2021 = ("other_no_correction", "other_no_fee", "other_other")
# (row, column) of table 二 that gongkai does not record: left null for staff to enter.
STAFF_ENTERED_2019 = tuple((row, column) for row, (_label, columns) in ACTIVE_ROWS_2019.items()
                           if row not in DOCUMENT_NODES for column in columns)
STAFF_ENTERED_NOTE_2019 = ("表二中行政许可、其他对外管理服务事项、行政处罚、行政强制的项目数量和处理决定数量，"
                           "行政事业性收费项目数量，以及政府集中采购项目数量和总金额不在本系统登记，须由工作人员填报。")


def active_table(coverage: Coverage, year: int) -> dict:
    """Table 二 of the 2019 format: 规章 and 规范性文件 counted in one query (count_documents), the rest null."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    counts = count_documents(coverage, {
        "made": Q(written_on__range=(start, end)), "published": Q(published_on__range=(start, end)),
        "published_total": Q(published_on__lte=end),
    })
    return {row: {column: counts[row][column] if row in DOCUMENT_NODES else None for column in columns}
            for row, (_label, columns) in ACTIVE_ROWS_2019.items()}


def _sum_cells(rows: list[dict], column: str):
    values = [row.get(column) if isinstance(row, dict) else None for row in rows]
    return None if any(v is None for v in values) else sum(values)


def merge_other_rows(requests: dict) -> dict:
    """Table 三 of the 2021 format as the 2019 format prints it (三（六）1–3 → 三（六）其他处理)."""
    merged = {}
    for row in REQUEST_ROWS[FORMAT_2019]:
        if row == "other_processing":
            parts = [requests.get(r) for r in OTHER_ROWS_2021]
            merged[row] = {column: _sum_cells(parts, column) for column in REQUEST_COLUMNS}
        else:
            merged[row] = dict(requests[row])
    return merged


def as_2019(report: dict, agency, *, include_subordinates: bool = False) -> dict:
    """The 2021-format report of compute.build_report turned into the 2019 format, keys in order."""
    converted = {}
    for key, value in report.items():
        if key == "format":
            value = FORMAT_2019
        elif key == "active":
            value = active_table(Coverage(agency, include_subordinates), report["year"])
        elif key == "requests":
            value = merge_other_rows(value)
        elif key == "notes":
            value = [STAFF_ENTERED_NOTE_2019, *(note for note in value if note != STAFF_ENTERED_NOTE)]
        converted[key] = value
    return converted
