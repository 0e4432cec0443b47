from django.conf import settings
from django.db import models
from django.db.models import F

from gongkai.applications.clock import EventKind
from gongkai.applications.replies import ApplicantType, ReplyType
from gongkai.fieldcrypt import EncryptedTextField
from gongkai.filecrypt import applicant_files_storage
from gongkai.orgs.models import Agency


class Channel(models.TextChoices):
    """How the application arrived (条例第29、31条)."""

    ONLINE = "online", "网上申请"
    IN_PERSON = "in_person", "当面提交"
    POST = "post", "邮寄"
    PLAIN_LETTER = "plain_letter", "平常信函"
    FAX = "fax", "传真"
    EMAIL = "email", "电子邮件"
    ORAL = "oral", "口头提出（代为填写）"


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", "居民身份证"
    PASSPORT = "passport", "护照"
    HK_MACAO_TAIWAN = "hmt_permit", "港澳台居民证件"
    BUSINESS_LICENCE = "uscc", "统一社会信用代码证明"
    OTHER = "other", "其他证件"


class ProvisionForm(models.TextChoices):
    """获取信息的方式 (第29条第三项, 第40条)."""

    PAPER = "paper", "纸质"
    EMAIL = "email", "电子邮件"
    DISC = "disc", "光盘"
    PICK_UP = "pick_up", "自行领取"
    POST = "post", "邮寄"


class Status(models.TextChoices):
    RECEIVED = "received", "已收到"
    IN_PROGRESS = "in_progress", "办理中"
    AWAITING_CORRECTION = "awaiting_correction", "待申请人补正"
    CONSULTING = "consulting", "征求意见中"
    AWAITING_FEE = "awaiting_fee", "待缴费"
    REPLIED = "replied", "已答复"
    CLOSED = "closed", "已办结"
    TRANSFERRED = "transferred", "已转办"


OPEN_STATUSES = [Status.RECEIVED, Status.IN_PROGRESS, Status.AWAITING_CORRECTION, Status.CONSULTING, Status.AWAITING_FEE]


# True for a case without a due date (its clock paused or stopped). Ordered on before the date, so
# that these come after the dated cases on SQLite and PostgreSQL alike: the two order NULL dates
# at opposite ends, and the workbench showed paused cases first on one and last on the other.
NO_DUE_DATE = models.ExpressionWrapper(models.Q(due_on__isnull=True), output_field=models.BooleanField())


