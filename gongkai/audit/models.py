from django.conf import settings
from django.db import models, router, transaction
from django.utils import timezone


class Action(models.TextChoices):
    """What an audit row records. A change that has an operation of its own has an action of its
    own, so indicators can count events by kind; ``edit`` stays for rows written before that."""

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
    # One per operation (the service's name where it fits the column's 20 characters).
    AGENCY_UPDATE = "agency_update", "修改机构信息"
    NODE_RENAME = "node_rename", "修改目录分类"
    GUIDE_UPDATE = "guide_update", "修改公开指南"
    REVIEW_LEVELS_UPDATE = "review_levels_update", "修改审核级数"
    ITEM_UPDATE = "item_update", "修改信息"
    ITEM_MASK_PII = "item_mask_pii", "去标识化"
    ITEM_REOPEN = "item_reopen", "撤回后重新编辑"
    ITEM_SET_VALIDITY = "item_set_validity", "变更有效性"
    APPLICATION_ASSIGN = "application_assign", "分配承办人"
    FOUND_FILES_ADD = "found_files_add", "添加检索到的信息"
    SUPERVISE = "supervise", "督办"
    CORRECTION_RECEIVE = "correction_receive", "收到补正"
    APPEAL_DECIDE = "appeal_decide", "记录复议诉讼结果"
    TEMPLATE_UPDATE = "template_update", "修改文书模板"
    TEMPLATE_RESET = "template_reset", "恢复默认文书模板"
    REPORT_REFRESH = "report_refresh", "重新生成报告数字"
    REPORT_NARRATIVE = "report_narrative", "修改报告文字"
    REPORT_CELLS = "report_cells", "填报报告表格"
    REPORT_CORRECTION = "report_correction", "开始编制更正版本"
    EXTERNAL_CORRECT = "external_correct", "更正录入的报告"
    KEYS_ROTATE = "keys_rotate", "轮换加密密钥"
    AUDIT_PURGE = "audit_purge", "清理到期审计记录"
    # Security events (等保 安全审计): sign-in and its second factor, refusals, reading and exporting.
    LOGIN = "login", "登录"
    LOGIN_FAILED = "login_failed", "登录失败"
    LOCKOUT = "lockout", "账号锁定"
    LOGOUT = "logout", "退出登录"
    TWO_FACTOR = "two_factor", "双因素认证"
    ACCESS_DENIED = "access_denied", "拒绝访问"
    DOWNLOAD_PERSONAL = "download_personal", "下载个人信息"
    EXPORT = "export", "导出"
    # Supervision (监督考核): a superior office's 督办 and its reading; the monitoring's findings.
    URGE_ISSUE = "urge_issue", "上级督办"
    URGE_READ = "urge_read", "签收督办"
    FINDING_OPEN = "finding_open", "发现问题"
    FINDING_CLOSE = "finding_close", "问题已消除"
    FINDING_REOPEN = "finding_reopen", "问题再次出现"
    SCHEME_LOAD = "scheme_load", "载入考核方案"
    SCHEME_RULE_UPDATE = "scheme_rule_update", "修改考核指标"
    ASSESSMENT_START = "assessment_start", "开始考核"
    ASSESSMENT_ADD = "assessment_add", "录入考核问题"
    ASSESSMENT_RESPOND = "assessment_respond", "提出申辩"
    ASSESSMENT_DECIDE = "assessment_decide", "审核申辩"
    ASSESSMENT_FINALISE = "assessment_finalise", "考核定稿"
    PLAN_IMPORT = "plan_import", "导入任务分解表"
    TASK_REPORT = "task_report", "报送任务进展"
    TASK_REVIEW = "task_review", "审核任务进展"
    NOTICE_ISSUE = "notice_issue", "发出通报"
    NOTICE_ANSWER = "notice_answer", "报送整改情况"
    NOTICE_RECHECK = "notice_recheck", "整改复查"
    # 政民互动: consultations on drafts and the public's messages.
    CONSULTATION_OPEN = "consultation_open", "发起意见征集"
    CONSULTATION_CLOSE = "consultation_close", "结束意见征集"
    COMMENT_MODERATE = "comment_moderate", "审核公众意见"
    FEEDBACK_PUBLISH = "feedback_publish", "发布采纳情况反馈"
    CONSULTATION_UPDATE = "consultation_update", "修改意见征集草稿"
    COMMENT_DISPOSE = "comment_dispose", "填写意见采纳情况"
    FEEDBACK_SAVE = "feedback_save", "保存采纳情况说明"
    FINAL_ITEM_LINK = "final_item_link", "关联正式文件"
    ENQUIRY_ASSIGN = "enquiry_assign", "分办留言"
    ENQUIRY_ANSWER = "enquiry_answer", "答复留言"
    ENQUIRY_REFUSE = "enquiry_refuse", "不予受理留言"
    ENQUIRY_CONVERT = "enquiry_convert", "留言转为公开申请"
    FAQ_ADD = "faq_add", "加入常见问题"
    FAQ_UPDATE = "faq_update", "修改常见问题"
    FAQ_REMOVE = "faq_remove", "删除常见问题"
    # 新闻发布会 records (created with CREATE, removed with DELETE).
    CONFERENCE_UPDATE = "conference_update", "修改新闻发布会"
    # The deployment's identity on its pages (portal.site_identity).
    SITE_UPDATE = "site_update", "修改网站标识"
    # An agency's letter settings (文号机关代字, electronic seal); an assessment's results made public.
    LETTER_STYLE = "letter_style", "修改文书设置"
    ASSESSMENT_PUBLISH = "assessment_publish", "公开考核结果"


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

    Rows are append-only: nothing in gongkai updates or deletes them (the model refuses; on
    PostgreSQL a trigger refuses too), and each is sealed into a hash chain (chain.py).
    ``actor_label`` keeps the actor's name readable even if the account is later renamed,
    and names non-human actors such as the command line ("cli").
    """

    # Set when the row is built, not by auto_now_add at INSERT: the seal (chain.py) covers it.
    at = models.DateTimeField("时间", default=timezone.now, editable=False, db_index=True)
    # PROTECT, not SET_NULL: clearing actor_id would rewrite sealed rows (deactivate accounts instead).
    actor = models.ForeignKey(  # partial index below: the public's and the system's rows have no actor
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT, db_index=False
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
    # The row's place in the hash chain and its keyed hash (audit/chain.py).
    seq = models.BigIntegerField("链序号", null=True, blank=True, editable=False)
    digest = models.CharField("链摘要", max_length=100, blank=True, editable=False)
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
        constraints = [models.UniqueConstraint(fields=["seq"], condition=models.Q(seq__isnull=False), name="audit_chain_seq")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("audit entries are append-only")
        from gongkai.audit import chain

        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using, savepoint=False):
            chain.seal([self], using=using)
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("audit entries are append-only")

    def changed_fields(self) -> list[str]:
        before, after = self.before or {}, self.after or {}
        return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
