"""Building an annual report on behalf of a person: who may, for which agency and year.

The same door for the command line now and the staff pages later.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from gongkai.errors import PermissionDeniedError, ServiceError
from gongkai.orgs import access
from gongkai.orgs.roles import Perm
from gongkai.reports.computation import schema
from gongkai.reports.computation.compute import agencies_covered, build_report

# 条例（2007年，国务院令第492号）施行之年：first year an annual report could be due.
FIRST_REPORT_YEAR = 2008
# The first year of the 2019 trial format (国办公开办函〔2019〕60号) and of the 2021 format (〔2021〕30号).
FIRST_YEAR_2019_FORMAT, FIRST_YEAR_2021_FORMAT = 2019, 2021


def format_for_year(year: int) -> str:
    """The format a year's report is built in: "2008" before 2019, "2019" for 2019, "2021" from 2021.

    2020 is GONGKAI_REPORT_FORMAT_2020: which format the 2020 reports had to use is UNCONFIRMED in the
    spec (regulation.md §2 旧格式); published 2020 reports use the 2019 trial format, the default.
    """
    if year < FIRST_YEAR_2019_FORMAT:
        return schema.FORMAT_2008
    if year >= FIRST_YEAR_2021_FORMAT:
        return schema.FORMAT_2021
    if year == FIRST_YEAR_2019_FORMAT:
        return schema.FORMAT_2019
    chosen = str(getattr(settings, "GONGKAI_REPORT_FORMAT_2020", schema.FORMAT_2019))
    if chosen not in (schema.FORMAT_2019, schema.FORMAT_2021):
        raise ImproperlyConfigured(f"GONGKAI_REPORT_FORMAT_2020 must be \"2019\" or \"2021\", not {chosen!r}.")
    return chosen


def staff_entered_cells(fmt: str) -> dict[str, tuple[tuple[str, str], ...]]:
    """{section: ((row, column), …)} of the cells gongkai does not record, which staff enter, per format."""
    if fmt == schema.FORMAT_2008:
        from gongkai.reports.computation.outline_build import STAFF_ENTERED as OUTLINE_ENTERED

        return {"fees": OUTLINE_ENTERED}
    if fmt == schema.FORMAT_2019:
        from gongkai.reports.computation.format2019 import STAFF_ENTERED_2019

        return {"active": STAFF_ENTERED_2019}
    from gongkai.reports.computation.compute import STAFF_ENTERED

    return {"active": STAFF_ENTERED}


def build_for_year(agency, year: int, *, include_subordinates: bool = False) -> dict:
    """The report in the format of its year, from the records (no permission check: see report_build)."""
    fmt = format_for_year(year)
    if fmt == schema.FORMAT_2008:
        from gongkai.reports.computation.outline_build import build_outline_report

        return build_outline_report(agency, year, include_subordinates=include_subordinates)
    report = build_report(agency, year, include_subordinates=include_subordinates)
    if fmt == schema.FORMAT_2019:
        from gongkai.reports.computation.format2019 import as_2019

        report = as_2019(report, agency, include_subordinates=include_subordinates)
    return report


def find_agency(actor, code: str):
    """The agency with this 机构代码 among those the actor may open; AGENCY_NOT_FOUND otherwise."""
    # Unknown and invisible look the same, so nobody learns which agencies exist (as `gongkai agency`).
    normalised = (code or "").replace("-", "").strip().upper()
    agency = access.agencies_visible_to(actor).filter(code=normalised).first() if normalised else None
    if agency is None:
        raise ServiceError("AGENCY_NOT_FOUND", f"找不到机构代码“{code}”，或您无权查看该机构。", field="agency")
    return agency


def check_year(year) -> int:
    today = timezone.localdate()
    if not isinstance(year, int) or isinstance(year, bool) or not FIRST_REPORT_YEAR <= year <= today.year:
        raise ServiceError("REPORT_YEAR_INVALID", f"报告年度应为{FIRST_REPORT_YEAR}年至{today.year}年之间的年份。",
                           field="year")
    return year


def report_build(*, actor, agency_code: str, year: int, include_subordinates: bool = False) -> dict:
    """The report of one agency (and, if asked, everything below it) for ``year``.

    The actor must be able to view every agency whose records are counted (Perm.VIEW_WORK): a
    roll-up is for a 监督 role or a system administrator, who reach down the tree.
    """
    year = check_year(year)
    agency = find_agency(actor, agency_code)
    access.require(actor, Perm.VIEW_WORK, agency)
    if include_subordinates:
        hidden = [a.name for a in agencies_covered(agency, include_subordinates=True)
                  if not access.can(actor, Perm.VIEW_WORK, a)]
        if hidden:
            raise PermissionDeniedError(
                f"汇总下级机关需要能查看每个下级机关的工作，您无权查看：{'、'.join(hidden)}。")
    report = build_for_year(agency, year, include_subordinates=include_subordinates)
    today = timezone.localdate()
    if year == today.year:
        report["notes"].append(f"{year}年度尚未结束，数字截至{today.year}年{today.month}月{today.day}日，"
                               "仍在办理的申请计入“结转下年度继续办理”。")
    return report