class Application(models.Model):
    """A request for government information (依申请公开), with its statutory clock."""

    # No index of its own: the three indexes below that start with it serve every lookup by agency
    # (each index is one more page written by every submission: bench/applications.py).
    agency = models.ForeignKey(Agency, verbose_name="受理机关", on_delete=models.PROTECT, related_name="applications",
                               db_index=False)
    tracking_code = models.CharField("查询码", max_length=16, unique=True)
    secret_hash = models.CharField(max_length=128)
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    # Keyed hash of agency, identity number and request text: the same request sent from two
    # browser tabs (two submission keys) is recognised without decrypting anything.
    content_fingerprint = models.CharField(max_length=64, blank=True, db_index=True)
    # Keyed hash of the identity document (applicants.py): who "the same applicant" is for the
    # 按件 fee's monthly count, since the encrypted id_number cannot be compared in the database.
    applicant_key = models.CharField(max_length=64, blank=True)
    channel = models.CharField("申请方式", max_length=12, choices=Channel.choices)
    applicant_type = models.CharField("申请人类型", max_length=16, choices=ApplicantType.choices)
    applicant_name = models.CharField("申请人姓名/名称", max_length=100)
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    id_type = models.CharField("证件类型", max_length=12, choices=IdType.choices)
    id_number = EncryptedTextField("证件号码")
    phone = EncryptedTextField("联系电话")
    email = models.EmailField("电子邮箱", blank=True)
    address = EncryptedTextField("通信地址", blank=True)
    postcode = models.CharField("邮政编码", max_length=6, blank=True)
    description = models.TextField("所需信息的名称、文号或特征描述")
    provision_form = models.CharField("获取信息的方式", max_length=10, choices=ProvisionForm.choices)
    received_on = models.DateField("收到申请日期")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.RECEIVED)
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="承办人", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+", db_index=False)  # partial index below
    supervised = models.BooleanField("督办", default=False)
    supervision_note = models.CharField("督办意见", max_length=300, blank=True)
    last_reminded_on = models.DateField("最近提醒日期", null=True, blank=True)
    transferred_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                         db_index=False)  # partial index below
    # Cached results of clock.compute, rewritten whenever an event or the calendar changes.
    due_on = models.DateField("答复期限", null=True, blank=True, db_index=True)
    due_confirmed = models.BooleanField(default=True)
    clock_state = models.CharField(max_length=20, default="running")
    reply_type = models.CharField("答复类型", max_length=40, choices=ReplyType.choices, blank=True)
    reply_reason_code = models.CharField("理由代码", max_length=10, blank=True)
    reply_reason = models.TextField("答复理由", blank=True)
    replied_on = models.DateField("答复日期", null=True, blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True, db_index=True)
    fee_method = models.CharField("收费方式", max_length=10, blank=True)
    fee_quantity = models.PositiveIntegerField("计费数量", null=True, blank=True)
    fee_amount = models.PositiveIntegerField("收费金额（元）", null=True, blank=True)
    fee_paid_on = models.DateField("缴费日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Computed and stored by the database from ``status`` (never written by gongkai), so that the
    # workbench's open list can walk one index in its display order (application_open_list)
    # instead of sorting every open case of the agency: with status IN (five values) the database
    # sorted them all for each page, a cost that grew with the agency's open cases.
    # 1 or 0, not a boolean: Django compares a boolean column as a bare truth value on SQLite, which
    # the index cannot seek; ``open_case=1`` is an equality it can.
    open_case = models.GeneratedField(expression=models.Case(models.When(status__in=OPEN_STATUSES, then=1), default=0),
                                      output_field=models.PositiveSmallIntegerField(), db_persist=True)

    class Meta:
        verbose_name = "政府信息公开申请"
        verbose_name_plural = "政府信息公开申请"
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["agency", "status", "due_on"]), models.Index(fields=["agency", "-closed_on", "-id"]),
                   models.Index(fields=["applicant_key", "received_on"], name="application_applicant_month"),
                   # The workbench order (queries.WORKBENCH_ORDER), so its lists read this index in order;
                   # clock_state and status at the end make it cover the lists' counts
                   # (queries.list_counts), which then read no table rows.
                   models.Index(F("agency"), F("open_case"), F("supervised").desc(), NO_DUE_DATE, F("due_on"),
                                F("received_on"), F("clock_state"), F("status"), name="application_open_list"),
                   # Partial: a new application has neither, and an entry for NULL would be written
                   # for every submission. A lookup by value (x = ?, x IN (...)) implies NOT NULL,
                   # so SQLite and PostgreSQL both use these for it.
                   models.Index(fields=["handler"], condition=models.Q(handler__isnull=False), name="application_handler"),
                   models.Index(fields=["transferred_from"], condition=models.Q(transferred_from__isnull=False),
                                name="application_transferred_from")]

    def __str__(self):
        return f"{self.tracking_code} {self.applicant_name}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ClockEvent(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="clock_events")
    kind = models.CharField(max_length=24, choices=EventKind.choices)
    on = models.DateField("日期")
    until = models.DateField(null=True, blank=True)
    days = models.PositiveSmallIntegerField(null=True, blank=True)
    label = models.CharField(max_length=100, blank=True)
    note = models.CharField(max_length=300, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]

    def __str__(self):
        return f"{self.on} {self.get_kind_display()}"


class Note(models.Model):
    """Internal notes of the handling staff (never shown to the applicant)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return self.text[:30]


def application_file_path(instance, filename):
    return f"applications/{instance.application.agency.code}/{instance.application.tracking_code}/{instance.kind}-{filename}"


class ApplicationFile(models.Model):
    class Kind(models.TextChoices):
        IDENTITY = "identity", "身份证明"
        CORRECTION = "correction", "补正材料"
        FOUND = "found", "检索到的信息"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    # Encrypted at rest (filecrypt.py): identity papers are sensitive personal information.
    file = models.FileField(upload_to=application_file_path, max_length=300, storage=applicant_files_storage)
    original_name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.original_name


class Appeal(models.Model):
    """行政复议 / 行政诉讼 brought over an application (annual report table 四)."""

    class Kind(models.TextChoices):
        REVIEW = "review", "行政复议"
        LITIGATION_DIRECT = "litigation_direct", "行政诉讼（未经复议直接起诉）"
        LITIGATION_AFTER_REVIEW = "litigation_after_review", "行政诉讼（复议后起诉）"

    class Outcome(models.TextChoices):
        UPHELD = "upheld", "结果维持"
        CORRECTED = "corrected", "结果纠正"
        OTHER = "other", "其他结果"
        PENDING = "pending", "尚未审结"

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="appeals")
    kind = models.CharField("类型", max_length=24, choices=Kind.choices)
    body = models.CharField("复议机关/审理法院", max_length=100)
    case_number = models.CharField("案号", max_length=100, blank=True)
    filed_on = models.DateField("申请/起诉日期")
    stage = models.CharField("阶段", max_length=100, blank=True)
    outcome = models.CharField("结果", max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    decided_on = models.DateField("审结日期", null=True, blank=True)

    class Meta:
        ordering = ["filed_on", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.case_number}"


class LetterKind(models.TextChoices):
    RECEIPT = "receipt", "受理回执"
    CORRECTION = "correction", "补正告知书"
    EXTENSION = "extension", "延期答复告知书"
    DELAY = "delay", "延迟答复告知书（第三十五条）"
    THIRD_PARTY = "third_party", "第三方征求意见书"
    FEE = "fee", "收费通知书"
    REPLY = "reply", "政府信息公开申请答复书"


class LetterTemplate(models.Model):
    """An agency's wording for one kind of letter; absent rows fall back to gongkai's defaults."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="letter_templates")
    kind = models.CharField(max_length=12, choices=LetterKind.choices)
    body = models.TextField("正文模板")
    number_prefix = models.CharField("文号前缀", max_length=30, blank=True, help_text="如 清财公复")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "kind"], name="letter_template_unique")]

    def __str__(self):
        return f"{self.agency.name} {self.get_kind_display()}"


