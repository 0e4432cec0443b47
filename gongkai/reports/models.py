"""Annual reports as records: the working copy an agency compiles and files, and its published versions.

The figures live in ``data``, the report dict of spec annual-report-json.md (tables, the
staff-written narrative, the sources of staff-entered cells), so what is stored is exactly what is
validated, rendered and exchanged. Published versions are frozen copies with their rendered files;
a correction publishes a new version that says what changed (政府网站发展指引: 更正留痕).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "编制中"
    IN_REVIEW = "in_review", "内部审核中"
    SUBMITTED = "submitted", "已报送上级"
    RETURNED = "returned", "已退回重新编制"
    ACCEPTED = "accepted", "上级已审核通过"
    PUBLISHED = "published", "已发布"


# States in which the agency may change figures and text.
EDITABLE_STATES = frozenset({ReportStatus.DRAFT, ReportStatus.RETURNED})


class ReportOrigin(models.TextChoices):
    GENERATED = "generated", "由本系统记录生成"
    TYPED = "typed", "按表格录入"
    UPLOADED = "uploaded", "上传 JSON 文件"


class AnnualReport(models.Model):
    """One agency's report for one year (``rollup``: summed with every agency below it).

    A report of an agency not on the platform (typed in or uploaded by the office it files with)
    has no ``agency`` and carries ``agency_name``; ``filed_with`` is then that office.
    """

    agency = models.ForeignKey("orgs.Agency", verbose_name="编制机关", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="annual_reports")
    agency_name = models.CharField("机关名称", max_length=100)
    year = models.PositiveSmallIntegerField("报告年度")
    rollup = models.BooleanField("含下级机关", default=False)
    origin = models.CharField("来源", max_length=10, choices=ReportOrigin.choices, default=ReportOrigin.GENERATED)
    status = models.CharField("状态", max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    data = models.JSONField("报告内容")
    filed_with = models.ForeignKey("orgs.Agency", verbose_name="报送机关", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="reports_filed_with")
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    submitted_late = models.BooleanField("逾期报送", default=False)
    decided_at = models.DateTimeField("上级审核时间", null=True, blank=True)
    return_comment = models.TextField("退回意见", blank=True)
    correction_note = models.CharField("更正说明", max_length=500, blank=True)
    figures_at = models.DateTimeField("数字生成时间", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "年度报告"
        verbose_name_plural = "年度报告"
        ordering = ["-year", "agency_name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "rollup"], condition=models.Q(agency__isnull=False),
                                    name="one_report_per_agency_year_scope"),
            models.UniqueConstraint(fields=["filed_with", "agency_name", "year"], condition=models.Q(agency__isnull=True),
                                    name="one_external_report_per_office_name_year"),
        ]
        indexes = [models.Index(fields=["filed_with", "year"])]

    def __str__(self):
        scope = "（含下级机关）" if self.rollup else ""
        return f"{self.agency_name}{self.year}年政府信息公开工作年度报告{scope}"

    def clean(self):
        if self.agency_id is None and not self.filed_with_id:
            raise ValidationError("未在本平台的机关的报告必须注明报送机关。")

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE_STATES

    @property
    def latest_version(self):
        return self.versions.order_by("-number").first()


def version_upload_to(version, filename):
    return f"reports/{version.report.year}/{version.report_id}-v{version.number}/{filename}"


class ReportVersion(models.Model):
    """A published version: frozen figures and text with the PDF and DOCX made when it was published."""

    report = models.ForeignKey(AnnualReport, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField("版本")
    data = models.JSONField("报告内容")
    change_note = models.TextField("更正说明", blank=True)
    published_at = models.DateTimeField("发布时间")
    published_late = models.BooleanField("逾期发布", default=False)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    pdf = models.FileField(upload_to=version_upload_to)
    docx = models.FileField(upload_to=version_upload_to)

    class Meta:
        verbose_name = "年度报告发布版本"
        verbose_name_plural = "年度报告发布版本"
        ordering = ["report", "-number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="one_report_version_number")]

    def __str__(self):
        return f"{self.report}（第{self.number}版）"

    def save(self, *args, **kwargs):
        # Published is published: a change is a new version, never an edit of this one.
        if self.pk is not None:
            raise ValidationError("已发布的年度报告版本不可修改，请发布更正版本。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("已发布的年度报告版本不可删除。")
