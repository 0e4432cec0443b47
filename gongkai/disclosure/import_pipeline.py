"""Writing an import file: rows are read, checked and prepared in a helper process while this one
writes the batches before them.

An import is all or nothing. Each batch is checked before it is written, everything is written in
one transaction, and the first problem anywhere stops the writing: the rest of the file is still
checked so that every problem is listed, and then the transaction rolls back.

Why other processes: checking a row (sanitising its HTML, the personal-information scan) and
preparing its search document (normalising, about a thousand index terms) cost more CPU than
writing it, and the GIL keeps a second thread from helping (docs/search.md). With one helper the
writer still waited for it a third of the time, so there is one helper per CPU (up to
MAX_HELPERS), each taking every n-th batch of the file; the writer takes the batches in file order.
The helpers need no database: ``transfer.Lookups`` holds everything a row is checked against, and what can only be
checked against existing items (文号 and 索引号 already used) is checked here, one query per batch.
Writes are bulk inserts per batch, 索引号 come from counters locked once per import
(``index_numbers.Allocator``), and the search index takes the prepared batches
(``search.index.BulkWriter``). Figures: docs/import-export.md.
"""

import contextlib
import dataclasses
import multiprocessing
import os
import pickle
import tempfile
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from gongkai.audit import chain
from gongkai.audit.models import Action, AuditEntry
from gongkai.audit.services import actor_label
from gongkai.disclosure import index_numbers, search_sync
from gongkai.disclosure.catalogue import ensure_catalogue
from gongkai.disclosure.models import CatalogueNode, Disclosure, Item, ItemVersion, Status
from gongkai.disclosure.transfer import ImportRefused, Lookups, RowProblem, check_row, read_rows
from gongkai.errors import ServiceError
from gongkai.search import index as search_index

BATCH_ROWS = 1000
# SQLite page cache of the importing connection while it writes (default 2 MiB). The item table's
# nine indexes and the search tables' take rows in no useful order; with a small cache their pages
# are evicted and re-read between batches, and a dirty page evicted in the middle of the
# transaction is written to the WAL, then written again when it changes again (docs/import-export.md).
IMPORT_CACHE_KIB = 256 * 1024
# Smaller files are checked in this process: starting the helper costs more than it saves.
PARALLEL_MIN_BYTES = 256 * 1024
# Helper processes for a larger file: one per CPU, at most this many. The writer is the slower side
# once two helpers feed it (docs/import-export.md).
MAX_HELPERS = 2
# The helpers run at a lower priority: on two CPUs the writer would otherwise share them three ways,
# and in a large import it is the writer, the busier side, that sets the pace.
HELPER_NICENESS = 10


@dataclass
class PreparedRow:
    number: int
    agency_id: int
    fields: dict  # Item columns
    node_code: str
    index_number: str  # as given (legacy), or "" to allocate
    public: bool = False  # shown on the portal, so indexed for search


@dataclass
class Batch:
    rows_read: int  # in the whole file so far
    problems: list[RowProblem] = field(default_factory=list)
    # (row, agency id, 文号, 索引号 as given) of each row without problems: checked against existing items
    unique: list[tuple[int, int, str, str]] = field(default_factory=list)
    items: list[PreparedRow] = field(default_factory=list)  # empty once any problem is found
    documents: list = field(default_factory=list)  # search documents of the public items, in order
    search: object = None  # the same, prepared for the index, without their term counts
    # (row, agency code, 文号, 索引号) of every row naming them, for the in-file repeat check (_SeenInFile)
    keys: list[tuple[int, str, str, str]] = field(default_factory=list)
    final: bool = False  # no rows: the end of the file, with rows_read = all rows and the term counts
    terms: Counter | None = None  # term counts of the search documents the batches before it carried


