"""Search benchmark: gongkai's index (SQLite FTS5 or PostgreSQL) against tantivy, on synthetic items.

    python bench/search.py --items 100000            # SQLite in a throwaway data directory
    DATABASE_URL=postgres://u:p@host:5432/x python bench/search.py --items 100000
        # PostgreSQL: a throwaway database "<x>_search_bench" on that server (needs CREATEDB)
    python bench/search.py --items 100000 --no-tantivy

Prints import rate, index size, search latency p50/p95 per query length with the exact hit
counts (checked equal between the engines), and the resident memory of a search worker. Queries
are substrings of generated items, so common characters and words dominate, as they do in real
query logs. tantivy (pip install '.[bench]') indexes the same normalised text as 1- and 2-character
n-grams and answers with term/phrase queries: the near-floor reference for this kind of index.
Not part of the test suite.
"""

import argparse
import datetime as dt
import itertools
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = (
    "政府 信息 公开 工作 通知 关于 印发 实施 方案 办法 规定 管理 服务 社会 经济 发展 建设 改革 推进 加强 落实 组织 单位 "
    "部门 人民 群众 安全 生产 环境 保护 教育 卫生 健康 医疗 保障 就业 创业 财政 预算 决算 资金 项目 审批 许可 登记 备案 "
    "监督 检查 执法 行政 处罚 复议 诉讼 申请 答复 依法 规范 标准 质量 农业 农村 农民 乡村 振兴 巩固 衔接 城市 规划 土地 "
    "住房 交通 运输 水利 能源 文化 旅游 体育 科技 创新 人才 养老 儿童 妇女 残疾人 民政 救助 补贴 税收 优惠 政策 措施 意见 "
    "决定 公告 通报 报告 统计 数据 年度 季度 计划 总结 会议 纪要 领导 班子 机构 职能 编制 人员 招聘 公示 结果 名单 采购 "
    "招标 中标 合同 信用 企业 市场 营商 优化 应急 防汛 消防 食品 药品 生态 污染 治理 垃圾 分类 节能 减排 街道 社区 乡镇 "
    "县 市 省 区 第 条 款 项 年 月 日 的 和 与 及 等 在 对 为 按照 根据 进一步 全面 有关 相关 重点 重要 工作方案 实施意见 "
    "管理办法 公开工作 政务公开 信息公开 人民政府 办公室 清河县 财政局 教育局 卫生健康委员会 自然资源局 住房和城乡建设局 "
    "2026 2025 GDP PPP 第一季度 一、 二、 （一） （二） ５G ＡＩ 元 万元 亿元 百分之"
).split()
PUNCTUATION = "，，，，。。、；：“”《》（）"
GENRES = ["tz", "gg", "yj", "bg", "pf", "gb"]
TITLE_ENDS = ["的通知", "的公告", "的实施意见", "的报告", "的批复", "的公示", "的函"]


