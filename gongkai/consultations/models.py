"""意见征集: a draft put to the public, the comments it receives and the 采纳情况反馈 that answers them.

Whether a consultation is open or closed is read from its dates (rules.phase), never stored: a
period ends at midnight without anything having to run.
"""

from django.conf import settings
from django.db import models

from gongkai.fieldcrypt import EncryptedTextField
from gongkai.orgs.models import Agency


class DecisionCatalogueEntry(models.Model):
    """One item of an agency's yearly 重大行政决策事项目录 (《重大行政决策程序暂行条例》第十条)."""

    agency = models.ForeignKey(Agency, verbose_name="决策机关", on_delete=models.PROTECT, related_name="decision_entries")
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("决策事项", max_length=200)
    note = models.TextField("说明", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "重大行政决策事项目录"
        verbose_name_plural = "重大行政决策事项目录"
        ordering = ["-year", "id"]
        constraints = [models.UniqueConstraint(fields=["agency", "year", "title"], name="decision_entry_unique")]

    def __str__(self):
        return f"{self.year}年：{self.title}"


class Kind(models.TextChoices):
    POLICY = "policy", "政策文件"
    PLAN = "plan", "规划计划"
    MAJOR_DECISION = "major_decision", "重大行政决策事项"


class Status(models.TextChoices):
    """What staff did; open/closed in between is a matter of the dates (rules.phase)."""

    DRAFT = "draft", "草稿"
    OPENED = "opened", "已发布征集"
    FEEDBACK_PUBLISHED = "feedback_published", "已发布采纳情况"


class Consultation(models.Model):
    agency = models.ForeignKey(Agency, verbose_name="征集机关", on_delete=models.PROTECT, related_name="consultations")
    title = models.CharField("征集标题", max_length=200)
    kind = models.CharField("草案类型", max_length=20, choices=Kind.choices, default=Kind.POLICY)
    decision_entry = models.ForeignKey(DecisionCatalogueEntry, verbose_name="决策事项目录条目", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="consultations")
    draft_body = models.TextField("草案正文", blank=True)
    explanation = models.TextField("起草说明", blank=True)
    starts_on = models.DateField("征集开始日期")
    ends_on = models.DateField("征集截止日期")
    short_period_reason = models.TextField("征集期少于规定天数的理由", blank=True)
    accepts_online = models.BooleanField("接受网上提交意见", default=True)
    requires_name = models.BooleanField("要求填写姓名", default=False)
    channel_letter = models.CharField("信函地址", max_length=200, blank=True)
    channel_email = models.CharField("电子邮箱", max_length=100, blank=True)
    channel_meeting = models.TextField("座谈会、听证会安排", blank=True)
    contact = models.CharField("联系人及电话", max_length=200, blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT)
    closed_early_on = models.DateField("提前结束日期", null=True, blank=True)
    closed_early_reason = models.TextField("提前结束理由", blank=True)
    feedback_summary = models.TextField("采纳情况说明", blank=True)
    feedback_published_on = models.DateField("采纳情况发布日期", null=True, blank=True)
    final_item = models.ForeignKey("disclosure.Item", verbose_name="正式发布的文件", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="consultations")
    opened_on = models.DateField("发布征集日期", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "意见征集"
        verbose_name_plural = "意见征集"
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="consultation_period_order"),
            # Feedback is published once, with its date.
            models.CheckConstraint(
                condition=~models.Q(status="feedback_published") | models.Q(feedback_published_on__isnull=False),
                name="consultation_feedback_dated"),
        ]
        indexes = [models.Index(fields=["agency", "status", "-starts_on"])]

    def __str__(self):
        return self.title

    @property
    def last_day(self):
        """The last day comments are taken: the end date, or the day before an early close."""
        import datetime as dt

        if self.closed_early_on and self.closed_early_on - dt.timedelta(days=1) < self.ends_on:
            return self.closed_early_on - dt.timedelta(days=1)
        return self.ends_on


def attachment_path(instance, filename):
    return f"consultations/{instance.consultation.agency.code}/{instance.consultation_id}/{instance.sha256[:16]}-{filename}"


class ConsultationAttachment(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    original_name = models.CharField("文件名", max_length=200)
    kind = models.CharField("类型", max_length=10)
    size = models.PositiveIntegerField("大小")
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.original_name


class Channel(models.TextChoices):
    ONLINE = "online", "网上提交"
    LETTER = "letter", "信函"
    EMAIL = "email", "电子邮件"
    MEETING = "meeting", "座谈会"


class Moderation(models.TextChoices):
    PENDING = "pending", "待审核"
    PUBLISHED = "published", "已公开"
    HELD = "held", "不予公开"


class Disposition(models.TextChoices):
    ADOPTED = "adopted", "采纳"
    PARTLY = "partly", "部分采纳"
    NOT_ADOPTED = "not_adopted", "未采纳"


class Comment(models.Model):
    """One opinion from the public. Contact data is encrypted at rest like an applicant's."""

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="comments")
    receipt_code = models.CharField("回执码", max_length=16, unique=True)
    channel = models.CharField("提交渠道", max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    received_on = models.DateField("收到日期")
    name = models.CharField("姓名", max_length=50, blank=True)
    phone = EncryptedTextField("联系电话", blank=True)
    email = EncryptedTextField("电子邮箱", blank=True)
    body = models.TextField("意见内容")
    public_body = models.TextField("公开的意见内容（去标识化后）", blank=True)
    moderation = models.CharField("审核状态", max_length=10, choices=Moderation.choices, default=Moderation.PENDING)
    hold_reason = models.TextField("不予公开理由", blank=True)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    moderated_at = models.DateTimeField(null=True, blank=True)
    disposition = models.CharField("采纳情况", max_length=12, choices=Disposition.choices, blank=True)
    disposition_reason = models.TextField("采纳情况说明", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "公众意见"
        verbose_name_plural = "公众意见"
        ordering = ["received_on", "id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(moderation="held") | ~models.Q(hold_reason=""),
                                   name="comment_held_has_reason"),
        ]
        indexes = [models.Index(fields=["consultation", "moderation"])]

    def __str__(self):
        return f"意见 {self.receipt_code}"
