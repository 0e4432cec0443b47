"""The indexes a submission writes: no single-column index that a wider one already covers, and
partial indexes for foreign keys that a new row leaves empty (migration 0009, audit 0003)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from gongkai.applications.models import Application, Letter
from gongkai.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def indexes(model) -> dict[str, dict]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return {name: c for name, c in found.items() if c["index"] and not c["primary_key"]}


def single_column(model, column) -> list[str]:
    return [name for name, c in indexes(model).items() if c["columns"] == [column]]


@pytest.mark.parametrize(("model", "column", "partial"), [
    (Application, "agency_id", None), (Application, "handler_id", "application_handler"),
    (Application, "transferred_from_id", "application_transferred_from"), (Letter, "issued_by_id", "letter_issued_by"),
    (AuditEntry, "agency_id", None), (AuditEntry, "actor_id", "audit_actor"),
])
def test_only_the_intended_index_covers_each_foreign_key(model, column, partial):
    assert single_column(model, column) == ([partial] if partial else [])
    starts = [name for name, c in indexes(model).items() if c["columns"][:1] == [column]]
    assert starts, f"{column} must still lead some index: lookups by it would scan the table"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL chooses its plan by cost; SQLite's is fixed")
def test_a_lookup_by_handler_uses_the_partial_index():
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN SELECT id FROM applications_application WHERE handler_id = %s", [1])
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "application_handler" in plan, plan


@pytest.mark.django_db(transaction=True)
def test_the_migrations_drop_and_restore_the_indexes():
    executor = MigrationExecutor(connection)
    executor.migrate([("applications", "0008_application_open_list"), ("audit", "0002_alter_auditentry_action")])
    try:
        assert len(single_column(Application, "agency_id")) == 1 and len(single_column(AuditEntry, "actor_id")) == 1
        assert "application_handler" not in indexes(Application)
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert single_column(Application, "agency_id") == [] and single_column(AuditEntry, "actor_id") == ["audit_actor"]