class Items:
    """Deterministic synthetic items: Zipf-distributed government vocabulary, seeded."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        # Cumulative weights once: random.choices() would otherwise re-add them on every call.
        self.weights = list(itertools.accumulate(1 / (i + 1) ** 0.9 for i in range(len(WORDS))))
        self.start = dt.datetime(2015, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=8)))

    def _text(self, chars: int) -> str:
        out, total = [], 0
        while total < chars:
            sentence = "".join(self.rng.choices(WORDS, cum_weights=self.weights, k=self.rng.randint(3, 10)))
            sentence += self.rng.choice(PUNCTUATION)
            out.append(sentence)
            total += len(sentence)
        return "".join(out)

    def make(self, number: int):
        from gongkai.search.index import SearchDocument

        r = self.rng
        published = self.start + dt.timedelta(days=r.randint(0, 4380))
        if r.random() < 0.5:  # half carry a time of day, half only a date (as imports do)
            published += dt.timedelta(seconds=r.randint(8 * 3600, 18 * 3600))
        agency = f"BENCH{r.randint(1, 60):04d}"
        title = "关于" + "".join(r.choices(WORDS, cum_weights=self.weights, k=r.randint(2, 6))) + r.choice(TITLE_ENDS)
        return SearchDocument(
            key=f"item:{number}", agency_code=agency, index_number=f"{agency}/{published.year}-{number:07d}",
            title=title, body=self._text(r.randint(200, 900)),
            attachments_text=self._text(r.randint(200, 2000)) if r.random() < 0.3 else "",
            published_at=published, category=f"{r.randint(1, 12):02d}{r.randint(1, 9):02d}", genre=r.choice(GENRES),
            validity=r.choice(["valid"] * 8 + ["expired", "repealed"]), url=f"/items/{number}",
        )


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
    parser.add_argument("--batch", type=int, default=1000, help="items per index_documents call (one transaction)")
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
    from gongkai.search.index import index_documents
    from gongkai.search.normalise import normalise

    call_command("migrate", verbosity=0)
    vendor = connection.vendor
    print(f"gongkai search benchmark: {args.items:,} items, {vendor}, SQLite {__import__('sqlite3').sqlite_version}, "
          f"{os.cpu_count()} CPUs")
    items = Items(args.seed)
    sample_rng = random.Random(args.seed + 1)
    samples: list[str] = []
    generate = ours = ours_cpu = 0.0
    chars = 0
    for start in range(0, args.items, args.batch):
        t0 = time.perf_counter()
        batch = [items.make(n) for n in range(start, min(args.items, start + args.batch))]
        t1, c1 = time.perf_counter(), time.process_time()
        index_documents(batch)
        t2 = time.perf_counter()
        ours_cpu += time.process_time() - c1
        generate, ours = generate + t1 - t0, ours + t2 - t1
        chars += sum(len(d.title) + len(d.body) + len(d.attachments_text) for d in batch)
        for doc in sample_rng.sample(batch, min(3, len(batch))):
            if len(samples) < 2000:
                samples.append(normalise(doc.body))
        done = min(args.items, start + args.batch)
        if done % max(args.batch, args.items // 10) == 0:
            print(f"  {done:,} items: gongkai {done / ours:,.0f}/s", flush=True)
    optimise_seconds = 0.0
    if not args.no_optimise:
        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            (sqlite_fts if vendor == "sqlite" else postgres_grams).optimise(cursor)
        optimise_seconds = time.perf_counter() - t0
    # tantivy afterwards, from the same seeded items, so its indexing threads do not compete with ours.
    reference, theirs = None, 0.0
    if not args.no_tantivy:
        reference = Tantivy(data_dir / "tantivy")
        items = Items(args.seed)
        for start in range(0, args.items, args.batch):
            batch = [items.make(n) for n in range(start, min(args.items, start + args.batch))]
            t0 = time.perf_counter()
            reference.add(batch)
            theirs += time.perf_counter() - t0
        t0 = time.perf_counter()
        reference.finish()
        theirs += time.perf_counter() - t0
    connection.close()

    print(f"\nitems average {chars / args.items:,.0f} characters (title + body + attachments); "
          f"generating them took {generate:,.0f} s (not counted)")
    optimised = f"then optimise {optimise_seconds:,.1f} s" if not args.no_optimise else "not optimised"
    tantivy_rate = f"; tantivy {args.items / theirs:,.0f} items/s (1 indexing thread)" if reference else ""
    print(f"import   gongkai {args.items / ours:,.0f} items/s by the clock ({ours:,.0f} s, batches of {args.batch}), "
          f"{args.items / ours_cpu:,.0f} items/s of process CPU time; {optimised}{tantivy_rate}")
    print_sizes(vendor, env, reference)

    queries = pick_queries(samples, args.queries, args.seed + 2)
    runs = {"gongkai search()": run_worker("gongkai", queries, None, env),
            "gongkai engine": run_worker("gongkai-engine", queries, None, env)}
    if reference:
        runs["tantivy"] = run_worker("tantivy", queries, str(reference.path), env)
    print_latencies(runs)


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
