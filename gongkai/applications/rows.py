"""One INSERT per row for the online submission's write transaction, without Model.save().

Measured on the API path (bench/applications.py, 100,000 applications, SQLite): Django's
``Model.objects.create`` spends ~0.25 ms of CPU per row compiling the same INSERT again (quoting
names, walking fields, building the compiler), more than SQLite spends executing it. A submission
writes four or five rows while holding SQLite's one write lock, so this module builds each model's
statement once per process and only computes the values per row.

The values are computed exactly as Django's insert compiler computes them, from the same model
instance: ``field.pre_save(instance, add=True)`` (auto_now_add, auto_now, uncommitted files) then
``field.get_db_prep_save(value, connection)``, so an EncryptedTextField is encrypted by its own
``get_prep_value``, a JSONField goes through the backend's JSON adapter, and foreign keys are
written by id. What is skipped is Model.save() itself: the pre_save/post_save signals (gongkai
connects none to these models) and the models' save() overrides, which only refuse changes to rows
that already exist (AuditEntry, Letter) and so never apply to an INSERT.
"""

import functools

from django.db import connections, models


@functools.cache
def _statement(model: type[models.Model], alias: str) -> tuple[str, tuple[models.Field, ...], bool]:
    connection = connections[alias]
    qn = connection.ops.quote_name
    pk = model._meta.pk
    fields = tuple(f for f in model._meta.concrete_fields if not (f is pk and isinstance(f, models.AutoField)))
    returning = connection.features.can_return_columns_from_insert
    sql = (f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})" + (f" RETURNING {qn(pk.column)}" if returning else ""))
    return sql, fields, returning


def insert(instance: models.Model, *, using: str = "default") -> models.Model:
    """INSERT ``instance`` (a new, unsaved model instance) and set its primary key, as create() does."""
    connection = connections[using]
    sql, fields, returning = _statement(type(instance), using)
    values = [f.get_db_prep_save(f.pre_save(instance, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        pk = cursor.fetchone()[0] if returning else cursor.lastrowid
    instance.pk = pk
    instance._state.adding = False
    instance._state.db = using
    return instance


@functools.cache
def _select(model: type[models.Model], alias: str, columns: tuple[str, ...] | None, where: str) -> str:
    qn = connections[alias].ops.quote_name
    names = columns or tuple(f.column for f in model._meta.concrete_fields)
    return f"SELECT {', '.join(qn(c) for c in names)} FROM {qn(model._meta.db_table)} WHERE {where}"


def select(model: type[models.Model], where: str, params, *, using: str = "default") -> list[models.Model]:
    """Instances of ``model`` whose rows match ``where`` (SQL over its column names, %s parameters),
    built by Model.objects.raw with the fields' own converters; the SQL is written once per process."""
    return list(model.objects.using(using).raw(_select(model, using, None, where), params))


def first_values(model: type[models.Model], columns: tuple[str, ...], where: str, params, *,
                 using: str = "default") -> tuple | None:
    """The raw values of ``columns`` of the first row matching ``where`` (text and numbers only)."""
    with connections[using].cursor() as cursor:
        cursor.execute(_select(model, using, columns, where) + " LIMIT 1", params)
        return cursor.fetchone()
