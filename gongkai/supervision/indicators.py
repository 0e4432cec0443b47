"""The monitoring indicators (电子监察, spec supervision.md §6), computed from the records.

Each indicator is a function ``(agency_ids, start, end, calendar) -> list[Hit]``: every problem it
finds among those agencies in the window [start, end] as it stood on ``end``. They read in bulk
(one or two queries per indicator whatever the number of agencies) and write nothing; the daily
run (monitoring.py) turns hits into findings, and an assessment (if configured) counts them.
Working days are those of the official calendar, 调休 included.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Count, Exists, F, Max, OuterRef, Q
from django.utils import timezone

from gongkai.applications.clock import CORRECTION_NOTICE_WORKING_DAYS, EventKind
from gongkai.applications.models import Application, ClockEvent
from gongkai.cn_format import cn_date
from gongkai.disclosure.models import CatalogueNode, Disclosure, InterpretationForm, Item, Status
from gongkai.disclosure.responses import concern_responses_late
from gongkai.disclosure.taxonomy import NORMATIVE_DOCUMENT_NODE
from gongkai.disclosure.timeliness import LIMIT_WORKING_DAYS
from gongkai.orgs.models import Agency
from gongkai.reports.filing.filing import PUBLISH_BY, PUBLISH_BY_DEFAULT, submit_deadline
from gongkai.reports.models import AnnualReport, ReportVersion
from gongkai.supervision import interaction_indicators as interaction
from gongkai.supervision.hits import Hit
from gongkai.workdays.calendar import WorkdayCalendar

# 栏目不更新 and 空白栏目 are vetoes at these counts (国办秘函〔2019〕19号, spec §2).
VETO_STALE_COLUMNS = 5
VETO_BLANK_COLUMNS = 5


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    basis: str
    evaluate: Callable


def _item_hit(item, code, detail, occurred_on=None) -> Hit:
    return Hit(item.agency_id, code, "disclosure.item", str(item.pk), item.title[:300], detail, occurred_on)


def disclosure_late(agency_ids, start, end, calendar: WorkdayCalendar) -> list[Hit]:
    """主动公开 published more than 20 working days after it was made, or still unpublished past
    that limit on ``end`` (条例第26条)."""
    hits = []
    proactive = Item.objects.filter(agency_id__in=agency_ids, disclosure=Disclosure.PROACTIVE).only(
        "pk", "agency_id", "title", "written_on", "published_on", "status")
    # A span of N calendar days holds at most N working days, so an item published within 20
    # calendar days of being made is on time whatever the calendar says; only the rest are counted.
    within = dt.timedelta(days=LIMIT_WORKING_DAYS)
    for item in proactive.filter(published_on__gte=start, published_on__lte=end, published_on__gt=F("written_on") + within):
        days = calendar.working_days_between(item.written_on, item.published_on)
        if days > LIMIT_WORKING_DAYS:
            hits.append(_item_hit(item, "disclosure_late",
                                  f"成文后第{days}个工作日才发布（应在{LIMIT_WORKING_DAYS}个工作日内）", item.published_on))
    for item in proactive.filter(status__in=[Status.DRAFT, Status.IN_REVIEW], written_on__lt=end - within):
        days = calendar.working_days_between(item.written_on, end)
        if days > LIMIT_WORKING_DAYS:
            hits.append(_item_hit(item, "disclosure_late", f"成文已{days}个工作日仍未发布（应在{LIMIT_WORKING_DAYS}个工作日内）"))
    return hits


def _interpretation_limit(calendar, published_on) -> dt.date:
    return calendar.add_working_days(published_on, settings.GONGKAI_INTERPRETATION_WORKING_DAYS).due


def _public(queryset, end):
    return queryset.filter(status=Status.PUBLISHED, disclosure=Disclosure.PROACTIVE, published_on__lte=end)


def interpretation_missing(agency_ids, start, end, calendar) -> list[Hit]:
    """行政规范性文件 published in the window with no 解读 published by ``end``, once the days allowed
    for the 解读 have passed."""
    allowed = settings.GONGKAI_INTERPRETATION_WORKING_DAYS
    interpreted = Exists(_public(Item.objects.filter(interprets=OuterRef("pk")), end))
    # N working days after publication are at least N calendar days: a policy published less than
    # N days before ``end`` is still within its time.
    policies = _public(Item.objects.filter(agency_id__in=agency_ids, catalogue_node__code=NORMATIVE_DOCUMENT_NODE,
                                           published_on__gte=start, published_on__lt=end - dt.timedelta(days=allowed)),
                       end).exclude(interpreted).values_list("pk", "agency_id", "title", "published_on")
    return [Hit(agency_id, "interpretation_missing", "disclosure.item", str(pk), title[:300],
                f"行政规范性文件{cn_date(published_on)}发布，至今无政策解读", published_on)
            for pk, agency_id, title, published_on in policies if end > _interpretation_limit(calendar, published_on)]


def interpretation_late(agency_ids, start, end, calendar) -> list[Hit]:
    """解读 published more than the allowed working days after its policy document."""
    interpretations = _public(Item.objects.filter(agency_id__in=agency_ids, interprets__isnull=False,
                                                  published_on__gte=start), end).select_related("interprets").only(
        "pk", "agency_id", "title", "published_on", "interprets__published_on")
    hits = []
    for item in interpretations:
        policy_on = item.interprets.published_on
        if policy_on and item.published_on > _interpretation_limit(calendar, policy_on):
            days = calendar.working_days_between(policy_on, item.published_on)
            hits.append(_item_hit(item, "interpretation_late",
                                  f"政策解读晚于政策文件{days}个工作日发布（应在{settings.GONGKAI_INTERPRETATION_WORKING_DAYS}个工作日内）",
                                  item.published_on))
    return hits


@dataclass
class InterpretationRate:
    """解读率 of one agency: 行政规范性文件 published in the window, how many have at least one 解读
    (of any form: a policy with 文字, 图解 and 问答 counts once), and the 解读 by form."""

    policies: int = 0
    interpreted: int = 0
    by_form: dict = field(default_factory=dict)  # form label -> 解读 published by ``end``

    @property
    def rate(self) -> float | None:
        return self.interpreted / self.policies if self.policies else None


def interpretation_rate(agency_ids, start, end) -> dict[int, InterpretationRate]:
    """{agency id: InterpretationRate} over the 行政规范性文件 published in [start, end] (spec §6)."""
    rates: dict[int, InterpretationRate] = {}
    policies = _public(Item.objects.filter(agency_id__in=agency_ids, catalogue_node__code=NORMATIVE_DOCUMENT_NODE,
                                           published_on__gte=start), end)
    interpreted = Exists(_public(Item.objects.filter(interprets=OuterRef("pk")), end))
    for agency_id, has in policies.annotate(has=interpreted).values_list("agency_id", "has"):
        rate = rates.setdefault(agency_id, InterpretationRate())
        rate.policies += 1
        rate.interpreted += bool(has)
    labels = dict(InterpretationForm.choices)
    forms = (_public(Item.objects.filter(interprets__in=policies.values("pk")), end)
             .values("interprets__agency_id", "interpretation_form").annotate(n=Count("pk")))
    for row in forms:
        rate = rates.setdefault(row["interprets__agency_id"], InterpretationRate())
        label = labels.get(row["interpretation_form"] or InterpretationForm.TEXT, row["interpretation_form"])
        rate.by_form[label] = rate.by_form.get(label, 0) + row["n"]
    return rates


def concern_response_late(agency_ids, start, end, calendar) -> list[Hit]:
    """回应关切 answered over the limit of the concern's level, or not at all past it; for a major
    event also the press conference (clock hours, not working days: spec §6, national guidance)."""
    return [_item_hit(late.concern.item, "concern_response_late", late.detail, late.occurred_on)
            for late in concern_responses_late(agency_ids, start, end)]


def application_overdue(agency_ids, start, end, calendar) -> list[Hit]:
    """Applications open past their due date on ``end``, or replied after it in the window (第33条)."""
    base = Application.objects.filter(agency_id__in=agency_ids, due_on__isnull=False)
    fields = ("pk", "agency_id", "tracking_code", "due_on", "replied_on")
    hits = []
    # Open on ``end``: not replied by then (a case replied later was still open that day).
    still_open = base.filter(received_on__lte=end, due_on__lt=end, clock_state__in=["running", "fixed"]).filter(
        Q(open_case=1) | Q(replied_on__gt=end))
    for pk, agency_id, code, due_on, _replied_on in still_open.values_list(*fields):
        days = calendar.working_days_between(due_on, end)
        if days > 0:
            hits.append(Hit(agency_id, "application_overdue", "applications.application", str(pk), code,
                            f"已超过答复期限{days}个工作日未答复"))
    replied_late = base.filter(replied_on__gte=start, replied_on__lte=end, replied_on__gt=F("due_on"))
    for pk, agency_id, code, due_on, replied_on in replied_late.values_list(*fields):
        days = calendar.working_days_between(due_on, replied_on)
        if days > 0:
            hits.append(Hit(agency_id, "application_overdue", "applications.application", str(pk), code,
                            f"超过答复期限{days}个工作日才答复（期限{cn_date(due_on)}）", replied_on))
    return hits


def correction_late(agency_ids, start, end, calendar) -> list[Hit]:
    """补正 notices sent later than 7 working days after receipt (条例第30条: 一次性告知, 7个工作日内)."""
    events = ClockEvent.objects.filter(application__agency_id__in=agency_ids, kind=EventKind.CORRECTION_REQUESTED,
                                       on__gte=start, on__lte=end).select_related("application").only(
        "pk", "on", "application__agency_id", "application__tracking_code", "application__received_on")
    hits = []
    for event in events:
        application = event.application
        notice_by = calendar.add_working_days(application.received_on, CORRECTION_NOTICE_WORKING_DAYS).due
        if event.on > notice_by:
            days = calendar.working_days_between(application.received_on, event.on)
            hits.append(Hit(application.agency_id, "correction_late", "applications.clockevent", str(event.pk),
                            application.tracking_code,
                            f"收到申请后第{days}个工作日才发出补正告知（应在{CORRECTION_NOTICE_WORKING_DAYS}个工作日内）", event.on))
    return hits


def annual_report_late(agency_ids, start, end, calendar) -> list[Hit]:
    """年度报告: departments file with the 本级 office by 1月31日, governments publish by 3月31日, and
    everyone publishes (条例第49–50条; 国办公开办函〔2019〕60号). Each deadline inside the window is checked."""
    agencies = list(Agency.objects.filter(pk__in=agency_ids).only("pk", "name", "kind", "parent_id"))
    years = range(start.year - 1, end.year)
    reports = {(r.agency_id, r.year): r for r in AnnualReport.objects.filter(agency_id__in=agency_ids, year__in=years,
                                                                           rollup=False)}
    first_published = set(ReportVersion.objects.filter(report__in=reports.values()).values_list("report_id", flat=True))
    late_versions = set(ReportVersion.objects.filter(report__in=reports.values(), number=1, published_late=True)
                        .values_list("report_id", flat=True))
    hits = []
    for agency in agencies:
        for year in years:
            report = reports.get((agency.pk, year))
            subject_base = f"{agency.pk}-{year}"
            due_submit = submit_deadline(year)
            if agency.parent_id and start <= due_submit < end:
                submitted = report is not None and report.submitted_at is not None
                if not submitted or report.submitted_late:
                    detail = f"{year}年度报告{'逾期报送' if submitted else '未在' + cn_date(due_submit) + '前报送'}"
                    hits.append(Hit(agency.pk, "annual_report_late", "reports.annualreport", f"{subject_base}-submit",
                                    f"{agency.name}{year}年度报告", detail, due_submit))
            due_publish = dt.date(year + 1, *PUBLISH_BY.get(agency.kind, PUBLISH_BY_DEFAULT))
            if start <= due_publish < end:
                published = report is not None and report.pk in first_published
                if not published or report.pk in late_versions:
                    detail = f"{year}年度报告{'逾期发布' if published else '未在' + cn_date(due_publish) + '前发布'}"
                    hits.append(Hit(agency.pk, "annual_report_late", "reports.annualreport", f"{subject_base}-publish",
                                    f"{agency.name}{year}年度报告", detail, due_publish))
    return hits


class Column(NamedTuple):
    pk: int
    agency_id: int
    name: str


def _column_hit(node: Column, code, detail) -> Hit:
    return Hit(node.agency_id, code, "disclosure.cataloguenode", str(node.pk), node.name, detail)


def column_stale(agency_ids, start, end, calendar) -> list[Hit]:
    """Columns with a cadence that got no new item within it (an item with no publication date
    counts as not updated, spec §2). A first-level column counts its sub-columns' items (catalogues
    have two levels: disclosure.catalogue.node_create)."""
    defaults = settings.GONGKAI_COLUMN_CADENCE
    nodes = CatalogueNode.objects.filter(Q(code__in=list(defaults)) | Q(cadence__isnull=False), agency_id__in=agency_ids)
    latest = dict(_public(Item.objects.filter(agency_id__in=agency_ids), end).values("catalogue_node_id").annotate(
        latest=Max("published_on")).values_list("catalogue_node_id", "latest"))
    for child, parent in CatalogueNode.objects.filter(parent__in=nodes.values("pk")).values_list("pk", "parent_id"):
        if child in latest and (parent not in latest or latest[parent] < latest[child]):
            latest[parent] = latest[child]
    hits = []
    rows = nodes.values_list("pk", "agency_id", "name", "code", "cadence__amount", "cadence__unit")
    for pk, agency_id, name, code, own_amount, own_unit in rows:
        amount, unit = (own_amount, own_unit) if own_amount is not None else defaults[code]
        if not amount:
            continue
        oldest_fresh = end - (relativedelta(days=amount) if unit == "days" else relativedelta(months=amount))
        last = latest.get(pk)
        if last is None or last < oldest_fresh:
            period = f"{amount}{'天' if unit == 'days' else '个月'}"
            since = f"最近一次发布于{cn_date(last)}" if last else "从未发布信息"
            hits.append(_column_hit(Column(pk, agency_id, name), "column_stale", f"栏目应每{period}更新，{since}"))
    return hits


def column_blank(agency_ids, start, end, calendar) -> list[Hit]:
    """Columns without sub-columns that never held a published item by ``end`` (空白栏目); a
    column with cadence 0 is exempt."""
    nodes = (CatalogueNode.objects.filter(agency_id__in=agency_ids)
             .exclude(Exists(CatalogueNode.objects.filter(parent=OuterRef("pk"))))
             .exclude(Exists(_public(Item.objects.filter(catalogue_node=OuterRef("pk")), end)))
             .exclude(cadence__amount=0))
    return [_column_hit(Column(*row), "column_blank", "栏目从未发布信息（空白栏目）")
            for row in nodes.values_list("pk", "agency_id", "name")]


def link_broken(agency_ids, start, end, calendar) -> list[Hit]:
    """Links in published items that did not answer at their last check (links.check_links)."""
    from gongkai.supervision.models import LinkCheck

    checks = LinkCheck.objects.filter(item__agency_id__in=agency_ids, item__status=Status.PUBLISHED, broken=True,
                                      checked_at__date__lte=end).select_related("item")
    return [Hit(c.item.agency_id, "link_broken", "supervision.linkcheck", str(c.pk), c.item.title[:300],
                f"链接无法访问：{c.url}（{c.error}）", timezone.localtime(c.checked_at).date()) for c in checks]


def page_link_broken(agency_ids, start, end, calendar) -> list[Hit]:
    """Links on an agency's portal pages that did not answer at the last crawl (site_crawl.crawl_site)."""
    from gongkai.supervision.models import PageLinkCheck

    checks = PageLinkCheck.objects.filter(agency_id__in=agency_ids, broken=True, checked_at__date__lte=end)
    return [Hit(c.agency_id, "page_link_broken", "supervision.pagelinkcheck", str(c.pk), c.page[:300],
                f"页面上的链接无法访问：{c.url}（{c.error}）", timezone.localtime(c.checked_at).date()) for c in checks]


