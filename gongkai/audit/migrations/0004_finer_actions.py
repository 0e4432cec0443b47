"""One action per operation, and the rows written with the old catch-all ``edit`` rewritten to it.

A row is rewritten only where its object type and note say which operation wrote it without doubt
(the services below wrote exactly these notes). Rows of items corrected or given a new validity
keep ``edit``: both operations wrote no note, and the row alone does not tell them apart.

The audit trail is append-only; this migration is the one sanctioned rewrite of it, of the action
column only, and it can be undone (every new action goes back to ``edit``).
"""

from django.db import migrations, models
from django.db.models import Q

EDIT = "edit"
# action: (object type, condition on the note), from the services that write them.
REWRITES = {
    "agency_update": ("orgs.agency", Q(note="")),  # orgs.services.agency_update
    "guide_update": ("orgs.agency", Q(note="修改政府信息公开指南")),  # disclosure.guide
    "review_levels_update": ("orgs.agency", Q(note="修改审核级数")),  # disclosure.guide
    "node_rename": ("disclosure.cataloguenode", Q()),  # disclosure.catalogue.node_rename
    "item_mask_pii": ("disclosure.item", Q(note="去标识化")),  # disclosure.services
    "item_reopen": ("disclosure.item", Q(note="撤回后重新编辑")),  # disclosure.services
    "application_assign": ("applications.application", Q(note="分配承办人")),  # applications.intake
    "found_files_add": ("applications.application", Q(note="添加检索到的信息")),  # applications.intake
    "supervise": ("applications.application", Q(note="督办")),  # applications.intake
    "correction_receive": ("applications.application", Q(note="申请人提交补正")),  # applications.handling
    "appeal_decide": ("applications.appeal", Q()),  # applications.appeals.appeal_decide
    "template_reset": ("applications.lettertemplate", Q(note__endswith="恢复为系统默认模板")),  # letters.editing
    "template_update": ("applications.lettertemplate",
                        Q(note__startswith="修改", note__endswith="模板")),  # letters.editing
    "report_refresh": ("reports.annualreport", Q(note="按最新记录重新生成表二至表四")),  # reports.filing
    "report_narrative": ("reports.annualreport", Q(note="修改报告文字部分")),  # reports.filing
    "report_cells": ("reports.annualreport", Q(note="填报表格数字")),  # reports.filing
    "report_correction": ("reports.annualreport", Q(note__startswith="开始编制更正版本：")),  # reports.publishing
    "external_correct": ("reports.annualreport", Q(note__startswith="更正录入的年度报告")),  # reports.external
}


def split_edit(apps, schema_editor):
    # The historical model has a plain manager: the append-only queryset is not used in migrations.
    AuditEntry = apps.get_model("audit", "AuditEntry")
    for action, (object_type, condition) in REWRITES.items():
        AuditEntry.objects.filter(condition, action=EDIT, object_type=object_type).update(action=action)


def merge_into_edit(apps, schema_editor):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    AuditEntry.objects.filter(action__in=list(REWRITES)).update(action=EDIT)


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0003_lean_indexes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditentry',
            name='action',
            field=models.CharField(choices=[('create', '新建'), ('edit', '修改'), ('delete', '删除'), ('submit', '提交'), ('approve', '审核通过'), ('reject', '退回'), ('publish', '发布'), ('withdraw', '撤回'), ('repeal', '废止'), ('role_grant', '授予角色'), ('role_revoke', '撤销角色'), ('password_set', '设置密码'), ('deactivate', '停用'), ('activate', '启用'), ('view_personal', '查看个人信息'), ('clock', '期限事件'), ('reply', '答复'), ('issue', '签发文书'), ('transfer', '转办'), ('agency_update', '修改机构信息'), ('node_rename', '修改目录分类'), ('guide_update', '修改公开指南'), ('review_levels_update', '修改审核级数'), ('item_update', '修改信息'), ('item_mask_pii', '去标识化'), ('item_reopen', '撤回后重新编辑'), ('item_set_validity', '变更有效性'), ('application_assign', '分配承办人'), ('found_files_add', '添加检索到的信息'), ('supervise', '督办'), ('correction_receive', '收到补正'), ('appeal_decide', '记录复议诉讼结果'), ('template_update', '修改文书模板'), ('template_reset', '恢复默认文书模板'), ('report_refresh', '重新生成报告数字'), ('report_narrative', '修改报告文字'), ('report_cells', '填报报告表格'), ('report_correction', '开始编制更正版本'), ('external_correct', '更正录入的报告')], max_length=20, verbose_name='动作'),
        ),
        migrations.RunPython(split_edit, merge_into_edit),
    ]
