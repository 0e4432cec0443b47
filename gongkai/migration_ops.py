"""Migration operations gongkai needs and Django lacks.

``DropColumnIndex`` removes the single-column index Django made for a field (a foreign key's
``db_index``) without touching the table. Django's own AlterField(db_index=False) rebuilds the
whole table on SQLite (copy every row, drop, rename, recreate every index), which takes minutes on
an installation with a few million applications and audit rows; dropping the index is one
statement on both SQLite and PostgreSQL. Use it as the database half of a
SeparateDatabaseAndState whose state half is the AlterField.
"""

from django.db.migrations.operations.base import Operation


class DropColumnIndex(Operation):
    reduces_to_sql = True
    reversible = True

    def __init__(self, model_name: str, column: str):
        self.model_name, self.column = model_name, column

    def deconstruct(self):
        return self.__class__.__qualname__, [self.model_name, self.column], {}

    def state_forwards(self, app_label, state):
        pass  # the state changes in the AlterField beside it

    def _name(self, schema_editor, table: str) -> str:
        # The name Django gave the index when it created the field (BaseDatabaseSchemaEditor._field_indexes_sql).
        return schema_editor._create_index_name(table, [self.column], suffix="")

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        table = from_state.apps.get_model(app_label, self.model_name)._meta.db_table
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(self._name(schema_editor, table))}")

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        table = to_state.apps.get_model(app_label, self.model_name)._meta.db_table
        q = schema_editor.quote_name
        schema_editor.execute(f"CREATE INDEX {q(self._name(schema_editor, table))} ON {q(table)} ({q(self.column)})")

    def describe(self):
        return f"Drop the single-column index of {self.model_name}.{self.column}"
