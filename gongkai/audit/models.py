from django.conf import settings
from django.db import models


class Action(models.TextChoices):
    CREATE = "create", "新建"
    EDIT = "edit", "修改"
    DELETE = "delete", "删除"
    SUBMIT = "submit", "提交"
    APPROVE = "approve", "审核通过"
    REJECT = "reject", "退回"
    PUBLISH = "publish", "发布"
    WITHDRAW = "withdraw", "撤回"
    REPEAL = "repeal", "废止"
    ROLE_GRANT = "role_grant", "授予角色"
    ROLE_REVOKE = "role_revoke", "撤销角色"
    PASSWORD_SET = "password_set", "设置密码"
    DEACTIVATE = "deactivate", "停用"
    ACTIVATE = "activate", "启用"
    VIEW_PERSONAL = "view_personal", "查看个人信息"
    CLOCK = "clock", "期限事件"
    REPLY = "reply", "答复"
    ISSUE = "issue", "签发文书"
    TRANSFER = "transfer", "转办"
    # Security events (等保 安全审计): sign-in and its second factor, refusals, reading and exporting.
    LOGIN = "login", "登录"
    LOGIN_FAILED = "login_failed", "登录失败"
    LOCKOUT = "lockout", "账号锁定"
    LOGOUT = "logout", "退出登录"
    TWO_FACTOR = "two_factor", "双因素认证"
    ACCESS_DENIED = "access_denied", "拒绝访问"
    DOWNLOAD_PERSONAL = "download_personal", "下载个人信息"
    EXPORT = "export", "导出"


class Outcome(models.TextChoices):
    SUCCESS = "success", "成功"
    FAILURE = "failure", "失败"
    REFUSED = "refused", "拒绝"


class AuditQuerySet(models.QuerySet):
    """Bulk update/delete would bypass the per-row guard below, so they are refused too."""

    def update(self, **kwargs):
        raise RuntimeError("audit entries are append-only")

    def delete(self):
        raise RuntimeError("audit entries are append-only")


class AuditEntry(models.Model):
    """One row per state change: who, when, what, and the object before and after.

    Rows are append-only: nothing in gongkai updates or deletes them (the model refuses).
    ``actor_label`` keeps the actor's name readable even if the account is later renamed,
    and names non-human actors such as the command line ("cli").
    """

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(  # partial index below: the public's and the system's rows have no actor
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL, db_index=False
    )
    actor_label = models.CharField("操作人名称", max_length=150)
    action = models.CharField("动作", max_length=20, choices=Action.choices)
    object_type = models.CharField("对象类型", max_length=60)
    object_id = models.CharField("对象编号", max_length=64)
    object_repr = models.CharField("对象", max_length=255)
    agency = models.ForeignKey(  # no index of its own: (agency, -at) below serves lookups by agency
        "orgs.Agency", verbose_name="所属机构", null=True, blank=True, on_delete=models.PROTECT,
        related_name="audit_entries", db_index=False,
    )
    before = models.JSONField("变更前", null=True, blank=True)
    after = models.JSONField("变更后", null=True, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)
    # Where and in which request the row was written (gongkai/audit/context.py); empty from the command line.
    source_ip = models.GenericIPAddressField("来源地址", null=True, blank=True)
    request_id = models.CharField("请求编号", max_length=32, blank=True)
    outcome = models.CharField("结果", max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["agency", "-at"]), models.Index(fields=["object_type", "object_id"]),
                   models.Index(fields=["actor"], condition=models.Q(actor__isnull=False), name="audit_actor")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("audit entries are append-only")

    def changed_fields(self) -> list[str]:
        before, after = self.before or {}, self.after or {}
        return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
