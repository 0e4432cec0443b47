"""The PostgreSQL engine: GIN-indexed bigint[] arrays of the item's characters and bigrams.

For one- and two-character queries the array test is exact. Longer queries use the array to
narrow the candidates to items containing every bigram of the query, and ``strpos`` on the stored
normalised text (exact, no collation involved) keeps only real substrings.

As on SQLite, a page is read title matches first, then the rest, each newest first, so that for
common queries PostgreSQL walks the (published_at, key) index and stops after one page instead of
sorting every match; "key COLLATE "C"" makes the tie-break code-point order, as on SQLite. Exact
totals of unfiltered one- and two-character queries come from a document-frequency table kept in
the same transaction (``search_pg_docfreq``); counting them by scanning means detoasting the gram
array of nearly every row (docs/search.md).

Chosen over pg_trgm and tsvector phrase queries (docs/search.md): pg_trgm cannot use its index for
queries shorter than three characters, which are most Chinese queries, and depends on the
database locale to treat Chinese characters as word characters; tsvector positions stop at
16,383, so a phrase deep inside a long attachment would be missed. This needs no extension.
"""

from collections import Counter

from gongkai.search import grams
from gongkai.search.documents import ENTRY_COLUMNS, EntryRow, PreparedBatch, SearchDocument, batched, prepare
from gongkai.search.query import SearchQuery

ENTRY_TABLE = "search_searchentry"

CREATE_SQL = [
    f"ALTER TABLE {ENTRY_TABLE} ADD COLUMN grams bigint[] NOT NULL DEFAULT '{{}}'",
    f"CREATE INDEX search_entry_grams ON {ENTRY_TABLE} USING gin (grams)",
]
DROP_SQL = [
    "DROP INDEX IF EXISTS search_entry_grams",
    f"ALTER TABLE {ENTRY_TABLE} DROP COLUMN IF EXISTS grams",
]
DOCFREQ_TABLE = "search_pg_docfreq"
_ORDER = 'ORDER BY published_at DESC, key COLLATE "C" DESC'


def _codes(row: EntryRow) -> list[int]:
    return grams.gram_codes([row.title_normalised, *row.text_normalised.split("\n")])


def prepare_batch(docs: list[SearchDocument]) -> PreparedBatch:
    """The database-free part of indexing: rows with their gram codes (all text, title), in the
    docs' order, and how many rows contain each code."""
    rows, terms = [], Counter()
    for doc in docs:
        row = prepare(doc)
        codes = _codes(row)
        rows.append((row, (codes, grams.gram_codes([row.title_normalised]))))
        terms.update(codes)
    return PreparedBatch(rows, terms)


def write_batch(cursor, prepared: PreparedBatch, adapt, terms: Counter, state=None) -> None:
    """Write one prepared batch; its term-count changes are added to ``terms`` for ``flush``."""
    # Key order throughout, so two transactions indexing overlapping batches lock rows in the
    # same order and wait for each other instead of deadlocking.
    rows = sorted(prepared.rows, key=lambda pair: pair[0].key)
    cursor.execute(
        f"SELECT grams FROM {ENTRY_TABLE} WHERE key = ANY(%s) ORDER BY key FOR UPDATE",
        [[row.key for row, _ in rows]],
    )
    for (old_codes,) in cursor.fetchall():
        terms.subtract(old_codes)
    terms.update(prepared.terms)
    columns = (*ENTRY_COLUMNS, "grams", "title_grams")
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns if c != "key")
    cursor.executemany(
        f"INSERT INTO {ENTRY_TABLE} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT (key) DO UPDATE SET {updates}",
        [(*row.values(), codes, title_codes) for row, (codes, title_codes) in rows],
    )


def flush(cursor, terms: Counter, state=None) -> None:
    """Apply the term-count changes of one call, in term order (the same lock order everywhere).

    Rows of very common terms are shared by every writer, so concurrent index writes queue on
    them until the first transaction commits; publication is rare enough for that not to matter.
    """
    deltas = sorted((term, delta) for term, delta in terms.items() if delta)
    if deltas:
        cursor.executemany(
            f"INSERT INTO {DOCFREQ_TABLE} (term, docs) VALUES (%s, %s) "
            f"ON CONFLICT (term) DO UPDATE SET docs = {DOCFREQ_TABLE}.docs + EXCLUDED.docs",
            deltas,
        )


