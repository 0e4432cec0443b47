"""Staff pages of the statistics: pick a period, see the figures and charts; the quarterly ranking.

Thin: the agency in the URL is resolved by web.scope.agency_for, every figure comes from
statistics.stats_build / ranking.ranking_build (the same doors as `gongkai stats`).
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header

from gongkai.audit import security_events as events
from gongkai.errors import PermissionDeniedError, ServiceError
from gongkai.stats import charts
from gongkai.stats.periods import FIRST_YEAR, QUARTER_NAMES, previous_quarter
from gongkai.stats.ranking import ranking_build
from gongkai.stats.ranking_xlsx import ranking_title, render_ranking_xlsx
from gongkai.stats.statistics import stats_build
from gongkai.web.scope import agency_for
from gongkai.web.workspace import workspace

PARTS = [("", "全年"), *((f"Q{n}", name) for n, name in QUARTER_NAMES.items()),
         *((f"{m:02d}", f"{m}月") for m in range(1, 13))]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _call(build, **kwargs):
    """(result, None) or (None, ServiceError); a refusal on permission is a 403 page."""
    try:
        return build(**kwargs), None
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    except ServiceError as exc:
        return None, exc


def _years():
    return range(timezone.localdate().year, FIRST_YEAR - 1, -1)


def stats_charts(stats: dict) -> list:
    published = stats["published"]["by_month"]
    apps = stats["applications"]
    return [
        charts.column_chart([(m["label"], m["count"]) for m in published], slug="published",
                            title="各月主动公开信息发布数", unit="条"),
        charts.bar_chart([(o["label"], o["count"]) for o in apps["by_outcome"]], slug="outcomes",
                         title="办结申请的办理结果（年度报告表三分组）", unit="件"),
        charts.line_chart([(m["label"], m["count"]) for m in apps["overdue_by_month"]], slug="overdue",
                          title="各月到期未按时答复的申请数", unit="件"),
    ]


@login_required
def index(request, code):
    agency = agency_for(request, code)
    today = timezone.localdate()
    year = request.GET.get("year") or str(today.year)
    part = request.GET.get("part", "")
    has_subordinates = agency.children.exists()
    include_subordinates = has_subordinates and request.GET.get("sub") == "1"
    stats, error = _call(stats_build, actor=request.user, agency_code=agency.code,
                         period=f"{year}-{part}" if part else year, include_subordinates=include_subordinates)
    return render(request, "stats/staff/index.html", workspace(
        request, agency, section="stats", stats=stats, error=error, year=year, part=part, parts=PARTS,
        years=_years(), has_subordinates=has_subordinates, include_subordinates=include_subordinates,
        charts=stats_charts(stats) if stats else [],
    ), status=400 if error else 200)


@login_required
def ranking(request, code):
    agency = agency_for(request, code)
    default = previous_quarter()
    year = request.GET.get("year") or str(default.year)
    quarter = request.GET.get("quarter") or str(default.number)
    result, error = _call(ranking_build, actor=request.user, agency_code=agency.code, quarter=f"{year}-Q{quarter}")
    return render(request, "stats/staff/ranking.html", workspace(
        request, agency, section="stats", ranking=result, error=error, year=year, quarter=quarter,
        years=_years(), quarters=QUARTER_NAMES.items(),
        title=ranking_title(result) if result else "下级机关季度排名",
    ), status=400 if error else 200)


@login_required
def ranking_download(request, code, year, quarter):
    agency = agency_for(request, code)
    result, error = _call(ranking_build, actor=request.user, agency_code=agency.code, quarter=f"{year}-Q{quarter}")
    if error is not None:
        return render(request, "stats/staff/ranking.html", workspace(
            request, agency, section="stats", ranking=None, error=error, year=str(year), quarter=str(quarter),
            years=_years(), quarters=QUARTER_NAMES.items(), title="下级机关季度排名"), status=400)
    events.exported(actor=request.user, obj=agency, agency=agency, note=f"导出{ranking_title(result)}")
    response = HttpResponse(render_ranking_xlsx(result), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, f"{ranking_title(result)}.xlsx")
    return response
