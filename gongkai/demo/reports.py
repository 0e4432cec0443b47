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
from gongkai.reports.rendering.drafting import OPENING, draft_text
from gongkai.reports.rendering.records import records_of

User = get_user_model()

# Figures of table 二 that come from other systems, per agency: (许可, 处罚, 强制, 收费万元, source).
ENTERED = {
    "czj": (36, 4, 0, 0.0, "县政务服务平台行政许可办件统计；县行政执法监督平台处罚、强制案件统计"),
    "mzj": (58, 0, 0, 0.0, "县政务服务平台办件统计"),
    "jyj": (112, 2, 0, 3.6, "县政务服务平台办件统计；县财政非税收入系统"),
    "zjj": (240, 17, 3, 28.4, "县住建局业务系统导出"),
    "qhxzf": (0, 0, 0, 0.0, "县政府本级不直接实施许可、处罚、强制，无收费项目"),
}

# Words staff add to the generated draft of each section, per agency (written for the demo): each
# office writes about its own work, as 国办公开办函〔2021〕30号 asks (no 内容雷同).
OWN_WORDS = {
    "czj": {
        "一": "本年度，本局把预算决算公开作为重点，县本级和各部门预算决算在批复后20日内全部公开到“三公”经费明细；"
             "惠民惠农财政补贴资金按季度在“一卡通”平台公示，群众可按姓名、村组查询到户。",
        "五": "存在的问题：个别乡镇补贴资金公示未细化到发放批次；部分预算说明文字过于简略。"
             "改进措施：制定补贴资金公示模板，按批次公开；预算说明增加主要支出项目的绩效目标。",
        "六": "本局在县政府组织的政务公开工作考核中位列县直部门前列，全年未发生因政务公开工作被责任追究的情形。",
    },
    "mzj": {
        "一": "本年度，本局重点公开最低生活保障、特困人员救助供养和临时救助的政策、标准和审批结果，"
             "低保对象名单按月在村（社区）公示栏和本平台同步公布；养老服务机构的备案和星级评定结果全部公开。",
        "五": "存在的问题：少数村（社区）公示栏更新不及时，与平台公布的名单不一致。"
             "改进措施：由乡镇民政办每月核对一次公示栏与平台名单，发现不一致的当月更正。",
        "六": "本局办理涉及社会救助的人大代表建议2件、政协提案1件，办理结果已按要求公开。",
    },
    "jyj": {
        "一": "本年度，本局重点公开义务教育招生入学政策、学区划分和民办学校收费标准，"
             "招生政策在报名前一个月通过平台和各校公众号发布，并对家长关心的随迁子女入学问题作了图文解读。",
        "五": "存在的问题：学区划分调整公布时间距报名时间较近，家长咨询集中。"
             "改进措施：下一年度学区划分在4月底前公布，同步开通咨询电话。",
        "六": "本局表二所列行政事业性收费为教师资格认定体检等项目，已按县财政非税收入系统核对。",
    },
    "zjj": {
        "一": "本年度，本局重点公开保障性住房分配、棚户区改造征收补偿和建筑工程施工许可信息，"
             "保障房轮候名单和分配结果按批次公示；征收补偿方案在征求意见阶段即在项目现场和平台同步公开。",
        "五": "存在的问题：依申请公开中涉及征收补偿的申请较多，个别答复对信息不存在的检索过程说明不够。"
             "改进措施：答复书写明检索的范围和方式，并由法制股统一审核。",
        "六": "本局行政事业性收费主要为城市基础设施配套费等项目，收费依据和标准已在平台公开。",
    },
    "qhxzf": {
        "一": "本年度，县政府办公室统筹全县政务公开工作，组织县直部门和乡镇开展基层政务公开标准目录复核，"
             "县政府常务会议议定事项在会后5个工作日内公开，重大行政决策事项目录年初向社会公布。",
        "五": "存在的问题：部分乡镇政务公开专栏栏目设置不统一，信息更新频率差异较大。"
             "改进措施：制定乡镇专栏统一栏目清单，每季度检查通报一次。",
        "六": "县政府办公室组织全县政务公开培训2次，覆盖县直部门和乡镇工作人员；年度考核结果已在全县通报。",
    },
}


def _write_up(report, key):
    drafts = draft_text(report.data, records_of(report.agency, report.year))
    written = {number: f"{drafts[number]}\n{OWN_WORDS[key][number]}".strip() for number in OWN_WORDS[key]}
    return {**written, OPENING: drafts[OPENING]}


def _prepared(agencies, key, year, preparer):
    agency = agencies[key]
    report = filing.open_report(actor=preparer, agency=agency, year=year)
    licensing, punishment, coercion, fees, source = ENTERED[key]
    values = dict(zip(STAFF_ENTERED, (licensing, punishment, coercion, fees), strict=True))
    report = filing.save_table_cells(actor=preparer, report=report, section="active", cells=values,
                                     sources={f"active.{r}.{c}": source for r, c in STAFF_ENTERED},
                                     editable=set(STAFF_ENTERED))
    return filing.save_narrative(actor=preparer, report=report, narrative=_write_up(report, key))


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
