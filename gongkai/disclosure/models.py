from django.conf import settings
from django.db import models

from gongkai.compressed_text import CompressedTextField
from gongkai.orgs.models import Agency


class TopicCategory(models.Model):
    """主题分类 (two levels). ``valid_to`` retires a name without breaking items that use it."""

    code = models.CharField("代码", max_length=8, unique=True)
    name = models.CharField("名称", max_length=50)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    sort_order = models.PositiveIntegerField(default=0)
    valid_to = models.DateField("停用日期", null=True, blank=True)

    class Meta:
        verbose_name = "主题分类"
        verbose_name_plural = "主题分类"
        ordering = ["sort_order", "code"]

    def __str__(self):
        return f"{self.parent.name}/{self.name}" if self.parent_id else self.name


class Genre(models.Model):
    """体裁分类: the 15 公文种类 plus local genres (``is_local``)."""

    code = models.CharField("代码", max_length=4, unique=True)
    name = models.CharField("名称", max_length=30)
    is_local = models.BooleanField("本地扩展", default=False)

    class Meta:
        verbose_name = "体裁分类"
        verbose_name_plural = "体裁分类"
        ordering = ["code"]

    def __str__(self):
        return self.name


class DisclosureSettings(models.Model):
    """Per-agency settings of the proactive-disclosure workflow."""

    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, primary_key=True, related_name="disclosure_settings")
    review_levels = models.PositiveSmallIntegerField(
        "审核级数", default=2, help_text="1：保密审查；2：初审＋复审（保密审查）；3：再加工作机构负责人审核",
    )
    guide_text = models.TextField("政府信息公开指南（补充说明）", blank=True)
    guide_updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "主动公开设置"
        verbose_name_plural = "主动公开设置"
        constraints = [
            models.CheckConstraint(condition=models.Q(review_levels__gte=1, review_levels__lte=3), name="review_levels_1_to_3"),
        ]

    def __str__(self):
        return f"{self.agency.name}主动公开设置"


class CatalogueNode(models.Model):
    """One category of an agency's 政府信息公开目录 (条例第12条)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="catalogue_nodes")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    code = models.SlugField("代码", max_length=30)
    name = models.CharField("名称", max_length=50)
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "目录分类"
        verbose_name_plural = "目录分类"
        ordering = ["sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["agency", "code"], name="catalogue_code_unique_in_agency")]

    def __str__(self):
        return self.name


class IndexSequence(models.Model):
    """The last 索引号 serial issued by an agency in a year. Serials are never handed out twice."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="index_sequences")
    year = models.PositiveSmallIntegerField()
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="index_sequence_unique")]

    def __str__(self):
        return f"{self.agency.code}/{self.year}: {self.last_serial}"


class Disclosure(models.TextChoices):
    """公开属性, set when information is registered at its source."""

    PROACTIVE = "proactive", "主动公开"
    ON_REQUEST = "on_request", "依申请公开"
    WITHHELD = "withheld", "不予公开"


class ExemptionReason(models.TextChoices):
    """Reason codes for anything not proactively disclosed (条例第14–16条; spec regulation.md §1.1)."""

    STATE_SECRET = "X14-1", "依法确定为国家秘密（第十四条）"
    LAW_PROHIBITS = "X14-2", "法律、行政法规禁止公开（第十四条）"
    SECURITY_STABILITY = "X14-3", "公开后可能危及国家安全、公共安全、经济安全、社会稳定（第十四条）"
    THIRD_PARTY = "X15", "涉及商业秘密、个人隐私等，公开会损害第三方合法权益（第十五条）"
    INTERNAL_AFFAIRS = "X16-1", "内部事务信息（第十六条第一款）"
    PROCESS_INFORMATION = "X16-2", "过程性信息（第十六条第二款）"
    ENFORCEMENT_FILE = "X16-3", "行政执法案卷信息（第十六条第二款）"


class Validity(models.TextChoices):
    VALID = "valid", "有效"
    EXPIRED = "expired", "失效"
    REPEALED = "repealed", "废止"


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    IN_REVIEW = "in_review", "审核中"
    PUBLISHED = "published", "已发布"
    REGISTERED = "registered", "已登记（不主动公开）"
    WITHDRAWN = "withdrawn", "已撤回"


