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
    # Not the id (the database numbers it) nor a GeneratedField (the database computes it).
    fields = tuple(f for f in model._meta.concrete_fields
                   if not (f is pk and isinstance(f, models.AutoField)) and not f.generated)
    returning = connection.features.can_return_columns_from_insert
    sql = (f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})" + (f" RETURNING {qn(pk.column)}" if returning else ""))
    return sql, fields, returning


# Field classes whose get_db_prep_save returns a value of this exact type unchanged on every
# backend (CharField and TextField: to_python of a str; BooleanField: the bool). Exact classes only:
# a subclass (EncryptedTextField) may convert. Not the integer fields: the PostgreSQL backend wraps
# their values in psycopg's typed integers.
_UNCHANGED = {models.CharField: str, models.TextField: str, models.BooleanField: bool}


@functools.cache
def _steps(model: type[models.Model], alias: str) -> tuple[tuple, ...]:
    """Per column of the INSERT: (field, attname, whether pre_save is a plain read, the value type
    that needs no preparing). Computing values through these steps gives exactly what
    get_db_prep_save(pre_save()) gives, for less: an application's 39 columns took 60 µs through
    Django's calls and take 34 µs so (most are text that those calls hand back as it was)."""
    return tuple((f, f.attname, type(f).pre_save is models.Field.pre_save, _UNCHANGED.get(type(f)))
                 for f in _statement(model, alias)[1])


class PreparedInsert:
    """One row's INSERT with its values already computed (encryption, JSON, dates), to run later.

    The online submission builds its rows before it takes SQLite's write turn and only executes
    them inside it (intake._write_submission): the values' CPU work then overlaps with another
    process's turn instead of lengthening the queue. ``set`` fills in what only the turn knows
    (the new application's id in the rows that point to it, the receipt's 文号).
    """

    __slots__ = ("instance", "values", "_sql", "_positions", "_returning", "_using")

    def __init__(self, instance: models.Model, using: str = "default"):
        connection = connections[using]
        model = type(instance)
        self._sql, _fields, self._returning = _statement(model, using)
        self._positions = _positions(model, using)
        self.instance, self._using = instance, using
        values = []
        for field, attname, plain_read, unchanged in _steps(model, using):
            value = getattr(instance, attname) if plain_read else field.pre_save(instance, True)
            values.append(value if type(value) is unchanged else field.get_db_prep_save(value, connection))
        self.values = values

    def set(self, attname: str, value) -> None:
        """Set a column to a value that needs no preparing (an id, plain text) on the row and the instance.

        Written to the instance's __dict__, where Django keeps field values: setting a foreign key's
        ``*_id`` through its descriptor would drop the related object cached on the instance (the
        application the receipt was built from), and the next access would query it again."""
        self.instance.__dict__[attname] = value
        self.values[self._positions[attname]] = value

    def execute(self) -> models.Model:
        """INSERT the row and set the instance's primary key, as create() does."""
        connection = connections[self._using]
        with connection.cursor() as cursor:
            cursor.execute(self._sql, self.values)
            pk = cursor.fetchone()[0] if self._returning else cursor.lastrowid
        instance = self.instance
        instance.pk = pk
        instance._state.adding = False
        instance._state.db = self._using
        return instance


@functools.cache
def _positions(model: type[models.Model], alias: str) -> dict[str, int]:
    return {f.attname: i for i, f in enumerate(_statement(model, alias)[1])}


def prepare(instance: models.Model, *, using: str = "default") -> PreparedInsert:
    """The INSERT of ``instance`` (new, unsaved), its values computed now; run it with execute()."""
    return PreparedInsert(instance, using)


def insert(instance: models.Model, *, using: str = "default") -> models.Model:
    """INSERT ``instance`` (a new, unsaved model instance) and set its primary key, as create() does."""
    return PreparedInsert(instance, using).execute()


@functools.cache
def _reader(model: type[models.Model], alias: str, only: tuple[str, ...] | None = None
            ) -> tuple[str, list[str], list[tuple[int, list, object]]]:
    """Columns of ``model`` (all, or the attributes ``only``) as a SELECT list, their attribute
    names, and the value converters the ORM would apply to each (dates and booleans on SQLite,
    encrypted fields' decryption, ...)."""
    connection = connections[alias]
    qn = connection.ops.quote_name
    table = model._meta.db_table
    fields = [f for f in model._meta.concrete_fields if only is None or f.attname in only]
    converters = []
    for i, field in enumerate(fields):
        column = field.get_col(table)
        found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if found:
            converters.append((i, found, column))
    select_list = ", ".join(f"{qn(table)}.{qn(f.column)}" for f in fields)
    return select_list, [f.attname for f in fields], converters


def _build(model, alias, values: list, only=None) -> models.Model:
    _select_list, names, converters = _reader(model, alias, only)
    connection = connections[alias]
    for i, functions, column in converters:
        for convert in functions:
            values[i] = convert(values[i], column, connection)
    return model.from_db(alias, names, values)


def select(model: type[models.Model], where: str, params, *, only: tuple[str, ...] | None = None,
           with_one: str | None = None, using: str = "default") -> list[models.Model]:
    """Instances of ``model`` whose rows match ``where`` (SQL over its table's columns, %s
    parameters; ORDER BY and LIMIT may follow), as the ORM would build them (Model.from_db, the fields' converters), from SQL
    written once per process. ``with_one``: a reverse one-to-one relation (e.g. an agency's
    ``office``) fetched in the same query and cached on each instance, as select_related does;
    ``only``: the attributes to load, the others deferred, as .only() does.

    The lookups of an API submission: the ORM compiled each one for ~0.3 ms of CPU and
    Model.objects.raw() still spent ~0.1 ms setting up, even for a query that finds nothing."""
    connection = connections[using]
    qn = connection.ops.quote_name
    columns, names, _converters = _reader(model, using, only)
    table = qn(model._meta.db_table)
    sql, width = f"SELECT {columns}", len(names)
    joined = None
    if with_one:
        relation = model._meta.get_field(with_one)
        joined = relation.related_model
        sql += f", {_reader(joined, using)[0]}"
        on = f"{qn(joined._meta.db_table)}.{qn(relation.field.column)} = {table}.{qn(relation.field.target_field.column)}"
        sql += f" FROM {table} LEFT JOIN {qn(joined._meta.db_table)} ON {on}"
    else:
        sql += f" FROM {table}"
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} WHERE {where}", params)
        found = cursor.fetchall()
    instances = []
    for row in found:
        instance = _build(model, using, list(row[:width]), only)
        if joined is not None:
            other = list(row[width:])
            related = _build(joined, using, other) if other[joined._meta.concrete_fields.index(joined._meta.pk)] is not None else None
            relation.set_cached_value(instance, related)
        instances.append(instance)
    return instances


def first_values(model: type[models.Model], columns: tuple[str, ...], where: str, params, *,
                 using: str = "default") -> tuple | None:
    """The raw values of ``columns`` of the first row matching ``where`` (text and numbers only)."""
    connection = connections[using]
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(qn(c) for c in columns)} FROM {qn(model._meta.db_table)} "
                       f"WHERE {where} LIMIT 1", params)
        return cursor.fetchone()
