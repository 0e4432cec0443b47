from django.conf import settings
from django.db import models

from gongkai.fieldcrypt import EncryptedTextField
from gongkai.orgs.models import Agency


class Kind(models.TextChoices):
    """留言类型. Each type's reply limit is a setting (GONGKAI_ENQUIRY_REPLY_WORKING_DAYS, limits.py)."""

    CONSULT = "consult", "咨询"
    SUGGESTION = "suggestion", "建议"
    COMPLAINT = "complaint", "投诉"
    HELP = "help", "求助"
    CORRECTION = "correction", "纠错"  # the site's 找错 entry


class Channel(models.TextChoices):
    ONLINE = "online", "网上留言"
    PHONE = "phone", "电话（热线）"
    LETTER = "letter", "来信"
    IN_PERSON = "in_person", "来访"
    FORWARDED = "forwarded", "热线平台转来（12345等）"


class Status(models.TextChoices):
    RECEIVED = "received", "已收到"
    ASSIGNED = "assigned", "办理中"
    ANSWERED = "answered", "已答复"
    REFUSED = "refused", "不予受理"
    CONVERTED = "converted", "已转为政府信息公开申请"


OPEN_STATUSES = [Status.RECEIVED, Status.ASSIGNED]
# Messages that reached an end the asker can see: an answer, a reasoned refusal, or an application.
CLOSED_STATUSES = [Status.ANSWERED, Status.REFUSED, Status.CONVERTED]


class RefusalReason(models.TextChoices):
    """The fixed reasons a message is not answered: nothing is dropped without one."""

    OUT_OF_SCOPE = "out_of_scope", "超出受理范围"
    DUPLICATE = "duplicate", "重复留言"
    ABUSIVE = "abusive", "含辱骂等不当内容"
    OTHER = "other", "其他"


class Enquiry(models.Model):
    """A message from the public to an agency (留言咨询), with its reply limit."""

    agency = models.ForeignKey(Agency, verbose_name="办理机关", on_delete=models.PROTECT, related_name="enquiries")
    tracking_code = models.CharField("查询码", max_length=16, unique=True)
    secret_hash = models.CharField(max_length=128)
    kind = models.CharField("留言类型", max_length=12, choices=Kind.choices)
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    subject = models.CharField("标题", max_length=100)
    body = models.TextField("留言内容")
    name = models.CharField("姓名", max_length=50)
    # Contact data is personal information: encrypted at rest like an applicant's (fieldcrypt).
    phone = EncryptedTextField("联系电话", blank=True)
    email = EncryptedTextField("电子邮箱", blank=True)
    allow_publish = models.BooleanField("同意公开留言及答复", default=True)
    received_on = models.DateField("受理日期")
    # The day the reply limit counts from: the receipt, or the day the message reached the agency
    # it was transferred to (docs/participation.md).
    clock_from = models.DateField("计时起点")
    due_on = models.DateField("答复期限")
    due_confirmed = models.BooleanField(default=True)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.RECEIVED)
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="承办人", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    transferred_from = models.ForeignKey(Agency, verbose_name="转自", null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="+")
    transferred_on = models.DateField("转办日期", null=True, blank=True)
    transfer_note = models.CharField("转办说明", max_length=300, blank=True)
    answer = models.TextField("答复内容", blank=True)
    answered_on = models.DateField("答复日期", null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    personal = models.BooleanField("涉及个人事项不公开", default=False)
    personal_reason = models.CharField("不公开理由", max_length=300, blank=True)
    published_on = models.DateField("公开日期", null=True, blank=True, db_index=True)
    refusal_reason = models.CharField("不予受理理由", max_length=16, choices=RefusalReason.choices, blank=True)
    refusal_text = models.CharField("理由说明", max_length=300, blank=True)
    application = models.OneToOneField("applications.Application", verbose_name="转为的公开申请", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="source_enquiry")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "留言"
        verbose_name_plural = "留言"
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["agency", "status", "due_on"]),
                   models.Index(fields=["agency", "-published_on"])]
        constraints = [
            models.CheckConstraint(condition=~models.Q(status="answered") | models.Q(answered_on__isnull=False),
                                   name="enquiry_answered_has_date"),
            models.CheckConstraint(condition=~models.Q(status="refused") | ~models.Q(refusal_reason=""),
                                   name="enquiry_refused_has_reason"),
            models.CheckConstraint(condition=models.Q(published_on__isnull=True) | models.Q(allow_publish=True, personal=False),
                                   name="enquiry_published_only_if_allowed"),
        ]

    def __str__(self):
        return f"{self.tracking_code} {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def refusal_label(self) -> str:
        if self.refusal_reason == RefusalReason.OTHER:
            return self.refusal_text
        label = RefusalReason(self.refusal_reason).label if self.refusal_reason else ""
        return f"{label}：{self.refusal_text}" if self.refusal_text else label


class Faq(models.Model):
    """常见问题: a question and its answer, edited free of personal details, listed publicly."""

    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="faqs")
    question = models.CharField("问题", max_length=300)
    answer = models.TextField("解答")
    source = models.ForeignKey(Enquiry, verbose_name="来源留言", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="faqs")
    added_on = models.DateField("加入日期")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "常见问题"
        verbose_name_plural = "常见问题"
        ordering = ["-added_on", "-id"]

    def __str__(self):
        return self.question[:40]
