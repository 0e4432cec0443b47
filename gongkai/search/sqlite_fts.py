"""The SQLite engine: one contentless FTS5 table over the bigram token stream (see grams.py).

The FTS5 rowid is the entry's ``rank``: UTC day of publication << 20 | slot. FTS5 walks matches
in rowid order, so ``ORDER BY rowid DESC LIMIT n`` yields the newest days first and stops after a
page instead of sorting every match; only the days that straddle the page are sorted exactly
(published_at, then key) in Python. Day buckets keep rowid gaps small, and FTS5 stores rowid
gaps as varints: second-resolution rowids made the index much larger (docs/search.md).
"""

import itertools
import logging
from collections import Counter

from gongkai.search import grams
from gongkai.search.documents import (
    ENTRY_COLUMNS,
    FIELD_JOIN,
    PreparedBatch,
    SearchDocument,
    batched,
    filter_pairs,
    prepare,
)
from gongkai.search.query import SearchQuery

logger = logging.getLogger(__name__)

FTS_TABLE = "search_fts"
# How many items contain each one- and two-character term: an unfiltered one- or two-character
# query (most queries) is a single term, so its exact total is one lookup here instead of a walk
# over a posting list that can hold every item. Kept in step in the same statements as the index.
DOCFREQ_TABLE = "search_fts_docfreq"
DOCFREQ_CREATE_SQL = f"CREATE TABLE {DOCFREQ_TABLE} (term TEXT PRIMARY KEY, docs INTEGER NOT NULL) WITHOUT ROWID"
ENTRY_TABLE = "search_searchentry"
SLOT_BITS = 20
_EPOCH_ORDINAL = 693596  # date(1900, 1, 1).toordinal()


# FTS5 collects new rows in memory and writes a segment when this many bytes are pending (default
# 1 MB); a batch of items holds many megabytes of postings, and fewer, larger segments mean less merging.
HASH_BYTES = 16 * 2**20
# A bulk load (an import, a rebuild) hands FTS5 windows of this many rows sorted by rowid, with a
# pending segment large enough to hold them, and lets 16 segments collect on a level before they
# are merged instead of 4: each posting is then rewritten fewer times (measured in docs/search.md).
# The settings are restored when the load ends; the final merge (optimise) is unchanged.
BULK_WINDOW = 5000
BULK_HASH_BYTES = 64 * 2**20
BULK_AUTOMERGE = 16
AUTOMERGE = 4  # FTS5's default


