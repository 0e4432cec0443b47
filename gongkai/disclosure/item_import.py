"""Importing an item file (docs/import-export.md): every row is checked first, then the items are
written in batches, each committed together with the record of how far the file has got.

The first pass checks every row — its own checks (item_files.check_row), 文号 and 索引号 repeated
in the file, 文号 and 索引号 already used by existing items — and writes nothing: a file with any
problem is refused whole, with every problem listed.

The second pass builds each batch's rows with the services' row builders (``services.new_item``,
``mark_published``, ``new_version``, ``creation_entry``: the same item, version and audit content
as an item created and published through the desk), inserts them with ``bulk_create``, indexes the
public ones and commits, with ``ImportRun.rows_done`` in the same transaction. The rows of a batch
are checked and their search documents prepared before its transaction begins, so the write lock
is held only while the batch is written and other writers (a public submission) get their turn
between batches. Killed, the same command on the same file (known by its SHA-256, checked whole
already) continues after the last committed batch.
"""

import contextlib
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from gongkai.audit.services import record_many
from gongkai.disclosure import index_numbers, search_sync, services
from gongkai.disclosure.catalogue import ensure_catalogue
from gongkai.disclosure.item_files import READERS, ImportRefused, Lookups, RowProblem, check_row, read_rows
from gongkai.disclosure.models import CatalogueNode, Disclosure, ImportRun, Item, ItemVersion
from gongkai.errors import ServiceError
from gongkai.search import index as search_index

BATCH_ROWS = 1000
# SQLite page cache of the importing connection while it writes (default 2 MiB). The item table's
# indexes and the search tables' take rows in no useful order; with a small cache their pages are
# evicted and re-read between batches (docs/import-export.md).
IMPORT_CACHE_KIB = 256 * 1024
# The columns of an import row that are Item fields as they are (the foreign keys are added).
ITEM_FIELDS = (
    "title", "summary", "document_number", "publisher", "written_on", "published_on", "keywords", "validity",
    "validity_changed_on", "disclosure", "exemption_reason", "reassess_on",
)

# progress(rows_done, rows_total): while the file is being checked, rows checked so far and None
# (the total is known at its end); then, after each committed batch, rows imported and the total.
Progress = Callable[[int, int | None], None]


def import_items(path: Path, *, actor, progress: Progress | None = None) -> int:
    """Check every row of ``path`` and, only if none has a problem, create its items in committed
    batches; an unfinished import of the same file is continued. Returns the items created by this
    call. Raises ImportRefused (nothing written by this call) or ServiceError."""
    if path.suffix.lower() not in READERS:
        raise ServiceError("IMPORT_FORMAT_UNKNOWN", "只支持 .csv、.xlsx 和 .jsonl 文件。")
    digest = file_sha256(path)
    lookups = Lookups(actor)
    run = ImportRun.objects.filter(sha256=digest, finished_at__isnull=True).first()
    if run is None:
        done = ImportRun.objects.filter(sha256=digest).order_by("-finished_at").first()
        if done is not None:
            raise ServiceError("IMPORT_ALREADY_DONE", f"该文件已于{timezone.localtime(done.finished_at):%Y年%-m月%-d日 %H:%M}"
                               f"导入（{done.rows_done}条），不再重复导入。")
        rows_total, highest_serials = check_file(path, lookups, progress)
        run = _start(path, digest, rows_total, highest_serials, actor)
    rows_before = run.rows_done
    with _import_cache():
        _write(path, run, actor=actor, lookups=lookups, progress=progress)
    return run.rows_done - rows_before


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(2**20):
            digest.update(chunk)
    return digest.hexdigest()


def _start(path: Path, digest: str, rows_total: int, highest_serials: dict, actor) -> ImportRun:
    try:
        with transaction.atomic():
            run = ImportRun.objects.create(sha256=digest, file_name=path.name[:255], rows_total=rows_total,
                                           created_by=actor)
            # Legacy numbers in the platform's own layout move their counters past them before any
            # row is given a number, so no earlier row of the file can be given one of them.
            allocator = index_numbers.Allocator()
            for (agency, year), serial in highest_serials.items():
                allocator.reserve(agency, index_numbers.format_index_number(agency.code, year, serial))
            allocator.save()
    except IntegrityError:  # import_run_one_open_per_file: the same file was started meanwhile
        raise ServiceError("IMPORT_RUNNING", "该文件正在由另一个导入任务导入。") from None
    return run


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


