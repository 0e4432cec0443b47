"""Building an annual report on behalf of a person: who may, for which agency and year.

The same door for the command line now and the staff pages later.
"""

from django.utils import timezone

from gongkai.errors import PermissionDeniedError, ServiceError
from gongkai.orgs import access
from gongkai.orgs.roles import Perm
from gongkai.reports.compute import agencies_covered, build_report

# 条例（2007年，国务院令第492号）施行之年：first year an annual report could be due.
FIRST_REPORT_YEAR = 2008


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
    report = build_report(agency, year, include_subordinates=include_subordinates)
    today = timezone.localdate()
    if year == today.year:
        report["notes"].append(f"{year}年度尚未结束，数字截至{today.year}年{today.month}月{today.day}日，"
                               "仍在办理的申请计入“结转下年度继续办理”。")
    return report