class InterpretationForm(models.TextChoices):
    """The form of a 政策解读. Assessments ask for more than text (图解, 视频: the 政务公开 work
    plans in the seeds); several forms of one policy each link to it and count it once."""

    TEXT = "text", "文字解读"
    GRAPHIC = "graphic", "图解"
    QA = "qa", "问答"
    VIDEO = "video", "视频"
    PRESS = "press", "新闻发布会"
    EXPERT = "expert", "专家解读"


class Item(models.Model):
    """A piece of government information (政府信息) with its core metadata.

    ``body`` is the text as written; ``public_body`` is what the portal shows after
    de-identification (去标识化). The original never leaves the staff side.
    """

    agency = models.ForeignKey(Agency, verbose_name="所属机构", on_delete=models.PROTECT, related_name="items")
    index_number = models.CharField("索引号", max_length=40, unique=True, null=True, blank=True)
    title = models.CharField("标题", max_length=300)
    summary = models.TextField("内容概述", blank=True)
    document_number = models.CharField("文号", max_length=100, blank=True)
    publisher = models.CharField("发布机构", max_length=100)
    written_on = models.DateField("成文日期")
    published_on = models.DateField("发布日期", null=True, blank=True)
    topic = models.ForeignKey(TopicCategory, verbose_name="主题分类", on_delete=models.PROTECT)
    genre = models.ForeignKey(Genre, verbose_name="体裁", on_delete=models.PROTECT)
    keywords = models.CharField("关键词", max_length=200, blank=True)
    catalogue_node = models.ForeignKey(CatalogueNode, verbose_name="目录分类", on_delete=models.PROTECT, related_name="items")
    validity = models.CharField("有效性", max_length=10, choices=Validity.choices, default=Validity.VALID)
    validity_changed_on = models.DateField("失效/废止日期", null=True, blank=True)
    disclosure = models.CharField("公开属性", max_length=12, choices=Disclosure.choices)
    exemption_reason = models.CharField("不公开理由", max_length=8, choices=ExemptionReason.choices, blank=True)
    reassess_on = models.DateField("复审日期", null=True, blank=True, help_text="第十八条：定期评估不予公开的信息")
    # The original is read only on the staff side, one item at a time: stored compressed.
    body = CompressedTextField("正文", blank=True)
    public_body = models.TextField("公开正文（去标识化后）", blank=True)
    interprets = models.ForeignKey(
        "self", verbose_name="解读的政策", null=True, blank=True, on_delete=models.PROTECT, related_name="interpretations"
    )
    interpretation_form = models.CharField("解读形式", max_length=10, choices=InterpretationForm.choices, blank=True)
    video_url = models.URLField("视频链接", max_length=500, blank=True)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.DRAFT)
    review_level = models.PositiveSmallIntegerField("当前审核级", default=0)
    return_comment = models.TextField("退回意见", blank=True)
    pii_cleared_fingerprint = models.CharField(max_length=64, blank=True)
    withdrawn_reason = models.TextField("撤回理由", blank=True)
    version = models.PositiveIntegerField("版本", default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    first_published_at = models.DateTimeField(null=True, blank=True)
    last_published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "政府信息"
        verbose_name_plural = "政府信息"
        ordering = ["-published_on", "-id"]
        constraints = [
            # 文号 identifies one document within its issuing agency.
            models.UniqueConstraint(
                fields=["agency", "document_number"], condition=~models.Q(document_number=""),
                name="document_number_unique_in_agency",
            ),
        ]
        indexes = [models.Index(fields=["agency", "status", "-published_on"])]

    def __str__(self):
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status == Status.PUBLISHED and self.disclosure == Disclosure.PROACTIVE and self.agency.is_active


class ConcernLevel(models.TextChoices):
    """How grave the concern a 回应关切 answers is; each level has its own response limit
    (settings.GONGKAI_CONCERN_RESPONSE_HOURS)."""

    MAJOR = "major", "重大突发事件"
    GENERAL = "general", "一般关切"


class ConcernResponse(models.Model):
    """What a 回应关切 item answers: the public concern, when it surfaced and how grave it is.

    The first response is the item's first publication, unless the authoritative information came
    out earlier through another channel (a 政务微博 post, a press briefing): ``responded_at`` then."""

    item = models.OneToOneField(Item, on_delete=models.CASCADE, primary_key=True, related_name="concern")
    description = models.TextField("关切事项", blank=True)
    source_url = models.URLField("关切来源链接", max_length=500, blank=True)
    surfaced_at = models.DateTimeField("关切出现时间")
    level = models.CharField("关切级别", max_length=10, choices=ConcernLevel.choices, default=ConcernLevel.GENERAL)
    responded_at = models.DateTimeField("首次回应时间", null=True, blank=True,
                                        help_text="先通过其他渠道发布权威信息的，填写最早发布时间；留空则为本条信息发布时间")
    response_channel = models.CharField("首次回应渠道", max_length=100, blank=True)

    class Meta:
        verbose_name = "回应关切"
        verbose_name_plural = "回应关切"
        indexes = [models.Index(fields=["surfaced_at"])]

    def __str__(self):
        return f"回应关切：{self.item.title}"

    @property
    def first_response_at(self):
        return self.responded_at or self.item.first_published_at


class PressConference(models.Model):
    """A 新闻发布会 held by an agency: when, where, who spoke, what it was about, its transcript
    (an item of genre 新闻发布会, reviewed like any other) and the policies and responses it concerns."""

    agency = models.ForeignKey(Agency, verbose_name="主办机构", on_delete=models.PROTECT, related_name="press_conferences")
    topic = models.CharField("发布会主题", max_length=200)
    held_at = models.DateTimeField("召开时间")
    place = models.CharField("地点", max_length=200, blank=True)
    speakers = models.TextField("发布人", help_text="每行一位，如：县财政局局长 王某某")
    summary = models.TextField("内容摘要", blank=True)
    video_url = models.URLField("视频链接", max_length=500, blank=True)
    transcript = models.ForeignKey(Item, verbose_name="文字实录", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="transcript_of")
    related_items = models.ManyToManyField(Item, verbose_name="相关政策与回应", blank=True, related_name="press_conferences")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "新闻发布会"
        verbose_name_plural = "新闻发布会"
        ordering = ["-held_at", "-id"]
        indexes = [models.Index(fields=["agency", "-held_at"])]

    def __str__(self):
        return self.topic

    def speaker_list(self) -> list[str]:
        return [line.strip() for line in self.speakers.splitlines() if line.strip()]


class ItemVersion(models.Model):
    """What was public after each publication or published edit (for 更新于 and history)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    # Compressed: history is read one item at a time, and the current version repeats the item's text.
    public_body = CompressedTextField(blank=True)
    metadata = models.JSONField(default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["item", "number"], name="item_version_unique")]

    def __str__(self):
        return f"{self.title}（第{self.number}版）"


def attachment_path(instance, filename):
    return f"attachments/{instance.item.agency.code}/{instance.item_id}/{instance.sha256[:16]}-{filename}"


class Attachment(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    original_name = models.CharField("文件名", max_length=200)
    kind = models.CharField("类型", max_length=10)
    size = models.PositiveIntegerField("大小")
    sha256 = models.CharField(max_length=64)
    text = models.TextField("提取的文本", blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.original_name


class ReviewDecision(models.Model):
    class Outcome(models.TextChoices):
        SUBMITTED = "submitted", "提交审核"
        APPROVED = "approved", "通过"
        RETURNED = "returned", "退回"

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="decisions")
    level = models.PositiveSmallIntegerField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    comment = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_outcome_display()}（第{self.level}级）"


class ImportRun(models.Model):
    """How far an import of one file has got (item_import.py). Each batch of items and this row's
    ``rows_done`` are committed together, so running the same command on the same file again (the
    file recognised by its SHA-256) continues after the last committed batch."""

    sha256 = models.CharField("文件 SHA-256", max_length=64)
    file_name = models.CharField("文件名", max_length=255)
    rows_total = models.PositiveIntegerField("数据行数")
    rows_done = models.PositiveIntegerField("已导入行数", default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField("开始时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "导入记录"
        verbose_name_plural = "导入记录"
        constraints = [
            # One unfinished run per file: a second start of the same file resumes that run.
            models.UniqueConstraint(fields=["sha256"], condition=models.Q(finished_at__isnull=True),
                                    name="import_run_one_open_per_file"),
        ]

    def __str__(self):
        return f"{self.file_name}：{self.rows_done}/{self.rows_total}"