# --- reading and checking --------------------------------------------------------------------------

@dataclass
class Batch:
    last_row: int = 0  # number of the last row read (rows count from 1)
    rows: list[tuple[int, object, dict]] = field(default_factory=list)  # (row, agency, checked data)
    problems: list[RowProblem] = field(default_factory=list)


def batches(path: Path, lookups: Lookups, *, skip: int = 0, scan_pii: bool = True) -> Iterator[Batch]:
    """The rows after the first ``skip``, checked, in batches of BATCH_ROWS."""
    batch = Batch()
    for number, row in enumerate(read_rows(path), start=1):
        if number <= skip:
            continue
        agency, data, problems = check_row(row, number, lookups, scan_pii=scan_pii)
        batch.last_row = number
        if problems:
            batch.problems += problems
        batch.rows.append((number, agency, data))
        if len(batch.rows) == BATCH_ROWS:
            yield batch
            batch = Batch()
    if batch.rows:
        yield batch


def check_file(path: Path, lookups: Lookups, progress: Progress | None = None) -> tuple[int, dict]:
    """Every problem of the file, raised as ImportRefused; else its number of rows and, per
    (agency, year), the highest serial of its legacy 索引号 in the platform's layout."""
    problems: list[RowProblem] = []
    numbers: dict[tuple[int, str], int] = {}  # (agency id, 文号) -> first row using it
    given: dict[str, int] = {}  # 索引号 -> first row using it
    highest: dict[tuple, int] = {}
    rows_read = 0
    for batch in batches(path, lookups):
        problems += batch.problems
        flagged = {problem.row for problem in batch.problems}
        unique = []
        for number, agency, data in batch.rows:
            if agency is None:
                continue
            document_number, index_number = data.get("document_number", ""), data.get("index_number", "")
            if document_number:
                first = numbers.setdefault((agency.pk, document_number), number)
                if first != number:
                    problems.append(RowProblem(number, "document_number", f"与第{first}行的文号重复"))
                    flagged.add(number)
            if index_number:
                first = given.setdefault(index_number, number)
                if first != number:
                    problems.append(RowProblem(number, "index_number", f"与第{first}行的索引号重复"))
                    flagged.add(number)
                elif (found := index_numbers.layout_serial(agency.code, index_number)) is not None:
                    key = (agency, found[0])
                    highest[key] = max(highest.get(key, 0), found[1])
            if number not in flagged:
                unique.append((number, agency, data))
        problems += used_elsewhere(unique)
        rows_read = batch.last_row
        if progress:
            progress(rows_read, None)
    if not problems and not rows_read:
        problems.append(RowProblem(0, "", "文件中没有数据行"))
    if problems:
        raise ImportRefused(sorted(problems, key=lambda problem: problem.row))
    return rows_read, highest


def used_elsewhere(rows: list[tuple[int, object, dict]]) -> list[RowProblem]:
    """Rows whose 文号 (within the agency) or 索引号 an existing item already has."""
    by_agency: dict[int, set[str]] = {}
    for _, agency, data in rows:
        if data.get("document_number"):
            by_agency.setdefault(agency.pk, set()).add(data["document_number"])
    given = sorted({data["index_number"] for _, _, data in rows if data.get("index_number")})
    used_numbers, used_index = set(), set()
    for agency_id, numbers in by_agency.items():
        for chunk in _chunks(sorted(numbers)):
            # exclude(document_number="") spells the partial unique index's condition, so SQLite uses it.
            used_numbers.update(Item.objects.exclude(document_number="").filter(
                agency_id=agency_id, document_number__in=chunk).values_list("agency_id", "document_number"))
    for chunk in _chunks(given):
        used_index.update(Item.objects.filter(index_number__in=chunk).values_list("index_number", flat=True))
    problems = []
    for number, agency, data in rows:
        if (agency.pk, data.get("document_number")) in used_numbers:
            problems.append(RowProblem(number, "document_number", f"本机构已有文号为“{data['document_number']}”的信息。"))
        if data.get("index_number") in used_index:
            problems.append(RowProblem(number, "index_number", f"索引号“{data['index_number']}”已存在"))
    return problems


def _chunks(values: list, size: int = 500) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


# --- writing -------------------------------------------------------------------------------------

