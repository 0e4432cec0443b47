import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from gongkai.orgs.roles import PLATFORM_ROLES, Role


class AreaLevel(models.TextChoices):
    PROVINCE = "province", "省"
    CITY = "city", "市"
    COUNTY = "county", "县区"
    TOWNSHIP = "township", "乡镇街道"


AREA_LEVEL_ORDER = [AreaLevel.PROVINCE, AreaLevel.CITY, AreaLevel.COUNTY, AreaLevel.TOWNSHIP]


class Area(models.Model):
    """An administrative area (行政区划). Children are exactly one level below their parent."""

    name = models.CharField("名称", max_length=100)
    code = models.CharField("行政区划代码", max_length=12, unique=True)
    level = models.CharField("层级", max_length=10, choices=AreaLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级区划", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.parent_id:
            expected = AREA_LEVEL_ORDER.index(self.parent.level) + 1
            if expected >= len(AREA_LEVEL_ORDER) or AREA_LEVEL_ORDER[expected] != self.level:
                raise ValidationError({"level": "下级区划必须比上级区划低一个层级。"})


class AgencyKind(models.TextChoices):
    GOVERNMENT = "government", "人民政府"
    DEPARTMENT = "department", "部门"
    DISPATCHED = "dispatched", "派出机构"


AGENCY_CODE_RE = re.compile(r"^[0-9A-Z]{6,18}$")


class Agency(models.Model):
    """A body that discloses information in its own name (条例第10条, 第27条).

    ``code`` is the organisation code that forms the first part of every 索引号 the agency
    issues (目录系统实施指引: 前段码＝组织机构代码, hyphens dropped). Index numbers are stored,
    not derived, so the code is fixed once the agency exists.
    ``path`` is the materialised chain of ancestor ids ("/1/4/9/"), so "every agency under a
    superior office" is one indexed prefix query.
    """

    name = models.CharField("机构名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=50, blank=True)
    code = models.CharField("机构代码", max_length=18, unique=True)
    kind = models.CharField("机构类型", max_length=12, choices=AgencyKind.choices)
    area = models.ForeignKey(Area, verbose_name="行政区划", on_delete=models.PROTECT, related_name="agencies")
    parent = models.ForeignKey(
        "self", verbose_name="上级机关", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=255, db_index=True, editable=False)
    description = models.TextField("机构职能", blank=True)
    sort_order = models.PositiveIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "机构"
        verbose_name_plural = "机构"
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2


class DisclosureOffice(models.Model):
    """The agency's 政府信息公开工作机构 and how the public reaches it (条例第12条 指南 contents)."""

    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="office", primary_key=True)
    name = models.CharField("工作机构名称", max_length=100, blank=True)
    address = models.CharField("办公地址", max_length=200, blank=True)
    postcode = models.CharField("邮政编码", max_length=6, blank=True)
    hours = models.CharField("办公时间", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=50, blank=True)
    fax = models.CharField("传真", max_length=50, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    website = models.URLField("网址", blank=True)

    class Meta:
        verbose_name = "信息公开工作机构"
        verbose_name_plural = "信息公开工作机构"

    def __str__(self):
        return self.name or f"{self.agency.name}信息公开工作机构"


class InternalUnit(models.Model):
    """An internal unit (科室) of an agency; later issues assign work to units."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="units")
    name = models.CharField("科室名称", max_length=100)
    phone = models.CharField("电话", max_length=50, blank=True)

    class Meta:
        verbose_name = "内设科室"
        verbose_name_plural = "内设科室"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="unit_name_unique_in_agency")]

    def __str__(self):
        return f"{self.agency.name}·{self.name}"


class Membership(models.Model):
    """A role a person holds in an agency. The platform roles are held without an agency, and an
    account holds at most one of them (三权分立: roles.PLATFORM_ROLES)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "角色"
        verbose_name_plural = "角色"
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "role"], name="membership_unique"),
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(role__in=sorted(PLATFORM_ROLES)), name="one_platform_role_per_user"
            ),
            models.CheckConstraint(
                condition=(models.Q(role__in=sorted(PLATFORM_ROLES)) & models.Q(agency__isnull=True))
                | (~models.Q(role__in=sorted(PLATFORM_ROLES)) & models.Q(agency__isnull=False)),
                name="agency_required_except_platform_roles",
            ),
        ]

    def __str__(self):
        where = self.agency.name if self.agency_id else "全平台"
        return f"{self.user.username} · {where} · {self.get_role_display()}"
