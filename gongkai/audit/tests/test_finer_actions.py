"""One action per operation: no service writes the catch-all ``edit``, and migration 0004 rewrites
the old ``edit`` rows whose object type and note name their operation, and only those."""

from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

import gongkai
from gongkai.audit.models import Action

BEFORE, AFTER = ("audit", "0003_lean_indexes"), ("audit", "0004_finer_actions")

# (object type, note) of rows written before 0004 → the action they should have afterwards.
OLD_ROWS = [
    ("orgs.agency", "", Action.AGENCY_UPDATE),
    ("orgs.agency", "修改政府信息公开指南", Action.GUIDE_UPDATE),
    ("orgs.agency", "修改审核级数", Action.REVIEW_LEVELS_UPDATE),
    ("disclosure.cataloguenode", "", Action.NODE_RENAME),
    ("disclosure.item", "去标识化", Action.ITEM_MASK_PII),
    ("disclosure.item", "撤回后重新编辑", Action.ITEM_REOPEN),
    ("disclosure.item", "", Action.EDIT),  # a correction or a validity change: the row cannot tell
    ("applications.application", "分配承办人", Action.APPLICATION_ASSIGN),
    ("applications.application", "添加检索到的信息", Action.FOUND_FILES_ADD),
    ("applications.application", "督办", Action.SUPERVISE),
    ("applications.application", "申请人提交补正", Action.CORRECTION_RECEIVE),
    ("applications.appeal", "", Action.APPEAL_DECIDE),
    ("applications.lettertemplate", "补正告知书恢复为系统默认模板", Action.TEMPLATE_RESET),
    ("applications.lettertemplate", "修改补正告知书模板", Action.TEMPLATE_UPDATE),
    ("reports.annualreport", "按最新记录重新生成表二至表四", Action.REPORT_REFRESH),
    ("reports.annualreport", "修改报告文字部分", Action.REPORT_NARRATIVE),
    ("reports.annualreport", "填报表格数字", Action.REPORT_CELLS),
    ("reports.annualreport", "开始编制更正版本：表三数字有误", Action.REPORT_CORRECTION),
    ("reports.annualreport", "更正录入的年度报告并重新报送", Action.EXTERNAL_CORRECT),
    ("disclosure.item", "督办", Action.EDIT),  # a known note on the wrong kind of object stays edit
    ("applications.application", "另一说明", Action.EDIT),
]


def test_no_service_writes_the_catch_all_edit():
    package = Path(gongkai.__file__).parent
    writers = [str(path.relative_to(package)) for path in package.rglob("*.py")
               if "tests" not in path.parts and "migrations" not in path.parts and path.name != "models.py"
               and "Action.EDIT" in path.read_text(encoding="utf-8")]
    assert writers == []


@pytest.mark.django_db(transaction=True)
def test_migration_gives_old_edit_rows_the_action_of_their_operation_and_can_be_undone():
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    try:
        old = executor.loader.project_state(BEFORE).apps.get_model("audit", "AuditEntry")
        ids = [old.objects.create(action="edit", actor_label="cli", object_type=object_type, object_id="1",
                                  object_repr="x", note=note).pk for object_type, note, _ in OLD_ROWS]
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate([AFTER])
        new = executor.loader.project_state(AFTER).apps.get_model("audit", "AuditEntry")
        assert [new.objects.get(pk=pk).action for pk in ids] == [action.value for _, _, action in OLD_ROWS]

        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate([BEFORE])
        assert set(old.objects.filter(pk__in=ids).values_list("action", flat=True)) == {"edit"}
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
