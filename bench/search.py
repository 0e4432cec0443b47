"""Search benchmark: gongkai's index (SQLite FTS5 or PostgreSQL) against tantivy, on synthetic items.

    python bench/search.py --items 100000            # SQLite in a throwaway data directory
    python bench/search.py --items 100000 --index-only   # index_documents() alone, no items
    DATABASE_URL=postgres://u:p@host:5432/x python bench/search.py --items 100000
        # PostgreSQL: a throwaway database "<x>_search_bench" on that server (needs CREATEDB)
    python bench/search.py --items 100000 --no-tantivy

Prints import rate (and its ratio to tantivy's single-thread indexing rate of the same items in the
same run), the database's bytes per item by table (SQLite: the dbstat virtual table) against the
items' text, search latency p50/p95 per query length with the exact hit counts (checked equal
between the engines), and the resident memory of a search worker. The import is the product's:
the items are written to a JSON Lines file (not timed) and loaded with ``gongkai import items
FILE`` in a child process, which checks every row, then creates the items, their versions, 索引号
and audit rows and indexes them in committed batches; its clock and CPU time are reported. Queries
are substrings of generated items, so common characters and words dominate, as they do in real
query logs. tantivy (pip install '.[bench]') indexes the same normalised text as 1- and 2-character
n-grams and answers with term/phrase queries: the near-floor reference for this kind of index.
Not part of the test suite.
"""

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from itemfile import Items, create_agencies, write_import_file  # noqa: E402

# --- tantivy reference ---------------------------------------------------------------------------

MARK = "\x01"  # stands for a space inside tokens, as in gongkai.search.grams


def _tantivy_fields(title: str, fields: list[str]) -> dict:
    def bigrams(text):
        text = text.replace(" ", MARK)
        return " ".join(a + b for a, b in zip(text, text[1:], strict=False))

    chars = set("".join([title, *fields])) - {" "}
    return {
        "title_u": " ".join(sorted(set(title) - {" "})), "title_b": bigrams(title),
        "all_u": " ".join(sorted(chars)), "all_b": " \x03 ".join(bigrams(f) for f in [title, *fields]),
    }


class Tantivy:
    def __init__(self, path: Path):
        import tantivy

        self.tantivy = tantivy
        schema = tantivy.SchemaBuilder()
        for name, option in (("title_u", "basic"), ("all_u", "basic"), ("title_b", "position"), ("all_b", "position")):
            schema.add_text_field(name, tokenizer_name="whitespace", index_option=option)
        schema.add_integer_field("published", fast=True, indexed=False)
        schema.add_text_field("key", stored=True, tokenizer_name="raw")
        self.schema = schema.build()
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        self.index = tantivy.Index(self.schema, path=str(path))
        self.writer = None

    def add(self, docs):
        from gongkai.search.normalise import normalise

        if self.writer is None:
            self.writer = self.index.writer(heap_size=400_000_000, num_threads=1)
        for doc in docs:
            fields = _tantivy_fields(normalise(doc.title), [normalise(doc.body), normalise(doc.attachments_text)])
            published = int(doc.published_at.timestamp() * 1_000_000)
            self.writer.add_document(self.tantivy.Document(**fields, published=published, key=doc.key))

    def finish(self):
        self.writer.commit()
        self.writer.wait_merging_threads()

    def size(self) -> int:
        return sum(f.stat().st_size for f in self.path.rglob("*") if f.is_file())

    def query(self, text: str, title: bool):
        Query = self.tantivy.Query  # noqa: N806
        prefix = "title_" if title else "all_"
        if len(text) == 1:
            return Query.term_query(self.schema, prefix + "u", text)
        grams = [a + b for a, b in zip(text.replace(" ", MARK), text.replace(" ", MARK)[1:], strict=False)]
        if len(grams) == 1:
            return Query.term_query(self.schema, prefix + "b", grams[0])
        return Query.phrase_query(self.schema, prefix + "b", grams)

    def search(self, searcher, text: str):
        """Exact count and page one: title matches newest first, then the rest newest first."""
        Occur = self.tantivy.Occur  # noqa: N806
        anywhere, in_title = self.query(text, False), self.query(text, True)
        title_page = searcher.search(in_title, limit=20, count=True, order_by_field="published")
        rest = self.tantivy.Query.boolean_query([(Occur.Must, anywhere), (Occur.MustNot, in_title)])
        rest_page = searcher.search(rest, limit=20, count=True, order_by_field="published")
        keys = [searcher.doc(address)["key"][0] for _, address in (title_page.hits + rest_page.hits)[:20]]
        return title_page.count + rest_page.count, keys