def run(path: Path, *, actor, lookups: Lookups, progress: Callable[[int], None] | None = None) -> int:
    problems: list[RowProblem] = []
    written = rows_read = 0
    with transaction.atomic(), _import_cache(), search_index.BulkWriter(bulk=True) as search_writer:
        writer = _Writer(actor=actor, note=f"从{path.name}导入", lookups=lookups, search_writer=search_writer)
        seen = _SeenInFile()
        for batch in _batches(path, lookups):
            repeated = seen.problems(batch.keys)
            flagged = {problem.row for problem in repeated}
            problems += batch.problems + repeated
            problems += writer.check([u for u in batch.unique if u[0] not in flagged])
            if not problems:
                writer.write(batch.items, batch.search)
                written += len(batch.items)
                if batch.terms:
                    search_writer.add_terms(batch.terms)
            if progress:
                for done in range(rows_read // 1000 + 1, batch.rows_read // 1000 + 1):
                    progress(done * 1000)
            rows_read = batch.rows_read
        if not problems and not rows_read:
            problems.append(RowProblem(0, "", "文件中没有数据行"))
        if problems:
            raise ImportRefused(sorted(problems, key=lambda problem: problem.row))
        writer.finish()
    return written


@contextlib.contextmanager
def _import_cache():
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


# --- checking and preparing (either process) -------------------------------------------------------

def prepare_batches(path: Path, lookups: Lookups, *, part: int = 0, parts: int = 1) -> Iterator[Batch]:
    """Read, check and prepare the rows of ``path``; uses no database. Of ``parts`` helpers sharing
    the file this one takes batch ``part`` and every ``parts``-th after it, then ends with a final
    batch carrying the term counts of its search documents."""
    terms = Counter()
    batch, clean, number = Batch(0), True, 0
    for number, row in enumerate(read_rows(path), start=1):
        if (number - 1) // BATCH_ROWS % parts != part:
            continue
        agency, data, row_problems = check_row(row, number, lookups)
        document_number = data.get("document_number", "") if agency is not None else ""
        index_number = data.get("index_number", "") if data else ""
        if document_number or index_number:
            batch.keys.append((number, agency.code if agency is not None else "", document_number, index_number))
        if row_problems:
            batch.problems += row_problems
            clean, batch.items, batch.documents = False, [], []
        else:
            batch.unique.append((number, agency.pk, document_number, index_number))
            if clean:
                batch.items.append(_prepared_row(batch, number, agency, data))
        if number % BATCH_ROWS == 0:
            batch.rows_read = number
            yield _with_search_documents(batch, terms)
            batch = Batch(number)
    if (number // BATCH_ROWS) % parts == part:  # the rows after the last full batch (perhaps none)
        batch.rows_read = number
        yield _with_search_documents(batch, terms)
    yield Batch(number, final=True, terms=terms)


class _SeenInFile:
    """文号 and 索引号 that an earlier row of the same file already used. Checked where the batches
    come together in file order, since each helper reads only some of them."""

    def __init__(self):
        self.numbers: dict[tuple[str, str], int] = {}
        self.index: dict[str, int] = {}

    def problems(self, keys: list[tuple[int, str, str, str]]) -> list[RowProblem]:
        problems = []
        for row, agency_code, document_number, index_number in keys:
            if document_number:
                first = self.numbers.setdefault((agency_code, document_number), row)
                if first != row:
                    problems.append(RowProblem(row, "document_number", f"与第{first}行的文号重复"))
            if index_number:
                first = self.index.setdefault(index_number, row)
                if first != row:
                    problems.append(RowProblem(row, "index_number", f"与第{first}行的索引号重复"))
        return problems


def _prepared_row(batch: Batch, number: int, agency, data: dict) -> PreparedRow:
    fields = {name: data[name] for name in (
        "title", "summary", "document_number", "publisher", "written_on", "published_on", "keywords", "validity",
        "validity_changed_on", "disclosure", "exemption_reason", "reassess_on", "body",
    )}
    fields.update(topic_id=data["topic"].pk, genre_id=data["genre"].pk)
    row = PreparedRow(number, agency.pk, fields, data["catalogue_node"].code, data.get("index_number", ""))
    if data["disclosure"] == Disclosure.PROACTIVE and agency.is_active:
        row.public = True
        # Identity (key, 索引号, link) is filled in once the item has an id.
        batch.documents.append(search_sync.document(
            key=f"row:{number}", agency_code=agency.code, index_number="", title=fields["title"],
            summary=fields["summary"], public_body=fields["body"], public_text=data["public_text"],
            document_number=fields["document_number"], keywords=fields["keywords"], attachments_text="",
            published_on=fields["published_on"], category=row.node_code, genre=data["genre"].code,
            validity=fields["validity"], url="",
        ))
    return row


def _with_search_documents(batch: Batch, terms: Counter) -> Batch:
    # The term counts are summed here and sent once, with the last batch: pickled with every
    # batch and added up there, they cost the writing process (the busier one) ~10 us per item.
    prepared = search_index.prepare_documents(batch.documents)
    terms.update(prepared.terms)
    batch.search = dataclasses.replace(prepared, terms=Counter())
    batch.documents = []
    return batch


# --- the helper process ----------------------------------------------------------------------------

def _helper_count(path: Path) -> int:
    """Helper processes for this file; 0: read it in this process."""
    cpus = os.cpu_count() or 1
    if cpus < 2 or path.stat().st_size < PARALLEL_MIN_BYTES:
        return 0
    return min(cpus, MAX_HELPERS)


def _batches(path: Path, lookups: Lookups) -> Iterator[Batch]:
    """The file's batches in order, then one final batch with the term counts of them all."""
    helpers = _helper_count(path)
    if not helpers:
        yield from prepare_batches(path, lookups)
        return
    # fork: the helpers inherit the lookups and loaded code instead of starting Django again. They
    # never touch the inherited database connection, and end with os._exit (multiprocessing), so
    # nothing of this process's state is closed or flushed by them.
    context = multiprocessing.get_context("fork")
    with tempfile.TemporaryDirectory(prefix="gongkai-import-") as spool:
        started: list[_Helper] = []
        try:
            for part in range(helpers):
                started.append(_Helper(context, path, lookups, part, helpers, Path(spool)))
            number = 0
            while not (batch := started[number % helpers].next()).final:
                yield batch
                number += 1
            # The helper due to send batch ``number`` has none: the file has ended. The others
            # have sent all of theirs, so their next message is their final batch too.
            finals = [batch] + [started[(number + k) % helpers].next() for k in range(1, helpers)]
            if not all(final.final for final in finals):
                raise RuntimeError("an import helper process sent a batch after the end of the file")
            terms = Counter()
            for final in finals:
                terms.update(final.terms)
            yield Batch(max(final.rows_read for final in finals), final=True, terms=terms)
        finally:
            for helper in started:
                helper.stop()


class _Helper:
    """One helper process and the pipe its batches' spool file names come through."""

    def __init__(self, context, path: Path, lookups: Lookups, part: int, parts: int, spool: Path):
        self.receiver, sender = context.Pipe(duplex=False)
        # Each helper has its own room: with a shared one, a helper that ran ahead could fill it
        # while the writer waits for the other's next batch, and neither would move again.
        self.room = context.BoundedSemaphore(SPOOL_BATCHES)
        self.process = context.Process(target=_produce, args=(path, lookups, part, parts, sender, spool, self.room),
                                       daemon=True)
        self.process.start()
        sender.close()

    def next(self) -> Batch:
        try:
            kind, *value = self.receiver.recv()
        except EOFError:
            self.process.join(5)  # its pipe closes a moment before it can be reaped: wait for the exit code
            raise RuntimeError(f"an import helper process ended unexpectedly (exit code {self.process.exitcode})") from None
        if kind == "batch":
            return _unspool(Path(value[0]), self.room)
        if kind == "refused":
            raise ImportRefused(value[0])
        if kind == "error":
            code, message, field_name = value
            raise ServiceError(code, message, field=field_name)
        raise RuntimeError(f"an import helper process failed:\n{value[0]}")

    def stop(self) -> None:
        self.receiver.close()
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()


# Batches travel through files in a temporary directory, not through the pipe: a pipe holds 64 KiB,
# so the helper could not finish sending a batch (about 20 MB pickled) until this process read it,
# and the two processes waited for each other — each was idle a third of the time when the writer
# flushed a window of search rows or the helper met a slow stretch of the file. A file is written
# to the page cache without waiting; the pipe carries only its name. Each helper may be this many
# batches ahead (disk and memory in use: as many pickled batches per helper).
SPOOL_BATCHES = 4


def _spool(batch: Batch, spool: Path, stem: str, room) -> str:
    room.acquire()
    path = spool / f"{stem}.pickle"
    with open(path, "wb") as file:
        pickle.dump(batch, file, protocol=pickle.HIGHEST_PROTOCOL)
    return str(path)


def _unspool(name: Path, room) -> Batch:
    with open(name, "rb") as file:
        batch = pickle.load(file)
    name.unlink()
    room.release()
    return batch


def _produce(path: Path, lookups: Lookups, part: int, parts: int, sender, spool: Path, room) -> None:
    os.nice(HELPER_NICENESS)
    try:
        for number, batch in enumerate(prepare_batches(path, lookups, part=part, parts=parts)):
            sender.send(("batch", _spool(batch, spool, f"{part}-{number}", room)))
    except ImportRefused as refused:
        sender.send(("refused", refused.problems))
    except ServiceError as error:
        sender.send(("error", error.code, error.message, error.field))
    except BaseException:  # noqa: BLE001 - reported to the writing process, which raises it
        sender.send(("crash", traceback.format_exc()))
    finally:
        sender.close()


# --- writing (this process, in the import's transaction) --------------------------------------------

class _Writer:
    def __init__(self, *, actor, note: str, lookups: Lookups, search_writer):
        self.actor, self.label, self.note = actor, actor_label(actor), note[:500]
        self.now = timezone.now()
        self.lookups, self.search_writer = lookups, search_writer
        self.agencies = {agency.pk: agency for agency in lookups.agencies.values()}
        self.nodes = {key: node.pk for key, node in lookups.nodes.items()}
        self.allocator = index_numbers.Allocator()
        self.url = search_sync.url_maker()
        actor_id = actor.pk if actor is not None else None
        self.audit_fixed = {"actor_id": actor_id, "actor_label": self.label, "action": Action.CREATE,
                            "object_type": "disclosure.item", "note": self.note}
        self.tables = {
            Item: _Table(Item, self.now, fixed={
                "version": 1, "first_published_at": self.now, "last_published_at": self.now, "created_by_id": actor_id,
            }),
            ItemVersion: _Table(ItemVersion, self.now, fixed={"number": 1, "created_by_id": actor_id, "note": "导入"}),
            AuditEntry: _Table(AuditEntry, self.now, fixed=self.audit_fixed),
        }
        self.first_id = float("inf")  # of the items this import creates
        self.item_table = connection.ops.quote_name(Item._meta.db_table)

    def check(self, unique: list[tuple[int, int, str, str]]) -> list[RowProblem]:
        """Rows whose 文号 or 索引号 an existing item already has (earlier rows of the file were
        checked against each other while reading, so a match here is never one of them)."""
        problems = []
        by_agency: dict[int, set[str]] = {}
        for _, agency_id, number, _ in unique:
            if number:
                by_agency.setdefault(agency_id, set()).add(number)
        used_numbers, used_index = set(), {}
        given = sorted({index_number for _, _, _, index_number in unique if index_number})
        # Raw SQL: building the ORM query for each agency of each batch cost more than running it.
        with connection.cursor() as cursor:
            for agency_id, numbers in by_agency.items():
                for chunk in _chunks(sorted(numbers)):
                    # The partial unique index's condition spelled as in its definition: SQLite
                    # uses the index only then ("<> ''" scans all the agency's items instead).
                    cursor.execute(f"SELECT agency_id, document_number FROM {self.item_table} "
                                   f"WHERE NOT (document_number = '') AND agency_id = %s AND document_number IN "
                                   f"({_placeholders(len(chunk))})", [agency_id, *chunk])
                    used_numbers.update(map(tuple, cursor.fetchall()))
            for chunk in _chunks(given):
                cursor.execute(f"SELECT index_number, id FROM {self.item_table} WHERE index_number IN "
                               f"({_placeholders(len(chunk))})", chunk)
                used_index.update(cursor.fetchall())
        for row, agency_id, number, index_number in unique:
            if (agency_id, number) in used_numbers:
                problems.append(RowProblem(row, "document_number", f"本机构已有文号为“{number}”的信息。"))
            if index_number in used_index and used_index[index_number] >= self.first_id:
                # Allocated to an earlier row of this file: the counter cannot know numbers it has
                # not read yet (docs/import-export.md, Legacy 索引号).
                problems.append(RowProblem(row, "index_number", f"索引号“{index_number}”已自动分配给本文件中前面的一行；"
                                           "请把此行移到文件开头，或将索引号留空"))
            elif index_number in used_index:
                problems.append(RowProblem(row, "index_number", f"索引号“{index_number}”已存在"))
        return problems

    def write(self, rows: list[PreparedRow], search) -> None:
        if not rows:
            return
        given = {row.index_number for row in rows if row.index_number}
        for row in rows:
            if row.index_number:
                self.allocator.reserve(self.agencies[row.agency_id], row.index_number)
        requests = [(self.agencies[row.agency_id], row.fields["published_on"].year) for row in rows if not row.index_number]
        allocated = iter(self.allocator.allocate(requests, also_taken=given))
        items = []
        for row in rows:
            status = Status.PUBLISHED if row.fields["disclosure"] == Disclosure.PROACTIVE else Status.REGISTERED
            items.append({
                **row.fields, "agency_id": row.agency_id, "catalogue_node_id": self._node(row),
                "public_body": row.fields["body"], "index_number": row.index_number or next(allocated),
                "status": status,
            })
        with connection.cursor() as cursor:
            ids = self.tables[Item].insert(cursor, items)
            self.first_id = min(self.first_id, ids[0])
            self.tables[ItemVersion].insert(cursor, [
                {"item_id": pk, "title": item["title"], "public_body": item["public_body"]}
                for pk, item in zip(ids, items, strict=True)
            ])
            audit_rows = [
                {"object_id": str(pk), "object_repr": item["title"][:255], "agency_id": item["agency_id"],
                 "after": {"index_number": item["index_number"], "title": item["title"], "status": item["status"]}}
                for pk, item in zip(ids, items, strict=True)
            ]
            self.tables[AuditEntry].insert(cursor, self._sealed(audit_rows))
        public = [(pk, item) for pk, row, item in zip(ids, rows, items, strict=True) if row.public]
        self.search_writer.write(search_index.with_identity(search, [
            (f"item:{pk}", item["index_number"], self.url(self.agencies[item["agency_id"]].code, pk))
            for pk, item in public
        ]))

    def _sealed(self, audit_rows: list[dict]) -> list[dict]:
        """The rows with their place in the audit hash chain (audit/chain.py), sealed under its
        lock in this transaction from the same values the INSERT writes."""
        entries = [AuditEntry(at=self.now, **self.audit_fixed, **row) for row in audit_rows]
        chain.seal(entries)
        return [{**row, "at": self.now, "seq": entry.seq, "digest": entry.digest}
                for row, entry in zip(audit_rows, entries, strict=True)]

    def _node(self, row: PreparedRow) -> int:
        key = (row.agency_id, row.node_code)
        if key not in self.nodes and row.agency_id in self.lookups.unseeded:
            ensure_catalogue(self.agencies[row.agency_id])
            self.nodes.update(
                ((row.agency_id, code), pk)
                for code, pk in CatalogueNode.objects.filter(agency_id=row.agency_id).values_list("code", "pk")
            )
        return self.nodes[key]

    def finish(self) -> None:
        self.allocator.save()


class _Table:
    """Rows of one model inserted with executemany: the per-object work of ``bulk_create``
    (building model instances and an INSERT of a few dozen rows at a time) cost more than the
    database's own work. Unset columns get the ``fixed`` value (the same in every row of the
    import), else the field's default, auto_now columns the import time; values are adapted as
    Django would for this database, fixed ones once. Ids are taken up front (SQLite: past
    the highest ever used, under the write lock an IMMEDIATE transaction holds; PostgreSQL: from
    the table's sequence), so the rows can be inserted without returning them."""

    def __init__(self, model, now, fixed: dict | None = None):
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key and not f.generated]
        self.table = model._meta.db_table
        ops = connection.ops
        fixed = fixed or {}
        self.columns = []  # (attname, default, adapt)
        for f in self.fields:
            if f.get_internal_type() == "DateTimeField":
                adapt = ops.adapt_datetimefield_value
            elif f.get_internal_type() == "DateField":
                adapt = ops.adapt_datefield_value
            elif f.get_internal_type() == "JSONField":
                adapt = lambda value, f=f: f.get_db_prep_save(value, connection)  # noqa: E731
            else:
                adapt = None
            if f.attname in fixed:
                value = fixed[f.attname]
                default = adapt(value) if adapt is not None and value is not None else value
            elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                default = ops.adapt_datetimefield_value(now)
            else:
                default = f.get_db_prep_save(f.get_default(), connection)
            self.columns.append((f.attname, default, adapt))
        quote = connection.ops.quote_name
        names = ", ".join(quote(c) for c in [model._meta.pk.column, *(f.column for f in self.fields)])
        self.sql = f"INSERT INTO {quote(self.table)} ({names}) VALUES ({', '.join(['%s'] * (len(self.fields) + 1))})"

    def insert(self, cursor, rows: list[dict]) -> list[int]:
        ids = self._ids(cursor, len(rows))
        values = []
        for pk, row in zip(ids, rows, strict=True):
            out = [pk]
            for name, default, adapt in self.columns:
                if name in row:
                    value = row[name]
                    out.append(adapt(value) if adapt is not None and value is not None else value)
                else:
                    out.append(default)
            values.append(out)
        cursor.executemany(self.sql, values)
        return ids

    def _ids(self, cursor, count: int) -> list[int]:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [self.table, self.model._meta.pk.column, count])
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT max({self.model._meta.pk.column}) FROM {self.table}")
        highest = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [self.table])
        row = cursor.fetchone()
        first = max(highest, row[0] if row else 0) + 1  # AUTOINCREMENT: never reuse an id
        return list(range(first, first + count))


def _placeholders(count: int) -> str:
    return ", ".join(["%s"] * count)


def _chunks(values: list, size: int = 500) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start:start + size]
