"""The PostgreSQL engine: a GIN-indexed bigint[] of the item's characters and bigrams.

For one- and two-character queries the array test is exact. Longer queries use the array to
narrow the candidates to items containing every bigram of the query, and ``strpos`` on the stored
normalised text (exact, no collation involved) keeps only real substrings. Ordering is plain SQL;
"key COLLATE "C"" makes the tie-break code-point order, as on SQLite.

Chosen over pg_trgm and tsvector phrase queries (docs/search.md): pg_trgm cannot use its index for
queries shorter than three characters, which are most Chinese queries, and depends on the
database locale to treat Chinese characters as word characters; tsvector positions stop at
16,383, so a phrase deep inside a long attachment would be missed. This needs no extension.
"""

from gongkai.search import grams
from gongkai.search.documents import ENTRY_COLUMNS, EntryRow, SearchDocument, batched, prepare
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


def _codes(row: EntryRow) -> list[int]:
    return grams.gram_codes([row.title_normalised, *row.text_normalised.split("\n")])


def prepare_batch(docs: list[SearchDocument]) -> list[tuple]:
    """The database-free part of indexing: row values with their gram codes, in key order."""
    rows = sorted((prepare(doc) for doc in docs), key=lambda row: row.key)
    return [(*row.values(), _codes(row)) for row in rows]


def write_batch(cursor, prepared: list[tuple], adapt, terms) -> None:
    columns = (*ENTRY_COLUMNS, "grams")
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns if c != "key")
    cursor.executemany(
        f"INSERT INTO {ENTRY_TABLE} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT (key) DO UPDATE SET {updates}",
        # Key order (prepare_batch), so two transactions indexing overlapping batches lock rows in
        # the same order and wait for each other instead of deadlocking.
        prepared,
    )


def flush(cursor, terms) -> None:
    """Nothing to do: PostgreSQL keeps no term counts (see sqlite_fts.flush)."""


def delete(cursor, keys: list[str]) -> None:
    for chunk in batched(sorted(keys), 1000):
        cursor.execute(f"DELETE FROM {ENTRY_TABLE} WHERE key = ANY(%s)", [list(chunk)])


def clear(cursor) -> None:
    cursor.execute(f"DELETE FROM {ENTRY_TABLE}")


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


def find(cursor, query: SearchQuery, offset: int, limit: int) -> tuple[int, list[int]]:
    where, params = _where(query)
    cursor.execute(f"SELECT count(*) FROM {ENTRY_TABLE} WHERE {where}", params)
    total = cursor.fetchone()[0]
    if total == 0 or offset >= total:
        return total, []
    cursor.execute(
        f"SELECT id FROM {ENTRY_TABLE} WHERE {where} "
        f'ORDER BY strpos(title_normalised, %s) > 0 DESC, published_at DESC, key COLLATE "C" DESC '
        f"LIMIT %s OFFSET %s",
        [*params, query.text, limit, offset],
    )
    return total, [row[0] for row in cursor.fetchall()]


def size_bytes(cursor) -> dict[str, int]:
    cursor.execute(
        "SELECT pg_total_relation_size(%s), pg_relation_size('search_entry_grams'::regclass)", [ENTRY_TABLE]
    )
    table, gin = cursor.fetchone()
    return {"table_with_indexes_and_toast": table, "grams_gin_index": gin}