# --- measuring -----------------------------------------------------------------------------------


def rss_mib() -> tuple[float, float]:
    """(current, peak) resident set size of this process in MiB."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def pick_queries(samples: list[str], count: int, seed: int) -> dict[int, list[str]]:
    rng = random.Random(seed)
    queries = {}
    for length in (1, 2, 4):
        chosen = []
        while len(chosen) < count:
            text = rng.choice(samples)
            start = rng.randrange(0, len(text) - length)
            candidate = text[start:start + length]
            if " " not in candidate:
                chosen.append(candidate)
        queries[length] = chosen
    return queries


def worker(engine: str, queries: dict, tantivy_path: str | None) -> dict:
    """Run every query in this (fresh) process; report latencies, counts and memory."""
    results = {}
    if engine == "tantivy":
        reference = Tantivy(Path(tantivy_path))
        reference.index.reload()
        searcher = reference.index.searcher()
        run = lambda text: reference.search(searcher, text)[0]  # noqa: E731
    else:
        import django

        django.setup()
        from django.db import connection

        from gongkai.search import postgres_grams, sqlite_fts
        from gongkai.search.index import search
        from gongkai.search.query import parse

        engine_module = sqlite_fts if connection.vendor == "sqlite" else postgres_grams
        if engine == "gongkai-engine":  # only the index work: count and ordered ids of page one
            def run(text):
                parsed = parse(text, agency_codes=None, category=None, year=None, validity=None, genre=None)
                with connection.cursor() as cursor:
                    return engine_module.find(cursor, parsed, 0, 20)[0]
        else:  # the public API: also loads the 20 rows and highlights them
            run = lambda text: search(text).total  # noqa: E731
    for length, texts in queries.items():
        for text in texts[:3]:
            run(text)  # warm caches, as a running server would be
        times, counts = [], []
        for text in texts:
            started = time.perf_counter()
            counts.append(run(text))
            times.append(time.perf_counter() - started)
        results[str(length)] = {"times": times, "counts": counts}
    current, peak = rss_mib()
    return {"queries": results, "rss_mib": current, "peak_rss_mib": peak}


def run_worker(engine: str, queries: dict, tantivy_path: str | None, env: dict) -> dict:
    spec = json.dumps({"engine": engine, "queries": queries, "tantivy": tantivy_path})
    out = subprocess.run(
        [sys.executable, __file__, "--worker"], input=spec, capture_output=True, text=True, env=env, check=True
    )
    return json.loads(out.stdout)


def setup_database(args) -> tuple[dict, callable]:
    """Point Django at a throwaway database; returns the environment for workers and a cleanup."""
    env = dict(os.environ)
    data_dir = Path(tempfile.mkdtemp(prefix="gongkai-bench-"))
    env["GONGKAI_DATA_DIR"] = str(data_dir)
    env["DJANGO_SETTINGS_MODULE"] = "gongkai.settings"
    cleanups = [lambda: shutil.rmtree(data_dir, ignore_errors=True)]
    if env.get("DATABASE_URL", "").startswith("postgres"):
        import dj_database_url
        import psycopg

        config = dj_database_url.parse(env["DATABASE_URL"])
        name = f"{config['NAME']}_search_bench"
        admin = psycopg.connect(
            host=config["HOST"], port=config["PORT"] or 5432, user=config["USER"], password=config["PASSWORD"],
            dbname="postgres", autocommit=True,
        )
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = env["DATABASE_URL"].rsplit("/", 1)[0] + "/" + name

        def drop():
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()

        cleanups.insert(0, drop)
    os.environ.update(env)
    return env, lambda: [c() for c in cleanups], data_dir


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=50, help="queries per length (1, 2, 4 characters)")
    parser.add_argument("--batch", type=int, default=1000,
                        help="with --index-only: items per index_documents call (one transaction)")
    parser.add_argument("--index-only", action="store_true",
                        help="time index_documents() on search documents instead of importing items")
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--no-tantivy", action="store_true")
    parser.add_argument("--no-optimise", action="store_true",
                        help="measure the index as incremental publishing leaves it, without merging it first")
    parser.add_argument("--keep", action="store_true", help="keep the throwaway database and print where it is")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        spec = json.loads(sys.stdin.read())
        print(json.dumps(worker(spec["engine"], {int(k): v for k, v in spec["queries"].items()}, spec["tantivy"])))
        return

    env, cleanup, data_dir = setup_database(args)
    try:
        report(args, env, data_dir)
    finally:
        if args.keep:
            print(f"kept: GONGKAI_DATA_DIR={env['GONGKAI_DATA_DIR']} DATABASE_URL={env.get('DATABASE_URL', '(SQLite)')}")
        else:
            cleanup()


def report(args, env, data_dir):
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from gongkai.search import postgres_grams, sqlite_fts

    call_command("migrate", verbosity=0)
    vendor = connection.vendor
    print(f"gongkai search benchmark: {args.items:,} items, {vendor}, SQLite {__import__('sqlite3').sqlite_version}, "
          f"{os.cpu_count()} CPUs, load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)
    load = load_by_index if args.index_only else load_by_import
    ours, ours_cpu, chars, generate, how = load(args, env, data_dir)
    text_bytes = items_text_bytes()
    optimise_seconds = 0.0
    if not args.no_optimise:
        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            (sqlite_fts if vendor == "sqlite" else postgres_grams).optimise(cursor)
        optimise_seconds = time.perf_counter() - t0
    samples = sample_texts(2000, args.seed + 1)
    # tantivy afterwards, from the same indexed text, so its indexing threads do not compete with ours.
    reference, theirs, theirs_cpu = None, 0.0, 0.0
    if not args.no_tantivy:
        reference = Tantivy(data_dir / "tantivy")
        for batch in indexed_documents(args.batch):
            t0, c0 = time.perf_counter(), time.process_time()
            reference.add(batch)
            theirs, theirs_cpu = theirs + time.perf_counter() - t0, theirs_cpu + time.process_time() - c0
        t0, c0 = time.perf_counter(), time.process_time()
        reference.finish()
        theirs, theirs_cpu = theirs + time.perf_counter() - t0, theirs_cpu + time.process_time() - c0
    connection.close()

    print(f"\nitems average {chars / args.items:,.0f} characters (title + body + attachments); "
          f"generating them took {generate:,.0f} s (not counted); load average now "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    optimised = f"then optimise {optimise_seconds:,.1f} s" if not args.no_optimise else "not optimised"
    # Both by the clock (the measure) and per CPU-second, which a machine shared with other
    # work disturbs less: the two are timed one after the other, not side by side.
    tantivy_rate = (f"; tantivy {args.items / theirs:,.0f} items/s (1 indexing thread), "
                    f"{args.items / theirs_cpu:,.0f} per CPU-second; gongkai ÷ tantivy {theirs / ours:.2f} by the clock, "
                    f"{theirs_cpu / ours_cpu:.2f} per CPU-second" if reference else "")
    print(f"import   gongkai {args.items / ours:,.0f} items/s by the clock ({ours:,.0f} s, {how}), "
          f"{args.items / ours_cpu:,.0f} items/s of CPU time ({ours_cpu:,.0f} s); {optimised}{tantivy_rate}")
    print_sizes(vendor, env, reference)
    if vendor == "sqlite":
        print_tables(args.items, text_bytes)

    queries = pick_queries(samples, args.queries, args.seed + 2)
    runs = {"gongkai search()": run_worker("gongkai", queries, None, env),
            "gongkai engine": run_worker("gongkai-engine", queries, None, env)}
    if reference:
        runs["tantivy"] = run_worker("tantivy", queries, str(reference.path), env)
    print_latencies(runs)


def load_by_import(args, env, data_dir):
    """``gongkai import items FILE`` in a child process: the product's import path."""
    from gongkai.search.models import SearchEntry

    create_agencies()
    path = data_dir / "items.jsonl"
    t0 = time.perf_counter()
    chars = write_import_file(path, args.items, args.seed)
    generate = time.perf_counter() - t0
    print(f"  wrote {path.stat().st_size / 2**20:,.0f} MiB of JSON Lines in {generate:,.0f} s; importing", flush=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "gongkai.cli", "import", "items", str(path)], env=env,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if done.returncode:
        raise SystemExit(f"import failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    if SearchEntry.objects.count() != args.items:
        raise SystemExit(f"import indexed {SearchEntry.objects.count()} items, not {args.items}")
    return seconds, cpu, chars, generate, "gongkai import items"


def load_by_index(args, env, data_dir):
    """index_documents() alone, in calls of --batch documents: the search engine's own write path."""
    from gongkai.search.index import index_documents

    items = Items(args.seed)
    generate = seconds = cpu = 0.0
    chars = 0
    for start in range(0, args.items, args.batch):
        t0 = time.perf_counter()
        batch = [items.document(n) for n in range(start, min(args.items, start + args.batch))]
        t1, c1 = time.perf_counter(), time.process_time()
        index_documents(batch)
        cpu += time.process_time() - c1
        generate, seconds = generate + t1 - t0, seconds + time.perf_counter() - t1
        chars += sum(len(d.title) + len(d.body) + len(d.attachments_text) for d in batch)
    return seconds, cpu, chars, generate, f"index_documents() in calls of {args.batch}"


def sample_texts(count: int, seed: int) -> list[str]:
    """Normalised body texts of random indexed items, to cut queries from."""
    from gongkai.search.models import SearchEntry

    highest = SearchEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    ids = random.Random(seed).sample(range(1, highest + 1), min(count, highest))
    texts = SearchEntry.objects.filter(id__in=ids).values_list("text_normalised", flat=True).iterator()
    return [text.split("\n")[0] for text in texts if len(text.split("\n")[0]) > 8]


def indexed_documents(size: int):
    """Every indexed item as the search index holds it, in batches (tantivy gets the same text)."""
    from gongkai.search.index import SearchDocument
    from gongkai.search.models import SearchEntry

    last = 0
    while True:
        rows = list(SearchEntry.objects.filter(id__gt=last).order_by("id").values_list(
            "id", "key", "title", "body", "attachments_text", "published_at")[:size])
        if not rows:
            return
        last = rows[-1][0]
        yield [SearchDocument(key=key, agency_code="", index_number="", title=title, body=body,
                              attachments_text=attachments, published_at=published)
               for _, key, title, body, attachments, published in rows]


def print_sizes(vendor, env, reference):
    import django.db

    connection = django.db.connection
    with connection.cursor() as cursor:
        if vendor == "sqlite":
            from gongkai.search import sqlite_fts

            fts = sqlite_fts.size_bytes(cursor) or {}
            cursor.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'search_searchentry%' "
                           "OR name LIKE 'sqlite_autoindex_search_searchentry%'")
            entries = cursor.fetchone()[0] or 0
            total_fts = sum(fts.values())
            print(f"size     FTS5 index {total_fts / 2**20:,.0f} MiB; entry rows (original + normalised text, "
                  f"indexes) {entries / 2**20:,.0f} MiB; database file {Path(connection.settings_dict['NAME']).stat().st_size / 2**20:,.0f} MiB")
        else:
            from gongkai.search import postgres_grams

            sizes = postgres_grams.size_bytes(cursor)
            print(f"size     GIN gram index {sizes['grams_gin_index'] / 2**20:,.0f} MiB, title gram index "
                  f"{sizes['title_grams_gin_index'] / 2**20:,.0f} MiB, term counts {sizes['docfreq_table'] / 2**20:,.0f} MiB; "
                  f"table with TOAST and all indexes {sizes['table_with_indexes_and_toast'] / 2**20:,.0f} MiB")
    if reference:
        print(f"         tantivy index {reference.size() / 2**20:,.0f} MiB (no stored text except keys)")


