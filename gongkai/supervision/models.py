"""What the coordinating office (政务公开办) records about its subordinate agencies.

``Urge`` is a 督办 sent by a superior office on one application and whether the agency read it;
``Finding`` is one problem the daily monitoring (电子监察) found, kept while the rule still finds it;
``ColumnCadence`` overrides the default update cadence of one catalogue column.
"""

from django.conf import settings
from django.db import models

from gongkai.orgs.models import Agency


class Urge(models.Model):
    """督办单: a superior office presses a subordinate agency on one application."""

    application = models.ForeignKey("applications.Application", verbose_name="申请", on_delete=models.PROTECT,
                                    related_name="urges")
    office = models.ForeignKey(Agency, verbose_name="督办机关", on_delete=models.PROTECT, related_name="urges_sent")
    note = models.CharField("督办意见", max_length=300)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    issued_at = models.DateTimeField("督办时间", auto_now_add=True)
    read_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    read_at = models.DateTimeField("签收时间", null=True, blank=True)

    class Meta:
        verbose_name = "督办单"
        verbose_name_plural = "督办单"
        ordering = ["-issued_at", "-id"]

    def __str__(self):
        return f"督办：{self.application.tracking_code}"


class FindingState(models.TextChoices):
    OPEN = "open", "未整改"
    CLOSED = "closed", "已消除"


class Finding(models.Model):
    """One problem of one agency under one indicator, about one subject (an item, an application,
    a catalogue column, an annual report). The monitoring run keeps one row per (indicator,
    subject): it opens it, updates ``last_seen`` while the rule still finds it, closes it the first
    run the rule no longer does, and reopens it if the problem comes back."""

    agency = models.ForeignKey(Agency, verbose_name="机构", on_delete=models.PROTECT, related_name="findings")
    indicator = models.CharField("指标", max_length=40)
    subject_type = models.CharField(max_length=60)
    subject_id = models.CharField(max_length=40)
    subject_repr = models.CharField("对象", max_length=300)
    detail = models.CharField("问题", max_length=500)
    occurred_on = models.DateField("发生日期", null=True, blank=True)
    first_seen = models.DateField("首次发现")
    last_seen = models.DateField("最近发现")
    state = models.CharField("状态", max_length=10, choices=FindingState.choices, default=FindingState.OPEN)
    closed_on = models.DateField("消除日期", null=True, blank=True)
    times_reopened = models.PositiveSmallIntegerField("重新出现次数", default=0)

    class Meta:
        verbose_name = "监察发现的问题"
        verbose_name_plural = "监察发现的问题"
        ordering = ["agency", "indicator", "-last_seen", "id"]
        constraints = [models.UniqueConstraint(fields=["indicator", "subject_type", "subject_id"],
                                               name="finding_one_per_subject")]
        indexes = [models.Index(fields=["agency", "state", "indicator"])]

    def __str__(self):
        return f"{self.agency.name}：{self.detail}"[:255]


class CadenceUnit(models.TextChoices):
    DAYS = "days", "天"
    MONTHS = "months", "个月"


class ColumnCadence(models.Model):
    """How often one catalogue column must get a new item; without a row the default of its code
    applies (settings.GONGKAI_COLUMN_CADENCE). ``amount`` 0 exempts the column."""

    node = models.OneToOneField("disclosure.CatalogueNode", on_delete=models.CASCADE, primary_key=True,
                                related_name="cadence")
    amount = models.PositiveSmallIntegerField("更新周期")
    unit = models.CharField("单位", max_length=6, choices=CadenceUnit.choices)

    class Meta:
        verbose_name = "栏目更新周期"
        verbose_name_plural = "栏目更新周期"

    def __str__(self):
        return f"{self.node_id}: {self.amount}{self.get_unit_display()}"


# --- Assessment (考核): a scheme is data; running it for a period gives traceable deductions. ---