def _write(path: Path, run: ImportRun, *, actor, lookups: Lookups, progress: Progress | None) -> None:
    writer = _BatchWriter(actor=actor, note=f"从{path.name}导入", lookups=lookups)
    # The file (the same bytes: its SHA-256) was checked whole, personal information included,
    # before the first batch: the rows are checked again for their cleaned values, without the scan.
    for batch in batches(path, lookups, skip=run.rows_done, scan_pii=False):
        if batch.problems:  # the file was checked whole: only a change of the lookups gets here
            raise ImportRefused(batch.problems, imported=run.rows_done)
        documents = writer.search_documents(batch.rows)
        with transaction.atomic():
            locked = ImportRun.objects.select_for_update().get(pk=run.pk)
            if locked.rows_done != run.rows_done or locked.finished_at is not None:
                raise ServiceError("IMPORT_RUNNING", "该文件正在由另一个导入任务导入。")
            # Items created since the file was checked (by the desk, or another import).
            problems = used_elsewhere(batch.rows)
            if problems:
                raise ImportRefused(problems, imported=run.rows_done)
            writer.write(batch.rows, documents)
            run.rows_done = batch.last_row
            if run.rows_done == run.rows_total:
                run.finished_at = timezone.now()
            run.save(update_fields=["rows_done", "finished_at"])
        if progress:
            progress(run.rows_done, run.rows_total)


class _BatchWriter:
    def __init__(self, *, actor, note: str, lookups: Lookups):
        self.actor, self.note, self.lookups = actor, note[:500], lookups
        self.url = search_sync.url_maker()
        self.nodes: dict[tuple[int, str], CatalogueNode] = {}

    def search_documents(self, rows: list[tuple[int, object, dict]]):
        """The public rows' search documents, prepared before the batch's transaction (most of the
        CPU time of indexing); their identity is filled in once the items have ids."""
        documents = []
        for number, agency, data in rows:
            if self._public(agency, data):
                documents.append(search_sync.document(
                    key=f"row:{number}", agency_code=agency.code, index_number="", title=data["title"],
                    summary=data["summary"], public_body=data["body"], public_text=data["public_text"],
                    document_number=data["document_number"], keywords=data["keywords"], attachments_text="",
                    published_on=data["published_on"], category=data["catalogue_node"].code, genre=data["genre"].code,
                    validity=data["validity"], url="",
                ))
        return search_index.prepare_documents(documents)

    @staticmethod
    def _public(agency, data) -> bool:
        return data["disclosure"] == Disclosure.PROACTIVE and agency.is_active

    def write(self, rows: list[tuple[int, object, dict]], documents) -> None:
        now = timezone.now()
        allocator = index_numbers.Allocator()
        numbers = iter(allocator.allocate([(agency, data["published_on"].year) for _, agency, data in rows
                                           if not data.get("index_number")]))
        items = []
        for _, agency, data in rows:
            cleaned = {name: data[name] for name in ITEM_FIELDS}
            cleaned.update(topic=data["topic"], genre=data["genre"], catalogue_node=self._node(agency, data))
            item = services.new_item(actor=self.actor, agency=agency, cleaned=cleaned, body=data["body"])
            services.mark_published(item, index_number=data.get("index_number") or next(numbers), now=now)
            items.append(item)
        allocator.save()
        Item.objects.bulk_create(items)
        # Imported items have no attachments: their pictures need not read them.
        pictures = [services.audit_picture(item, attachments=()) for item in items]
        ItemVersion.objects.bulk_create([services.new_version(item, self.actor, note="导入", picture=picture)
                                         for item, picture in zip(items, pictures, strict=True)])
        record_many([services.creation_entry(item, self.actor, note=self.note, picture=picture)
                     for item, picture in zip(items, pictures, strict=True)])
        public = [item for (_, agency, data), item in zip(rows, items, strict=True) if self._public(agency, data)]
        with search_index.BulkWriter(bulk=True) as search_writer:
            search_writer.write(search_index.with_identity(documents, [
                (search_sync.key_for(item), item.index_number, self.url(item.agency.code, item.pk)) for item in public
            ]))

    def _node(self, agency, data) -> CatalogueNode:
        node = data["catalogue_node"]
        if node.pk is not None:
            return node
        # An agency that predates catalogues gets the default one with its first imported row.
        key = (agency.pk, node.code)
        if key not in self.nodes:
            ensure_catalogue(agency)
            self.nodes.update(((agency.pk, n.code), n) for n in CatalogueNode.objects.filter(agency=agency))
        return self.nodes[key]