def items_text_bytes() -> int:
    """UTF-8 bytes of the items' own text (title, summary, body as stored once), the yardstick of
    the database's size; attachments' text would count too, the synthetic items have none."""
    from gongkai.disclosure.models import Item

    total = 0
    for title, summary, body in Item.objects.values_list("title", "summary", "body").iterator(chunk_size=2000):
        total += len(title.encode()) + len(summary.encode()) + len(body.encode())
    return total


def print_tables(items: int, text_bytes: int):
    """Bytes per item of each table with its indexes (SQLite's dbstat), largest first."""
    import django.db

    with django.db.connection.cursor() as cursor:
        cursor.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name")
        sizes = dict(cursor.fetchall())
        cursor.execute("SELECT name, tbl_name FROM sqlite_master WHERE type = 'index'")
        owner = dict(cursor.fetchall())
    tables: dict[str, int] = {}
    for name, size in sizes.items():
        table = owner.get(name, name)
        if table.startswith("search_fts"):
            table = "search_fts (FTS5 shadow tables)" if table != "search_fts_docfreq" else table
        tables[table] = tables.get(table, 0) + size
    total = sum(sizes.values())
    print(f"storage  {total / items:,.0f} bytes per item in all ({total / 2**20:,.0f} MiB), "
          f"{total / text_bytes:.1f}x the items' text ({text_bytes / items:,.0f} bytes of UTF-8 per item); by table "
          f"with its indexes:")
    for table, size in sorted(tables.items(), key=lambda pair: -pair[1]):
        if size / items >= 10:
            print(f"         {table:<40} {size / items:>8,.0f} bytes per item")


