"""Reports of agencies not on the platform, recorded by the office they file with.

A superior office (Perm.ACCEPT_REPORTS on the office) types such a report into the form that
mirrors the printed tables, or uploads its JSON (spec annual-report-json.md). It is stored as an
AnnualReport with no ``agency``, the name as written, ``filed_with`` the office and status
SUBMITTED: it is then in the office's overview of filed reports, to be accepted or returned like
any other.

Corrections: the office may correct the figures, the name and the year while the report is
SUBMITTED, RETURNED or DRAFT (before it accepts it; afterwards the record is what it accepted).
Correcting a RETURNED report files it again (SUBMITTED). An uploaded file is stored exactly as it
came (gongkai keys, unknown keys, key order), so build → validate → import is lossless; a
correction changes only the cells whose value differs.

An agency that is on the platform below the office files its own report through the filing
workflow, so recording one for it is refused (REPORT_AGENCY_ON_PLATFORM).
"""

import copy

from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.audit.models import Action
from gongkai.audit.services import record
from gongkai.errors import ServiceError
from gongkai.orgs import access
from gongkai.orgs.models import Agency
from gongkai.orgs.roles import Perm
from gongkai.reports.computation import schema
from gongkai.reports.computation.services import check_year, format_for_year
from gongkai.reports.computation.validate import validate
from gongkai.reports.filing.filing import _locked
from gongkai.reports.models import EDITABLE_STATES, AnnualReport, ReportOrigin, ReportStatus
from gongkai.reports.rendering.entry import CellPath, name_of, stored_value, typed_report

CORRECTABLE_STATES = frozenset(EDITABLE_STATES | {ReportStatus.SUBMITTED})
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
NAME_MAX = AnnualReport._meta.get_field("agency_name").max_length


def external_reports(*, actor, office, year: int | None = None):
    """The reports of off-platform agencies recorded with ``office`` (newest year first)."""
    access.require(actor, Perm.ACCEPT_REPORTS, office)
    reports = AnnualReport.objects.filter(agency__isnull=True, filed_with=office)
    if year is not None:
        reports = reports.filter(year=year)
    return reports.order_by("-year", "agency_name")


def checked(office, reports: list[AnnualReport]) -> list[tuple[AnnualReport, object]]:
    """Each report with its validator result, last year's records read in one query (not one per row).

    Last year's figures are as filing.previous_data reads them: the latest published version, else
    the record itself.
    """
    previous = {(r.agency_name, r.year): r for r in AnnualReport.objects.filter(
        agency__isnull=True, filed_with=office, rollup=False,
        year__in={r.year - 1 for r in reports}).prefetch_related("versions")}

    def last_year(report):
        found = previous.get((report.agency_name, report.year - 1))
        if found is None:
            return None
        versions = sorted(found.versions.all(), key=lambda v: v.number)
        return versions[-1].data if versions else found.data

    return [(report, validate(report.data, last_year(report))) for report in reports]


def external_report(*, actor, office, pk: int) -> AnnualReport:
    access.require(actor, Perm.ACCEPT_REPORTS, office)
    report = AnnualReport.objects.filter(agency__isnull=True, filed_with=office, pk=pk).select_related(
        "filed_with").first()
    if report is None:
        raise ServiceError("REPORT_NOT_FOUND", "找不到该年度报告，或该报告不是本机关录入的报告。")
    return report


# --- checks shared by recording and correcting ---------------------------------------------------

def _agency_name(name) -> str:
    name = (name or "").strip() if isinstance(name, str) else ""
    if not name:
        raise ServiceError("REPORT_AGENCY_NAME_REQUIRED", "请填写编制该报告的机关名称（与其公开的报告一致）。",
                           field="agency_name")
    if len(name) > NAME_MAX:
        raise ServiceError("REPORT_AGENCY_NAME_TOO_LONG", f"机关名称不超过{NAME_MAX}字。", field="agency_name")
    return name


def _not_on_platform(office, name: str, code=None) -> None:
    below = Agency.objects.filter(path__startswith=office.path)
    normalised = code.replace("-", "").strip().upper() if isinstance(code, str) else ""
    found = below.filter(name=name).first() or (below.filter(code=normalised).first() if normalised else None)
    if found is not None:
        raise ServiceError("REPORT_AGENCY_ON_PLATFORM",
                           f"“{found.name}”已在本平台，其年度报告应由该机关在本平台编制并报送，不能代为录入。",
                           field="agency_name")


def _not_recorded(office, name: str, year: int, *, exclude=None) -> None:
    existing = AnnualReport.objects.filter(agency__isnull=True, filed_with=office, agency_name=name, year=year)
    if exclude is not None:
        existing = existing.exclude(pk=exclude.pk)
    if existing.exists():
        raise ServiceError("REPORT_ALREADY_RECORDED",
                           f"已录入{name}{year}年度的报告，请打开该报告修改，不要重复录入。", field="agency_name")


def _snapshot(report: AnnualReport) -> dict:
    return {"agency_name": report.agency_name, "year": report.year, "status": report.status,
            "origin": report.origin, "filed_with": report.filed_with_id, "format": report.data.get("format")}


# --- recording ---------------------------------------------------------------------------------

