"""Last year's annual reports of the demo county, one at every step of filing.

Made through the filing services by the demo accounts who would do each step; afterwards the
dates are moved back into January–March of this year, when such reports are filed, so the
overview shows a realistic picture rather than everything filed today (demo data only).
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from gongkai.reports.computation.compute import STAFF_ENTERED
from gongkai.reports.filing import filing, publishing
from gongkai.reports.models import AnnualReport, ReportVersion
from gongkai.reports.rendering.drafting import draft_text

User = get_user_model()

# Figures of table 二 that come from other systems, per agency: (许可, 处罚, 强制, 收费万元, source).
ENTERED = {
    "czj": (36, 4, 0, 0.0, "县政务服务平台行政许可办件统计；县行政执法监督平台处罚、强制案件统计"),
    "mzj": (58, 0, 0, 0.0, "县政务服务平台办件统计"),
    "jyj": (112, 2, 0, 3.6, "县政务服务平台办件统计；县财政非税收入系统"),
    "zjj": (240, 17, 3, 28.4, "县住建局业务系统导出"),
    "qhxzf": (0, 0, 0, 0.0, "县政府本级不直接实施许可、处罚、强制，无收费项目"),
}

# Words staff add to the generated draft of each section (written for the demo).
OWN_WORDS = {
    "一": "本年度，本机关把政务公开作为转变作风、回应关切的日常工作来抓，重点做好预算决算、惠民资金和重大项目信息公开，"
         "按季度梳理公开目录，清理过时信息；依申请公开严格按法定期限办理，答复书统一经法制审核。",
    "五": "存在的问题：部分科室信息报送不够及时，个别信息发布超过二十个工作日；政策解读形式较单一。"
         "改进措施：把信息发布时效纳入科室月度考核，每季度通报；对重要政策同步制作图文解读和问答。",
    "六": "本年度未收取信息处理费。本机关在县政府组织的政务公开工作考核中位列县直部门前列，未发生责任追究情形。",
}


def _write_up(report):
    drafts = draft_text(report.data)
    return {number: f"{drafts[number]}\n{OWN_WORDS[number]}" for number in OWN_WORDS}


def _prepared(agencies, key, year, preparer):
    agency = agencies[key]
    report = filing.open_report(actor=preparer, agency=agency, year=year)
    licensing, punishment, coercion, fees, source = ENTERED[key]
    values = dict(zip(STAFF_ENTERED, (licensing, punishment, coercion, fees), strict=True))
    report = filing.save_table_cells(actor=preparer, report=report, section="active", cells=values,
                                     sources={f"active.{r}.{c}": source for r, c in STAFF_ENTERED},
                                     editable=set(STAFF_ENTERED))
    return filing.save_narrative(actor=preparer, report=report, narrative=_write_up(report))


def _on(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def build_reports(agencies: dict) -> int:
    year = timezone.localdate().year - 1
    people = {u.username: u for u in User.objects.filter(username__in=[
        "admin", "czj_xxy", "czj_leader", "czj_admin", "qh_jiandu", "qh_admin", "qs_jiandu"])}
    admin, supervisor = people["admin"], people["qh_jiandu"]

    # 财政局: the whole way, published on the portal.
    czj = filing.send_for_review(actor=people["czj_xxy"], report=_prepared(agencies, "czj", year, people["czj_xxy"]))
    czj = filing.submit(actor=people["czj_leader"], report=czj)
    czj = filing.decide(actor=supervisor, report=czj, accept=True, comment="数据核对无误。")
    czj_version = publishing.publish(actor=people["czj_admin"], report=czj)
    # 民政局: filed, waiting for the county office.
    mzj = filing.send_for_review(actor=admin, report=_prepared(agencies, "mzj", year, admin))
    mzj = filing.submit(actor=admin, report=mzj)
    # 教育局: sent back with comments.
    jyj = filing.send_for_review(actor=admin, report=_prepared(agencies, "jyj", year, admin))
    jyj = filing.submit(actor=admin, report=jyj)
    filing.decide(actor=supervisor, report=jyj, accept=False,
                  comment="第五部分未写上年度问题的整改情况；表二行政事业性收费金额请与财政非税收入系统核对。")
    # 住建局: in internal review. 县政府: its own report, accepted by the city and published.
    filing.send_for_review(actor=admin, report=_prepared(agencies, "zjj", year, admin))
    gov = filing.send_for_review(actor=admin, report=_prepared(agencies, "qhxzf", year, admin))
    gov = filing.decide(actor=people["qs_jiandu"], report=filing.submit(actor=admin, report=gov), accept=True)
    gov_version = publishing.publish(actor=people["qh_admin"], report=gov)

    # Place the history in January–March of this year (see the module docstring).
    dates = {czj: (dt.date(year + 1, 1, 20), dt.date(year + 1, 1, 24)), mzj: (dt.date(year + 1, 1, 27), None),
             jyj: (dt.date(year + 1, 1, 29), dt.date(year + 1, 2, 2)), gov: (dt.date(year + 1, 3, 10),
                                                                          dt.date(year + 1, 3, 18))}
    for report, (submitted, decided) in dates.items():
        AnnualReport.objects.filter(pk=report.pk).update(
            submitted_at=_on(submitted), submitted_late=False, decided_at=_on(decided) if decided else None)
    ReportVersion.objects.filter(pk=czj_version.pk).update(published_at=_on(dt.date(year + 1, 1, 26)),
                                                           published_late=False)
    ReportVersion.objects.filter(pk=gov_version.pk).update(published_at=_on(dt.date(year + 1, 3, 25)),
                                                           published_late=False)
    return 5