def print_latencies(runs):
    names = list(runs)
    print("\nlatency per query (ms), page one of 20 with the exact total; " + ", ".join(
        f"{n}: worker RSS {r['rss_mib']:,.0f} MiB" for n, r in runs.items()))
    header = f"{'chars':>5} {'queries':>7} {'hits p50':>9} {'hits max':>9}  " + "  ".join(f"{n + ' p50/p95':>28}" for n in names)
    print(header)
    first = runs[names[0]]["queries"]
    for length in first:
        counts = first[length]["counts"]
        for name in names[1:]:
            if runs[name]["queries"][length]["counts"] != counts:
                mismatched = [i for i, (a, b) in enumerate(zip(counts, runs[name]["queries"][length]["counts"], strict=True)) if a != b]
                print(f"  !! {name} counts differ for {len(mismatched)} {length}-character queries")
        cells = []
        for name in names:
            times = [t * 1000 for t in runs[name]["queries"][length]["times"]]
            cells.append(f"{statistics.median(times):>12.2f} / {percentile(times, 0.95):>9.2f}")
        print(f"{length:>5} {len(counts):>7} {statistics.median(counts):>9,.0f} {max(counts):>9,}  " + "  ".join(f"{c:>28}" for c in cells))
    if "tantivy" in runs:
        ratios = []
        for length in first:
            ours = percentile(runs[names[0]]["queries"][length]["times"], 0.95)
            floor = percentile(runs["tantivy"]["queries"][length]["times"], 0.95)
            ratios.append(f"{length} chars {ours / floor:.1f}x")
        print("p95 gongkai search() / tantivy: " + ", ".join(ratios))


if __name__ == "__main__":
    main()