def _seal_path(style, filename):
    return f"seals/{style.agency_id}/{filename}"


class LetterStyle(models.Model):
    """How an agency's letters are numbered and sealed: the 机关代字 its 文号 prefixes start with
    (清财 → 清财依申公复〔2026〕3号) and its electronic seal image, placed over the issuing agency and
    date of issued letters (GB/T 9704-2012 7.3.5.1). Absent: the agency's short name, and the seal's
    outline for a seal stamped by hand. Edited through letters.style_update only."""

    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="letter_style", primary_key=True)
    number_code = models.CharField("文号机关代字", max_length=10, blank=True, help_text="如 清财")
    # Encrypted at rest like identity papers: a seal image in the wrong hands forges the agency's letters.
    seal = models.FileField("电子印章", upload_to=_seal_path, storage=applicant_files_storage, blank=True)
    seal_sha256 = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.agency.name} 文书设置"


class LetterQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if self.filter(issued_at__isnull=False).exists():
            raise RuntimeError("issued letters are immutable")
        return super().update(**kwargs)

    def attach_files(self, pk: int, *, docx: str, pdf: str) -> int:
        """Store the printed files of an issued letter that was issued without them.

        The files are a rendering of the immutable text and number, so filling them in later
        does not change the letter; only empty file fields can be filled, never replaced.
        """
        return models.QuerySet.update(self.filter(pk=pk, docx="", pdf=""), docx=docx, pdf=pdf)


class LetterNumberSeries(models.Model):
    """The last serial issued under one printed 文号 stem (prefix〔year〕) of an agency (numbering.py)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    stem = models.CharField(max_length=60)
    last_serial = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "stem"], name="letter_number_series_unique")]

    def __str__(self):
        return f"{self.stem}{self.last_serial}号"


def letter_path(instance, filename):
    return f"letters/{instance.application.agency.code}/{instance.application.tracking_code}/{filename}"


class Letter(models.Model):
    """A notice or reply to the applicant. Once issued it is immutable and shown on the status page."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField("文书类型", max_length=12, choices=LetterKind.choices)
    number = models.CharField("文号", max_length=60, blank=True)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文")
    issued_at = models.DateTimeField("签发时间", null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", db_index=False)  # partial index: receipts have none
    # Sealed at rest like the applicant's own files (filecrypt): a letter names the applicant and
    # what they asked for, and a copy of the media directory alone must not reveal it.
    docx = models.FileField(upload_to=letter_path, blank=True, max_length=300, storage=applicant_files_storage)
    pdf = models.FileField(upload_to=letter_path, blank=True, max_length=300, storage=applicant_files_storage)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LetterQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["issued_by"], condition=models.Q(issued_by__isnull=False), name="letter_issued_by")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.pk is not None and self.issued_at is not None:
            stored = Letter.objects.filter(pk=self.pk).values_list("issued_at", flat=True).first()
            if stored is not None:
                raise RuntimeError("issued letters are immutable")
        super().save(*args, **kwargs)


class OutgoingMail(models.Model):
    """An e-mail to an applicant waiting to be sent (the outbox of mailing.py).

    Written in the same transaction as what it reports (the submission), so it exists exactly when
    that does; sent after the commit by the process's sender thread or ``gongkai retry_mail``, and
    deleted once the mail server has accepted it. The body holds the tracking secret, so it is
    encrypted like the applicant's identity number. ``not_before`` is both the lease of a sender
    that has taken the message (another one takes it over if that sender dies) and the back-off
    after a refusal.
    """

    recipient = models.EmailField()
    subject = models.CharField(max_length=200)
    body = EncryptedTextField()
    attempts = models.PositiveSmallIntegerField(default=0)
    not_before = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.recipient}: {self.subject}"
