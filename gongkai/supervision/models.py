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