def create_sql() -> list[str]:
    # Inside tokenize="..." the option list is FTS5 syntax: '' escapes a quote in the quoted
    # tokenchars string, "" a double quote in the outer one.
    chars = grams.TOKEN_CHARS.replace("'", "''").replace('"', '""')
    return [
        f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(g, content='', columnsize=0, detail=full, "
        f"tokenize=\"ascii tokenchars '{chars}'\")",
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('hashsize', {HASH_BYTES})",
    ]


def _day(row_published_at) -> int:
    return row_published_at.date().toordinal() - _EPOCH_ORDINAL


def _document(title_normalised: str, text_normalised: str, filters) -> tuple[str, set[str]]:
    return grams.fts_document(title_normalised, text_normalised.split(FIELD_JOIN), filters)


def _placeholders(n: int) -> str:
    return ",".join(["%s"] * n)


def _existing(cursor, keys: list[str]) -> dict[str, tuple]:
    found = {}
    for chunk in batched(keys, 500):
        cursor.execute(
            f"SELECT key, id, rank, title_normalised, text_normalised, agency_code, category, genre, validity, year "
            f"FROM {ENTRY_TABLE} WHERE key IN ({_placeholders(len(chunk))})", chunk,
        )
        for row in cursor.fetchall():
            found[row[0]] = row[1:]
    return found


def _old_document(old: tuple) -> tuple[str, set[str]]:
    _id, _rank, title_n, text_n, agency, category, genre, validity, year = old
    return _document(title_n, text_n, filter_pairs(agency, category, genre, validity, year))


def _count_terms(cursor, change: Counter) -> None:
    deltas = sorted((term, delta) for term, delta in change.items() if delta)
    if deltas:
        cursor.executemany(
            f"INSERT INTO {DOCFREQ_TABLE}(term, docs) VALUES (%s, %s) "
            f"ON CONFLICT(term) DO UPDATE SET docs = docs + excluded.docs",
            deltas,
        )


class _Slots:
    """Hands out unused ranks per day: the highest rank already used that day, plus one."""

    def __init__(self, cursor):
        self.cursor = cursor
        self.next: dict[int, int] = {}

    def take(self, day: int) -> int:
        if day not in self.next:
            low = day << SLOT_BITS
            self.cursor.execute(
                f"SELECT max(rank) FROM {ENTRY_TABLE} WHERE rank >= %s AND rank < %s", [low, low + (1 << SLOT_BITS)]
            )
            highest = self.cursor.fetchone()[0]
            self.next[day] = low if highest is None else highest + 1
        rank = self.next[day]
        if rank >> SLOT_BITS != day:
            raise ValueError(f"more than {1 << SLOT_BITS} search entries published on one day")
        self.next[day] = rank + 1
        return rank


def prepare_batch(docs: list[SearchDocument]) -> PreparedBatch:
    """The database-free part of indexing (most of its CPU time): rows with their FTS5 documents,
    in the docs' order, and their term counts."""
    rows, terms = [], Counter()
    for doc in docs:
        row = prepare(doc)
        tokens, row_terms = _document(row.title_normalised, row.text_normalised, row.filters())
        rows.append((row, tokens))
        terms.update(row_terms)
    return PreparedBatch(rows, terms)


def write_batch(cursor, prepared: PreparedBatch, adapt, terms: Counter, state: dict | None = None) -> None:
    """Write one prepared batch; its term-count changes are added to ``terms`` for ``flush``.

    ``state`` carries what one writing transaction has learnt between batches (the next free rank
    of each day), so a bulk load asks for each day's highest rank once, not once per batch.
    """
    state = {} if state is None else state
    existing = _existing(cursor, [row.key for row, _ in prepared.rows])
    slots = state.setdefault("slots", _Slots(cursor))
    fts_deletes, fts_inserts, updates, inserts = [], [], [], []
    published_at = ENTRY_COLUMNS.index("published_at")
    for row, tokens in prepared.rows:
        old = existing.get(row.key)
        values = list(row.values())
        values[published_at] = adapt(row.published_at)
        if old is None:
            rank = slots.take(_day(row.published_at))
            inserts.append([*values, rank])
            fts_inserts.append((rank, tokens))
            continue
        entry_id, old_rank = old[0], old[1]
        rank = old_rank if old_rank >> SLOT_BITS == _day(row.published_at) else slots.take(_day(row.published_at))
        old_tokens, old_terms = _old_document(old)
        terms.subtract(old_terms)  # prepared.terms counts the new version of every row
        if rank != old_rank or tokens != old_tokens:
            fts_deletes.append(("delete", old_rank, old_tokens))
            fts_inserts.append((rank, tokens))
        updates.append([*values, rank, entry_id])
    terms.update(prepared.terms)
    # FTS5 flushes its in-memory segment whenever a rowid is lower than the previous one, so
    # unsorted ranks (items of many days in one batch) made a tiny segment per row (docs/search.md).
    fts_deletes.sort(key=lambda op: op[1])
    if fts_deletes:
        _insert_fts(cursor, state)  # a pending row may be the one deleted
        cursor.executemany(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, g) VALUES (%s, %s, %s)", fts_deletes)
    if updates:
        assignments = ", ".join(f"{column} = %s" for column in (*ENTRY_COLUMNS, "rank"))
        cursor.executemany(f"UPDATE {ENTRY_TABLE} SET {assignments} WHERE id = %s", updates)
    if inserts:
        cursor.executemany(
            f"INSERT INTO {ENTRY_TABLE} ({', '.join(ENTRY_COLUMNS)}, rank) "
            f"VALUES ({_placeholders(len(ENTRY_COLUMNS) + 1)})",
            inserts,
        )
    state.setdefault("fts_pending", []).extend(fts_inserts)
    if not state.get("bulk") or len(state["fts_pending"]) >= BULK_WINDOW:
        _insert_fts(cursor, state)


def _insert_fts(cursor, state: dict) -> None:
    pending = state.get("fts_pending")
    if not pending:
        return
    if state.get("bulk") and not state.get("bulk_settings"):
        state["bulk_settings"] = True
        _configure(cursor, BULK_HASH_BYTES, BULK_AUTOMERGE)
    pending.sort()
    cursor.executemany(f"INSERT INTO {FTS_TABLE}(rowid, g) VALUES (%s, %s)", pending)
    state["fts_pending"] = []


def _configure(cursor, hash_bytes: int, automerge: int) -> None:
    cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('hashsize', %s)", [hash_bytes])
    cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('automerge', %s)", [automerge])


def flush(cursor, terms: Counter, state: dict | None = None) -> None:
    """Write what is pending and apply the term-count changes of all batches of one call at once:
    a bulk import repeats the same common terms in every batch, so one upsert per distinct term
    saves most of the work."""
    if state:
        _insert_fts(cursor, state)
        if state.get("bulk_settings"):
            _configure(cursor, HASH_BYTES, AUTOMERGE)
    _count_terms(cursor, terms)


def delete(cursor, keys: list[str]) -> None:
    existing = _existing(cursor, keys)
    if not existing:
        return
    deletes, terms = [], Counter()
    for old in sorted(existing.values(), key=lambda old: old[1]):
        tokens, old_terms = _old_document(old)
        deletes.append(("delete", old[1], tokens))
        terms.subtract(old_terms)
    cursor.executemany(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, g) VALUES (%s, %s, %s)", deletes)
    _count_terms(cursor, terms)
    for chunk in batched([old[0] for old in existing.values()], 500):
        cursor.execute(f"DELETE FROM {ENTRY_TABLE} WHERE id IN ({_placeholders(len(chunk))})", chunk)


def clear(cursor) -> None:
    cursor.execute(f"DELETE FROM {ENTRY_TABLE}")
    cursor.execute(f"DELETE FROM {DOCFREQ_TABLE}")
    cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('delete-all')")


def reindex_from_rows(cursor) -> None:
    """Rebuild the FTS5 index and the term counts from the stored rows.

    For a change of token layout (the index must be re-tokenized exactly as the new code would
    write it, or later deletes corrupt it); the rows keep their ranks.
    """
    cursor.execute(f"DELETE FROM {DOCFREQ_TABLE}")
    cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('delete-all')")
    cursor.execute(
        f"SELECT rank, title_normalised, text_normalised, agency_code, category, genre, validity, year "
        f"FROM {ENTRY_TABLE} ORDER BY rank"
    )
    rows = cursor.fetchall()
    terms = Counter()
    for chunk in batched(rows, 1000):
        inserts = []
        for rank, *old in chunk:
            tokens, doc_terms = _old_document((None, rank, *old))
            inserts.append((rank, tokens))
            terms.update(doc_terms)
        cursor.executemany(f"INSERT INTO {FTS_TABLE}(rowid, g) VALUES (%s, %s)", inserts)
    _count_terms(cursor, terms)


def optimise(cursor) -> None:
    """Merge the index into one segment (after a rebuild; FTS5 merges incrementally otherwise)."""
    cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")


# --- reading -------------------------------------------------------------------------------------


def _filter_expression(query: SearchQuery) -> str:
    parts = [grams.fts_filter(kind, value) for kind, value in query.filters()]
    if query.agency_codes is not None:
        parts.append("(" + " OR ".join(grams.fts_filter("a", code) for code in query.agency_codes) + ")")
    return "".join(f" AND {part}" for part in parts)


def _count(cursor, expression: str) -> int:
    cursor.execute(f"SELECT count(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [expression])
    return cursor.fetchone()[0]


def _ranks(cursor, expression: str, limit: int, below: int | None = None, floor: int | None = None) -> list[int]:
    sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
    params: list = [expression]
    if below is not None:
        sql += " AND rowid < %s AND rowid >= %s"
        params += [below, floor]
    cursor.execute(sql + " ORDER BY rowid DESC LIMIT %s", [*params, limit])
    return [r[0] for r in cursor.fetchall()]


def _ordered_window(cursor, expression: str, skip: int, take: int) -> tuple[list[int], int]:
    """Entry ids at positions [skip, skip + take) of the matches ordered newest first, and how many
    matches there are when that is fewer than skip + take (else skip + take)."""
    ranks = _ranks(cursor, expression, skip + take)
    seen = len(ranks)
    if len(ranks) == skip + take:
        # Complete the last day: the page's last entries may be further down that day's slots.
        last_day = ranks[-1] >> SLOT_BITS
        ranks += _ranks(cursor, expression, -1, below=ranks[-1], floor=last_day << SLOT_BITS)
    window: list[tuple[int, int]] = []  # (position of the day's first match, rank) for days on the page
    position = 0
    for _day_number, day_ranks in itertools.groupby(ranks, key=lambda r: r >> SLOT_BITS):
        day_ranks = list(day_ranks)
        if position + len(day_ranks) > skip and position < skip + take:
            window += [(position, r) for r in day_ranks]
        position += len(day_ranks)
    if not window:
        return [], seen
    by_rank = {}
    for chunk in batched([r for _, r in window], 500):
        cursor.execute(
            f"SELECT rank, published_at, key, id FROM {ENTRY_TABLE} WHERE rank IN ({_placeholders(len(chunk))})",
            chunk,
        )
        by_rank.update((row[0], row[1:]) for row in cursor.fetchall())
    if len(by_rank) < len(window):
        # A row removed by a transaction that committed between the two statements, or else a
        # damaged index (then rebuild() repairs it): serve the rest either way.
        logger.warning("search: %d matching ranks have no row", len(window) - len(by_rank))
    ordered: list[int] = []
    first_position = window[0][0]
    for _start, group in itertools.groupby(window, key=lambda pair: pair[0]):
        # Same order as PostgreSQL's "published_at DESC, key COLLATE "C" DESC": SQLite stores
        # published_at as UTC text that sorts chronologically, Python compares keys by code point.
        group_rows = sorted((by_rank[r] for _, r in group if r in by_rank), reverse=True)
        ordered += [row[2] for row in group_rows]
    return ordered[skip - first_position : skip - first_position + take], seen


def _total(cursor, query: SearchQuery, expression: str) -> int:
    if len(query.text) <= 2 and query.agency_codes is None and not query.filters():
        cursor.execute(f"SELECT docs FROM {DOCFREQ_TABLE} WHERE term = %s", [grams.plain_term(query.text)])
        row = cursor.fetchone()
        return row[0] if row else 0
    return _count(cursor, expression)


def find(cursor, query: SearchQuery, offset: int, limit: int) -> tuple[int, list[int]]:
    filters = _filter_expression(query)
    anywhere = grams.fts_phrase(query.text)
    in_title = grams.fts_phrase(query.text, title=True)
    total = _total(cursor, query, anywhere + filters)
    if total == 0 or offset >= total:
        return total, []
    ids, title_total = _ordered_window(cursor, in_title + filters, offset, limit)
    if len(ids) < limit:
        # Fewer title matches than the page reaches means title_total is exact: the rest of the
        # page comes from the items that match outside the title only.
        ids += _ordered_window(
            cursor, f"({anywhere}{filters}) NOT {in_title}", max(0, offset - title_total), limit - len(ids)
        )[0]
    return total, ids


def size_bytes(cursor) -> dict[str, int] | None:
    """Bytes used by the FTS5 shadow tables, or None when SQLite was built without dbstat."""
    try:
        cursor.execute("SELECT name, sum(pgsize) FROM dbstat WHERE name LIKE %s GROUP BY name", [FTS_TABLE + "%"])
    except Exception:  # noqa: BLE001 - dbstat is an optional SQLite feature
        return None
    return dict(cursor.fetchall())


