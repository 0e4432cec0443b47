"""The search index: the one door for writing it and the one function for reading it.

The index lives in the main database and every write runs in the caller's transaction, so an item
is searchable exactly when the transaction that published it commits, and a withdrawal that rolls
back leaves it searchable. Engines: SQLite FTS5 (sqlite_fts.py) and a PostgreSQL GIN array
(postgres_grams.py); both return the same hits in the same order. Why these: docs/search.md.

Matching: an item matches when ``normalise(query)`` is a substring of its normalised title, body
or attachment text (see normalise.py). Order: items whose title matches first, then newest
``published_at`` first, then ``key`` (code-point order) as the final tie-break.
"""

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils.safestring import SafeString

from gongkai.search import highlight, postgres_grams, sqlite_fts
from gongkai.search.documents import FIELD_JOIN, PreparedBatch, SearchDocument, batched
from gongkai.search.models import SearchEntry
from gongkai.search.normalise import normalise
from gongkai.search.query import check_page, parse

__all__ = [
    "BulkWriter", "Hit", "SearchDocument", "SearchPage", "index_documents", "normalise", "prepare_documents", "rebuild",
    "remove_documents", "search", "with_identity",
]

# Items prepared and written per step: bounds the memory of a whole-portal rebuild while still
# amortising the per-statement overhead.
_BATCH = 500


@dataclass(frozen=True)
class Hit:
    key: str
    agency_code: str
    index_number: str
    title: str
    url: str
    published_at: dt.datetime
    title_highlighted: SafeString  # escaped title with every match in <mark>
    snippet: SafeString  # escaped, about 80 characters around the first body/attachment match
    in_title: bool


@dataclass(frozen=True)
class SearchPage:
    total: int  # exact number of matching items
    page: int
    per_page: int
    hits: list[Hit]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _engine():
    if connection.vendor == "sqlite":
        return sqlite_fts
    if connection.vendor == "postgresql":
        return postgres_grams
    raise NotImplementedError(f"search is not implemented for {connection.vendor}")


def index_documents(docs: Iterable[SearchDocument]) -> None:
    """Add or replace documents (by key). Call it in the transaction that publishes or edits them."""
    # Preparing batches in a helper thread was tried and lost throughput (docs/search.md): the thread holding the
    # GIL makes the writing thread wait for it after every SQLite step (GIL convoy). A bulk load
    # prepares in another process instead (prepare_documents + BulkWriter, as imports do).
    with BulkWriter() as writer:
        for batch in _unique_batches(docs):
            writer.write(prepare_documents(batch))


def prepare_documents(docs: list[SearchDocument]) -> PreparedBatch:
    """The database-free part of indexing ``docs`` (normalising, terms): most of the CPU time of
    indexing, and safe to run in another process. Keys must be unique within the list."""
    return _engine().prepare_batch(docs)


def with_identity(prepared: PreparedBatch, identities: list[tuple[str, str, str]]) -> PreparedBatch:
    """``prepared`` with each document's (key, index_number, url) replaced, in the same order: for
    callers that prepare documents before the rows they describe have their ids."""
    rows = [
        (dataclasses.replace(row, key=key, index_number=index_number, url=url), payload)
        for (row, payload), (key, index_number, url) in zip(prepared.rows, identities, strict=True)
    ]
    return PreparedBatch(rows, prepared.terms)


class BulkWriter:
    """Writes prepared batches in one transaction (the caller's, if any) and applies the
    term-count changes of all of them once, when the block ends. ``bulk=True`` for loads of many
    thousands of documents (imports, rebuilds): the engine may then hold rows back and write them
    in larger sorted runs before the block ends."""

    def __init__(self, *, bulk: bool = False):
        self.bulk = bulk

    def __enter__(self):
        self.engine = _engine()
        self.adapt = connection.ops.adapt_datetimefield_value
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.cursor = connection.cursor()
        self.terms, self.state = Counter(), {"bulk": self.bulk}
        return self

    def write(self, prepared: PreparedBatch) -> None:
        if prepared.rows:
            self.engine.write_batch(self.cursor, prepared, self.adapt, self.terms, self.state)

    def add_terms(self, terms: Counter) -> None:
        """Term counts of documents written as batches whose own counts were left empty: a bulk
        load that prepares in another process sums them there and hands them over once, instead
        of sending and adding up a Counter per batch."""
        self.terms.update(terms)

    def __exit__(self, exc_type, exc, traceback):
        failed = None
        if exc_type is None:
            try:
                self.engine.flush(self.cursor, self.terms, self.state)
            except BaseException as error:  # roll back, then let it propagate
                failed, exc_type, exc, traceback = error, type(error), error, error.__traceback__
        self.cursor.close()
        self.atomic.__exit__(exc_type, exc, traceback)
        if failed is not None:
            raise failed
        return False


def _unique_batches(docs: Iterable[SearchDocument]) -> Iterator[list[SearchDocument]]:
    pending: dict[str, SearchDocument] = {}
    for doc in docs:
        pending.pop(doc.key, None)  # the last version of a key in one call wins
        pending[doc.key] = doc
        if len(pending) >= _BATCH:
            yield list(pending.values())
            pending = {}
    if pending:
        yield list(pending.values())


def remove_documents(keys: Iterable[str]) -> None:
    """Take documents out of the index (repeal of publication, withdrawal, deletion). Unknown keys are ignored."""
    engine = _engine()
    with transaction.atomic(), connection.cursor() as cursor:
        for batch in batched(keys, _BATCH):
            engine.delete(cursor, list(dict.fromkeys(batch)))


def rebuild(docs: Iterable[SearchDocument]) -> None:
    """Empty the index and fill it from ``docs`` (every published item), in one transaction."""
    engine = _engine()
    with transaction.atomic():
        with connection.cursor() as cursor:
            engine.clear(cursor)
        with BulkWriter(bulk=True) as writer:
            for batch in _unique_batches(docs):
                writer.write(prepare_documents(batch))
        with connection.cursor() as cursor:
            engine.optimise(cursor)


def search(
    query: str, *, agency_codes: Collection[str] | None = None, category: str | None = None,
    year: int | None = None, validity: str | None = None, genre: str | None = None, page: int = 1,
    per_page: int = 20,
) -> SearchPage:
    """One page of the items containing ``query``. ``agency_codes=[]`` matches nothing."""
    parsed = parse(query, agency_codes=agency_codes, category=category, year=year, validity=validity, genre=genre)
    check_page(page, per_page)
    if parsed.agency_codes == ():
        return SearchPage(0, page, per_page, [])
    with connection.cursor() as cursor:
        total, ids = _engine().find(cursor, parsed, (page - 1) * per_page, per_page)
    entries = SearchEntry.objects.in_bulk(ids)
    # The ids and the rows are read by separate statements; an item withdrawn by a transaction
    # that committed in between is simply left out of this page.
    return SearchPage(total, page, per_page, [_hit(entries[i], parsed.text) for i in ids if i in entries])


def _hit(entry: SearchEntry, text: str) -> Hit:
    return Hit(
        key=entry.key, agency_code=entry.agency_code, index_number=entry.index_number, title=entry.title,
        url=entry.url, published_at=entry.published_at,
        title_highlighted=highlight.highlight_all(entry.title, text),
        snippet=highlight.snippet(
            [entry.body, entry.attachments_text], text, entry.text_normalised.split(FIELD_JOIN)
        ),
        in_title=text in entry.title_normalised,
    )