INDICATORS: dict[str, Indicator] = {i.code: i for i in [
    Indicator("disclosure_late", "主动公开不及时", "条例第二十六条", disclosure_late),
    Indicator("interpretation_missing", "政策文件未解读", "政策解读与政策文件同步发布", interpretation_missing),
    Indicator("interpretation_late", "政策解读发布不及时", "政策解读与政策文件同步发布", interpretation_late),
    Indicator("concern_response_late", "回应关切不及时", "舆情回应时限（国家要求，时限可设置）", concern_response_late),
    Indicator("application_overdue", "依申请公开逾期答复", "条例第三十三条", application_overdue),
    Indicator("correction_late", "补正告知超过7个工作日", "条例第三十条", correction_late),
    Indicator("annual_report_late", "年度报告未按时报送或发布", "条例第四十九、五十条", annual_report_late),
    Indicator("column_stale", "栏目不更新", "国办秘函〔2019〕19号", column_stale),
    Indicator("column_blank", "空白栏目", "国办秘函〔2019〕19号", column_blank),
    Indicator("enquiry_unanswered_long", "留言超过3个月未答复", "国办秘函〔2019〕19号（互动回应差）",
              interaction.enquiry_unanswered_long),
    Indicator("enquiry_reply_late", "留言答复超过时限", "留言答复时限（本地规定，可设置）", interaction.enquiry_reply_late),
    Indicator("enquiry_answer_unpublished", "留言答复2个月内未公开", "国办秘函〔2019〕19号",
              interaction.enquiry_answer_unpublished),
    Indicator("consultation_feedback_overdue", "意见征集未按时反馈采纳情况", "重大行政决策程序暂行条例（公众意见及采纳情况）",
              interaction.consultation_feedback_overdue),
    Indicator("link_broken", "链接无法访问", "政府网站发展指引（国办发〔2017〕47号）", link_broken),
    Indicator("page_link_broken", "网站页面链接无法访问", "政府网站发展指引（国办发〔2017〕47号）", page_link_broken),
]}

# Indicator → the veto line its open findings are measured against (spec §2).
VETO_LINES = {"column_stale": VETO_STALE_COLUMNS, "column_blank": VETO_BLANK_COLUMNS,
              "enquiry_unanswered_long": interaction.VETO_UNANSWERED_LONG}


def evaluate(agency_ids, start: dt.date, end: dt.date, *, calendar: WorkdayCalendar | None = None,
             codes=None) -> list[Hit]:
    """Every hit of the chosen indicators (all by default) for these agencies over [start, end]."""
    calendar = calendar or WorkdayCalendar.load()
    agency_ids = list(agency_ids)
    hits = []
    for code in codes or INDICATORS:
        hits.extend(INDICATORS[code].evaluate(agency_ids, start, end, calendar))
    return hits


def veto_notes(counts: dict[str, int]) -> list[str]:
    """「栏目不更新 7 个，达到单项否决线 5 个」 for each veto-bearing indicator of one agency."""
    notes = []
    for code, line in VETO_LINES.items():
        count = counts.get(code, 0)
        if count:
            reached = "达到" if count >= line else "未达到"
            notes.append(f"{INDICATORS[code].label} {count} 个，{reached}单项否决线 {line} 个")
    return notes