def _record(*, actor, office, name: str, year, data: dict, origin: str) -> AnnualReport:
    access.require(actor, Perm.ACCEPT_REPORTS, office)
    name = _agency_name(name)
    year = check_year(year)
    _not_on_platform(office, name, data.get("agency_code"))
    _not_recorded(office, name, year)
    now = timezone.now()
    try:
        with transaction.atomic():
            report = AnnualReport.objects.create(
                agency=None, agency_name=name, year=year, origin=origin, status=ReportStatus.SUBMITTED, data=data,
                filed_with=office, submitted_at=now, created_by=actor)
            how = "按表格录入" if origin == ReportOrigin.TYPED else "上传 JSON 文件"
            record(actor=actor, action=Action.CREATE, obj=report, agency=office, after=_snapshot(report),
                   note=f"录入未在本平台的机关报送的年度报告（{how}）")
    except IntegrityError as exc:  # someone recorded the same report a moment ago
        raise ServiceError("REPORT_ALREADY_RECORDED",
                           f"已录入{name}{year}年度的报告，请打开该报告修改，不要重复录入。") from exc
    return report


def record_typed(*, actor, office, agency_name: str, year, fmt: str, cells: dict[CellPath, object]) -> AnnualReport:
    """Store a report typed into the form; ``cells`` are parsed values (entry.parse_cells)."""
    name = _agency_name(agency_name)
    schema.report_format({"format": fmt})
    if isinstance(year, int) and check_year(year) and format_for_year(year) not in schema.TABLE_FORMATS:
        raise ServiceError("REPORT_YEAR_HAS_NO_TABLES",
                           f"{year}年度的报告按2007年条例的提纲编写，没有表二至表四，不能按表格录入，请上传其 JSON 文件。",
                           field="year")
    return _record(actor=actor, office=office, name=name, year=year,
                   data=typed_report(fmt, name, year, cells), origin=ReportOrigin.TYPED)


def read_upload(content: bytes) -> dict:
    """A report from an uploaded file: REPORT_FILE_TOO_LARGE, REPORT_JSON_INVALID, REPORT_FORMAT_UNKNOWN."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise ServiceError("REPORT_FILE_TOO_LARGE",
                           f"文件过大（超过{MAX_UPLOAD_BYTES // 1024 // 1024}MB），年度报告 JSON 文件通常只有几十KB。",
                           field="file")
    try:
        text = content.decode("utf-8-sig")  # files saved by Windows editors start with a BOM
    except UnicodeDecodeError as exc:
        raise ServiceError("REPORT_JSON_INVALID", "文件不是 UTF-8 编码的文本，请上传年度报告 JSON 文件。",
                           field="file") from exc
    return schema.loads(text)


def record_uploaded(*, actor, office, report: dict, agency_name: str | None = None) -> AnnualReport:
    """Store an uploaded report exactly as it came; the agency's name is the file's own unless it has none."""
    schema.report_format(report)
    written = report.get("agency")
    given = (agency_name or "").strip()
    if isinstance(written, str) and written.strip():
        if given and given != written.strip():
            raise ServiceError("REPORT_AGENCY_MISMATCH",
                               f"文件中的机关名称为“{written}”，与填写的“{given}”不一致，请核对。",
                               field="agency_name")
        name = written.strip()
    else:
        name = _agency_name(given)
        report = {"agency": name, **{k: v for k, v in report.items() if k != "agency"}}
    year = report.get("year")
    if isinstance(year, bool) or not isinstance(year, int):
        raise ServiceError("REPORT_YEAR_INVALID", f"文件中的报告年度“{year}”不是年份，应为整数，例如 2025。",
                           field="year")
    return _record(actor=actor, office=office, name=name, year=year, data=report, origin=ReportOrigin.UPLOADED)


# --- correcting --------------------------------------------------------------------------------

def changed_cells(data: dict, cells: dict[CellPath, object]) -> dict[CellPath, object]:
    """The cells whose value differs from ``data``; a missing cell left blank is no change."""
    changes = {}
    for path, value in cells.items():
        old = stored_value(data, path)
        if isinstance(old, bool) or old != value:  # True == 1 in Python, but a file's true is no count
            changes[path] = value
    return changes


def correct_external(*, actor, report: AnnualReport, cells: dict[CellPath, object],
                     agency_name: str | None = None, year=None) -> AnnualReport:
    """Correct a recorded report's cells (and its name or year); a RETURNED report is filed again."""
    if report.agency_id is not None:
        raise ServiceError("REPORT_NOT_EXTERNAL", "该报告由本平台的机关编制，只能由其修改后重新报送。")
    access.require(actor, Perm.ACCEPT_REPORTS, report.filed_with)
    name = _agency_name(agency_name) if agency_name is not None else report.agency_name
    year = check_year(year) if year is not None else report.year
    with transaction.atomic():
        current = _locked(report, *CORRECTABLE_STATES)
        if (name, year) != (current.agency_name, current.year):
            _not_on_platform(current.filed_with, name)
            _not_recorded(current.filed_with, name, year, exclude=current)
        before = _snapshot(current)
        data = copy.deepcopy(current.data)
        changes = changed_cells(data, cells)
        for (section, row, column), value in changes.items():
            rows = data.setdefault(section, {})
            if not isinstance(rows.get(row), dict):
                rows[row] = {}
            rows[row][column] = value
        if name != current.agency_name and data.get("agency") != name:
            data["agency"] = name
        if year != current.year:
            data["year"] = year
        refiled = current.status == ReportStatus.RETURNED
        if not changes and data == current.data and not refiled:
            return current
        cell_before = {name_of(p): stored_value(current.data, p) for p in changes}
        current.data, current.agency_name, current.year = data, name, year
        if refiled:
            current.status, current.submitted_at, current.return_comment = ReportStatus.SUBMITTED, timezone.now(), ""
        current.save()
        record(actor=actor, action=Action.EXTERNAL_CORRECT, obj=current, agency=current.filed_with,
               before={**before, "cells": cell_before},
               after={**_snapshot(current), "cells": {name_of(p): v for p, v in changes.items()}},
               note="更正录入的年度报告" + ("并重新报送" if refiled else ""))
    return current