class Scheme(models.Model):
    """An assessment scheme: areas → indicators with points, thresholds. Editable data; the presets
    of presets.py are loaded as ordinary rows (``preset`` names the one a row came from)."""

    name = models.CharField("方案名称", max_length=100, unique=True)
    description = models.TextField("说明", blank=True)
    preset = models.CharField(max_length=40, blank=True)
    fail_below = models.DecimalField("不合格线（低于）", max_digits=6, decimal_places=2, default=60)
    bonus_above = models.DecimalField("加分门槛（高于）", max_digits=6, decimal_places=2, null=True, blank=True)
    bonus_max = models.DecimalField("加分上限", max_digits=6, decimal_places=2, default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "考核方案"
        verbose_name_plural = "考核方案"
        ordering = ["name"]

    def __str__(self):
        return self.name


class SchemeArea(models.Model):
    """一级指标. ``skippable``: an area an agency may be exempted from (a department site without
    办事服务); its score is then scaled back to the full points (×100/75)."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="areas")
    name = models.CharField("一级指标", max_length=100)
    points = models.DecimalField("分值", max_digits=6, decimal_places=2, default=0)
    skippable = models.BooleanField("可不适用", default=False)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["scheme", "sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["scheme", "name"], name="scheme_area_unique")]

    def __str__(self):
        return self.name


class RuleKind(models.TextChoices):
    DEDUCTION = "deduction", "扣分"
    VETO = "veto", "单项否决"
    BONUS = "bonus", "加分"


class SchemeIndicator(models.Model):
    """One indicator: automatic (``indicator`` names a monitoring indicator) or a manual check
    (``indicator`` blank: assessors record findings with evidence). A deduction indicator loses
    ``per_finding`` a finding up to its ``points`` (扣完为止); a veto one fails the agency at
    ``veto_at`` findings; a bonus one adds ``per_finding`` per entry up to its ``points``."""

    area = models.ForeignKey(SchemeArea, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField("指标", max_length=200)
    kind = models.CharField("类型", max_length=10, choices=RuleKind.choices, default=RuleKind.DEDUCTION)
    indicator = models.CharField("自动指标", max_length=40, blank=True)
    points = models.DecimalField("分值（扣分上限）", max_digits=6, decimal_places=2, default=0)
    per_finding = models.DecimalField("每个问题扣（加）分", max_digits=6, decimal_places=2, default=0)
    veto_at = models.PositiveSmallIntegerField("否决线（个）", default=1)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["area", "sort_order", "id"]

    def __str__(self):
        return self.name


class AssessmentState(models.TextChoices):
    OPEN = "open", "申辩期"
    FINAL = "final", "已定稿"


class Assessment(models.Model):
    """One run of a scheme by a supervising office over its subordinate agencies for a period."""

    scheme = models.ForeignKey(Scheme, verbose_name="考核方案", on_delete=models.PROTECT, related_name="assessments")
    office = models.ForeignKey(Agency, verbose_name="考核机关", on_delete=models.PROTECT, related_name="assessments")
    title = models.CharField("名称", max_length=200)
    start = models.DateField("考核期起")
    end = models.DateField("考核期止")
    respond_by = models.DateField("申辩截止日期")
    state = models.CharField("状态", max_length=10, choices=AssessmentState.choices, default=AssessmentState.OPEN)
    assessor = models.CharField("评估主体和方法", max_length=200, blank=True)
    exempt = models.ManyToManyField(SchemeArea, blank=True, related_name="+", verbose_name="不适用的一级指标")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finalised_at = models.DateTimeField(null=True, blank=True)
    # Results and ranking on the portal (assessment_publish), once final; None: not public.
    published_at = models.DateTimeField("公开时间", null=True, blank=True)

    class Meta:
        verbose_name = "考核"
        verbose_name_plural = "考核"
        ordering = ["-end", "-id"]

    def __str__(self):
        return self.title


class ResponseState(models.TextChoices):
    NONE = "", "未申辩"
    PENDING = "pending", "申辩待审"
    ACCEPTED = "accepted", "申辩成立（不扣分）"
    REJECTED = "rejected", "申辩不成立"


class AssessmentFinding(models.Model):
    """One finding counted by an assessment for one agency: from the records (with the monitoring
    finding it matches, if the daily run has one) or entered by an assessor with evidence."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="findings")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    rule = models.ForeignKey(SchemeIndicator, on_delete=models.PROTECT, related_name="+")
    finding = models.ForeignKey(Finding, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    subject_repr = models.CharField("对象", max_length=300)
    detail = models.CharField("问题（证据）", max_length=500)
    manual = models.BooleanField("人工检查", default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    response = models.TextField("申辩理由", blank=True)
    response_state = models.CharField("申辩", max_length=10, choices=ResponseState.choices, blank=True, default="")
    response_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    decision_note = models.CharField("审核意见", max_length=300, blank=True)

    class Meta:
        ordering = ["assessment", "agency", "rule", "id"]

    def __str__(self):
        return f"{self.rule.name}：{self.detail}"[:255]

    @property
    def counts(self) -> bool:
        return self.response_state != ResponseState.ACCEPTED


# --- Work plans (工作要点 任务分解): the office's tasks for named units and their progress. ---

class WorkPlan(models.Model):
    office = models.ForeignKey(Agency, verbose_name="发布机关", on_delete=models.PROTECT, related_name="work_plans")
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("名称", max_length=200)
    item = models.ForeignKey("disclosure.Item", verbose_name="公开的工作要点", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "工作要点"
        verbose_name_plural = "工作要点"
        ordering = ["-year", "-id"]

    def __str__(self):
        return self.title


class DeadlineKind(models.TextChoices):
    DATE = "date", "具体日期"
    YEAR_END = "year_end", "年底前"
    ONGOING = "ongoing", "持续推进"


class PlanTask(models.Model):
    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="tasks")
    number = models.PositiveSmallIntegerField("序号")
    task = models.TextField("工作任务")
    requirement = models.TextField("工作要求", blank=True)
    lead = models.ForeignKey(Agency, verbose_name="牵头单位", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="led_tasks")
    responsible = models.ManyToManyField(Agency, verbose_name="责任单位", related_name="plan_tasks")
    deadline_kind = models.CharField("完成时限类型", max_length=10, choices=DeadlineKind.choices)
    deadline = models.DateField("完成时限", null=True, blank=True)
    deadline_text = models.CharField("完成时限（原文）", max_length=50)
    accepted_on = models.DateField("验收日期", null=True, blank=True)

    class Meta:
        verbose_name = "任务"
        verbose_name_plural = "任务"
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_task_number_unique")]

    def __str__(self):
        return f"{self.number}. {self.task[:40]}"


class ReportState(models.TextChoices):
    SUBMITTED = "submitted", "待审核"
    ACCEPTED = "accepted", "已通过"
    RETURNED = "returned", "已退回"


class TaskReport(models.Model):
    """A responsible unit's progress report on one task; the office or the lead unit reviews it."""

    task = models.ForeignKey(PlanTask, on_delete=models.CASCADE, related_name="reports")
    agency = models.ForeignKey(Agency, verbose_name="报告单位", on_delete=models.PROTECT, related_name="+")
    text = models.TextField("进展情况")
    link = models.URLField("相关链接（已公开信息）", blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_on = models.DateField("报告日期")
    state = models.CharField("状态", max_length=10, choices=ReportState.choices, default=ReportState.SUBMITTED)
    review_note = models.CharField("审核意见", max_length=300, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["task", "-submitted_on", "-id"]

    def __str__(self):
        return f"{self.agency.name}：{self.task}"[:255]


# --- 通报 and 整改: problems named per unit with a deadline; answers; the next run re-checks. ---

class Notice(models.Model):
    office = models.ForeignKey(Agency, verbose_name="通报机关", on_delete=models.PROTECT, related_name="notices")
    title = models.CharField("标题", max_length=200)
    issued_on = models.DateField("通报日期")
    rectify_by = models.DateField("整改期限")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "通报"
        verbose_name_plural = "通报"
        ordering = ["-issued_on", "-id"]

    def __str__(self):
        return self.title


class Recheck(models.TextChoices):
    PENDING = "", "待复查"
    FIXED = "fixed", "复查已整改"
    REOPENED = "reopened", "复查仍存在"


class NoticeItem(models.Model):
    """One problem of one unit in a 通报, tied to the monitoring finding that re-checks it."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="items")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="notice_items")
    problem = models.CharField("问题", max_length=500)
    answer = models.TextField("整改情况", blank=True)
    answered_on = models.DateField("报送日期", null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recheck = models.CharField("复查", max_length=10, choices=Recheck.choices, blank=True, default="")
    rechecked_on = models.DateField("复查日期", null=True, blank=True)

    class Meta:
        ordering = ["notice", "agency", "id"]
        constraints = [models.UniqueConstraint(fields=["notice", "finding"], name="notice_item_once")]

    def __str__(self):
        return f"{self.agency.name}：{self.problem}"[:255]


class LinkCheck(models.Model):
    """One outbound link of a published item and what the last check found (links.check_links).

    The monitoring indicator link_broken reads these rows; the daily run then opens a finding per
    broken link and closes it once the link answers again or is taken out of the item."""

    item = models.ForeignKey("disclosure.Item", on_delete=models.CASCADE, related_name="+")
    url = models.CharField("链接", max_length=500)
    checked_at = models.DateTimeField("检查时间")
    status = models.PositiveSmallIntegerField("HTTP 状态", null=True, blank=True)
    error = models.CharField("错误", max_length=200, blank=True)
    broken = models.BooleanField("无法访问", default=False)

    class Meta:
        verbose_name = "链接检查"
        verbose_name_plural = "链接检查"
        constraints = [models.UniqueConstraint(fields=["item", "url"], name="link_check_unique")]

    def __str__(self):
        return self.url


class PageLinkCheck(models.Model):
    """One link on one of the portal's own public pages and what the last crawl found (site_crawl.py).

    The indicator page_link_broken reads these rows: a broken link on an agency's pages
    (/agencies/<code>/…) is a finding of that agency, opened and closed like link_broken."""

    page = models.CharField("页面", max_length=500)
    url = models.CharField("链接", max_length=500)
    agency = models.ForeignKey(Agency, verbose_name="页面所属机关", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+")
    internal = models.BooleanField("本站链接", default=True)
    checked_at = models.DateTimeField("检查时间")
    status = models.PositiveSmallIntegerField("HTTP 状态", null=True, blank=True)
    error = models.CharField("错误", max_length=200, blank=True)
    broken = models.BooleanField("无法访问", default=False)

    class Meta:
        verbose_name = "网站页面链接检查"
        verbose_name_plural = "网站页面链接检查"
        constraints = [models.UniqueConstraint(fields=["page", "url"], name="page_link_check_unique")]

    def __str__(self):
        return f"{self.page} → {self.url}"