def delete(cursor, keys: list[str]) -> None:
    terms = Counter()
    for chunk in batched(sorted(keys), 1000):
        cursor.execute(f"DELETE FROM {ENTRY_TABLE} WHERE key = ANY(%s) RETURNING grams", [list(chunk)])
        for (old_codes,) in cursor.fetchall():
            terms.subtract(old_codes)
    flush(cursor, terms)


def clear(cursor) -> None:
    cursor.execute(f"DELETE FROM {ENTRY_TABLE}")
    cursor.execute(f"DELETE FROM {DOCFREQ_TABLE}")


def recount_terms(cursor) -> None:
    """Refill the document-frequency table and the title grams from the stored rows."""
    cursor.execute(f"DELETE FROM {DOCFREQ_TABLE}")
    cursor.execute(f"SELECT id, title_normalised, grams FROM {ENTRY_TABLE}")
    terms, titles = Counter(), []
    for entry_id, title_normalised, codes in cursor.fetchall():
        terms.update(codes)
        titles.append((grams.gram_codes([title_normalised]), entry_id))
    cursor.executemany(f"UPDATE {ENTRY_TABLE} SET title_grams = %s WHERE id = %s", titles)
    flush(cursor, terms)


def optimise(cursor) -> None:
    # Move the GIN pending list into the index proper after a bulk load.
    cursor.execute("SELECT gin_clean_pending_list('search_entry_grams'::regclass)")


def _where(query: SearchQuery) -> tuple[str, list]:
    text = query.text
    clauses = ["grams @> %s::bigint[]"]
    params: list = [grams.query_codes(text)]
    if len(text) > 2:
        clauses.append("(strpos(title_normalised, %s) > 0 OR strpos(text_normalised, %s) > 0)")
        params += [text, text]
    if query.agency_codes is not None:
        clauses.append("agency_code = ANY(%s)")
        params.append(list(query.agency_codes))
    for column, value in (("category", query.category), ("genre", query.genre), ("validity", query.validity),
                          ("year", query.year)):
        if value is not None:
            clauses.append(f"{column} = %s")
            params.append(value)
    return " AND ".join(clauses), params


def _total(cursor, query: SearchQuery, where: str, params: list) -> int:
    if len(query.text) <= 2 and query.agency_codes is None and not query.filters():
        cursor.execute(f"SELECT docs FROM {DOCFREQ_TABLE} WHERE term = %s", grams.query_codes(query.text))
        row = cursor.fetchone()
        return row[0] if row else 0
    cursor.execute(f"SELECT count(*) FROM {ENTRY_TABLE} WHERE {where}", params)
    return cursor.fetchone()[0]


def find(cursor, query: SearchQuery, offset: int, limit: int) -> tuple[int, list[int]]:
    where, params = _where(query)
    total = _total(cursor, query, where, params)
    if total == 0 or offset >= total:
        return total, []
    in_title = "(title_grams @> %s::bigint[] AND strpos(title_normalised, %s) > 0)"
    title_params = [grams.query_codes(query.text), query.text]
    cursor.execute(
        f"SELECT id FROM {ENTRY_TABLE} WHERE {where} AND {in_title} {_ORDER} LIMIT %s",
        [*params, *title_params, offset + limit],
    )
    title_ids = [row[0] for row in cursor.fetchall()]
    ids = title_ids[offset:]
    if len(ids) < limit:
        # Fewer title matches than the page reaches: their number is exact, the rest of the page
        # comes from the items that match outside the title only.
        cursor.execute(
            f"SELECT id FROM {ENTRY_TABLE} WHERE {where} AND NOT {in_title} {_ORDER} LIMIT %s OFFSET %s",
            [*params, *title_params, limit - len(ids), max(0, offset - len(title_ids))],
        )
        ids += [row[0] for row in cursor.fetchall()]
    return total, ids


def size_bytes(cursor) -> dict[str, int]:
    cursor.execute(
        "SELECT pg_total_relation_size(%s), pg_relation_size('search_entry_grams'::regclass), "
        "pg_relation_size('search_entry_title_grams'::regclass), pg_total_relation_size(%s)",
        [ENTRY_TABLE, DOCFREQ_TABLE],
    )
    table, gin, title_gin, docfreq = cursor.fetchone()
    return {"table_with_indexes_and_toast": table, "grams_gin_index": gin, "title_grams_gin_index": title_gin,
            "docfreq_table": docfreq}
