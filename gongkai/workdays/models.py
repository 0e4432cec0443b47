from django.conf import settings
from django.db import models


class HolidayNotice(models.Model):
    """A State Council notice on a year's public holidays (国务院办公厅关于X年部分节假日安排的通知).

    Its ranges override the bundled chinese-calendar data day by day, and its year counts as
    announced from then on, so deadlines running into it are marked confirmed.
    """

    year = models.PositiveSmallIntegerField("年度", db_index=True)
    title = models.CharField("通知标题", max_length=200)
    document_number = models.CharField("文号", max_length=100, blank=True)
    issued_on = models.DateField("发布日期", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "节假日安排通知"
        verbose_name_plural = "节假日安排通知"
        ordering = ["-year", "-id"]

    def __str__(self):
        return self.title


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", "放假"
    WORKDAY = "workday", "调休上班"


class NoticeRange(models.Model):
    notice = models.ForeignKey(HolidayNotice, on_delete=models.CASCADE, related_name="ranges")
    kind = models.CharField("类型", max_length=10, choices=DayKind.choices)
    start = models.DateField("起始日")
    end = models.DateField("结束日")
    label = models.CharField("节日", max_length=50, blank=True)

    class Meta:
        verbose_name = "放假/调休日期段"
        verbose_name_plural = "放假/调休日期段"
        ordering = ["start"]
        constraints = [models.CheckConstraint(condition=models.Q(start__lte=models.F("end")), name="range_not_inverted")]

    def __str__(self):
        return f"{self.label or self.get_kind_display()} {self.start}–{self.end}"
