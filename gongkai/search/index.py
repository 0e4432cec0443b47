"""The search index: the one door for writing it and the one function for reading it.

The index lives in the main database and every write runs in the caller's transaction, so an item
is searchable exactly when the transaction that published it commits, and a withdrawal that rolls
back leaves it searchable. Engines: SQLite FTS5 (sqlite_fts.py) and a PostgreSQL GIN array
(postgres_grams.py); both return the same hits in the same order. Why these: docs/search.md.

Matching: an item matches when ``normalise(query)`` is a substring of its normalised title, body
or attachment text (see normalise.py). Order: items whose title matches first, then newest
``published_at`` first, then ``key`` (code-point order) as the final tie-break.
"""

import datetime as dt
from collections import Counter
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils.safestring import SafeString

from gongkai.search import highlight, postgres_grams, sqlite_fts
from gongkai.search.documents import FIELD_JOIN, SearchDocument, batched
from gongkai.search.models import SearchEntry
from gongkai.search.normalise import normalise
from gongkai.search.query import check_page, parse

__all__ = [
    "Hit", "SearchDocument", "SearchPage", "index_documents", "normalise", "rebuild", "remove_documents", "search",
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
    engine = _engine()
    adapt = connection.ops.adapt_datetimefield_value
    # Preparing batches in a helper thread was tried and halved throughput: the thread holding the
    # GIL makes the writing thread wait for it after every SQLite step (GIL convoy).
    with transaction.atomic(), connection.cursor() as cursor:
        terms = Counter()
        for batch in _unique_batches(docs):
            engine.write_batch(cursor, engine.prepare_batch(batch), adapt, terms)
        engine.flush(cursor, terms)


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
        index_documents(docs)
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


