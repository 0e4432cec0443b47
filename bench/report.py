"""Annual-report benchmark: a city's roll-up report against the bare SQL it rests on.

    python bench/report.py                                   # SQLite in a throwaway data directory
    DATABASE_URL=postgres://u:p@host:5432/x python bench/report.py
        # PostgreSQL: a throwaway database "<x>_report_bench" on that server (needs CREATEDB)
    python bench/report.py --applications 100000             # smaller, quicker

Builds one city (bench/report_data.py): 1,000 agencies under one area government, 1,000,000
applications received 2021 – March 2026 with their appeals, and every agency's published items
(行政规范性文件, the city's 规章, and the rest of a catalogue). Generating them is setup and is
not measured. Then, in the same process and interleaved, it times

- the product: compute.build_report(city government, year, include_subordinates=True), tables
  二, 三 and 四 over the government and all 999 agencies below it, as `gongkai report build` and
  the staff page run it;
- the floor: the GROUP BY queries a DBA would write by hand over the same rows (table 三 in two
  shapes, the faster counts; then 二 and 四), rows fetched, nothing else;
- for comparison, the way table 三 was built before: every application row the year touches
  pulled into Python and counted by compute.tally_requests (--no-python-tally skips it). Its
  result is also checked equal to the product's, cell by cell.

Target: roll-up <= 1.5 x the floor (medians of --repeat runs). Not part of the test suite.
"""

import argparse
import datetime as dt
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_RATIO = 1.5

# The hand-written queries. {scope} is the agencies' condition: a path prefix for the roll-up,
# the agency's id on the counted table itself (a, i) for one agency alone.
ROLLUP_SCOPE = "g.path LIKE %(prefix)s"
SINGLE_SCOPE = "{table}.agency_id = %(agency)s"
BARE_REQUESTS = {
    "flags": """
        SELECT a.applicant_type, a.reply_type, a.received_on >= %(start)s AS is_new,
               a.closed_on IS NOT NULL AND a.closed_on <= %(end)s AS is_closed, COUNT(*)
          FROM applications_application a JOIN orgs_agency g ON g.id = a.agency_id
         WHERE {scope} AND a.received_on <= %(end)s
           AND (a.closed_on IS NULL OR a.closed_on >= %(start)s)
         GROUP BY 1, 2, 3, 4""",
    "counts": """
        SELECT a.applicant_type, a.reply_type, COUNT(*),
               COUNT(*) FILTER (WHERE a.received_on >= %(start)s), COUNT(*) FILTER (WHERE a.closed_on <= %(end)s)
          FROM applications_application a JOIN orgs_agency g ON g.id = a.agency_id
         WHERE {scope} AND a.received_on <= %(end)s
           AND (a.closed_on IS NULL OR a.closed_on >= %(start)s)
         GROUP BY 1, 2""",
}
BARE_ACTIVE = """
    SELECT CASE WHEN n.code = 'gz' OR p.code = 'gz' THEN 'gz' ELSE 'xzgfxwj' END,
           COUNT(*) FILTER (WHERE i.published_on BETWEEN %(start)s AND %(end)s),
           COUNT(*) FILTER (WHERE i.validity = 'repealed' AND i.validity_changed_on BETWEEN %(start)s AND %(end)s),
           COUNT(*) FILTER (WHERE i.published_on <= %(end)s
                            AND (i.validity = 'valid' OR i.validity_changed_on > %(end)s))
      FROM disclosure_item i JOIN orgs_agency g ON g.id = i.agency_id
      JOIN disclosure_cataloguenode n ON n.id = i.catalogue_node_id
      LEFT JOIN disclosure_cataloguenode p ON p.id = n.parent_id
     WHERE {scope} AND i.status = 'published' AND i.disclosure = 'proactive'
       AND i.catalogue_node_id IN (
           SELECT n.id FROM disclosure_cataloguenode n JOIN orgs_agency g ON g.id = n.agency_id
             LEFT JOIN disclosure_cataloguenode p ON p.id = n.parent_id
            WHERE {node_scope} AND (n.code IN ('gz', 'xzgfxwj') OR p.code IN ('gz', 'xzgfxwj')))
     GROUP BY 1"""
BARE_APPEALS = """
    SELECT ap.kind, CASE WHEN ap.decided_on <= %(end)s THEN ap.outcome ELSE 'pending' END, COUNT(*)
      FROM applications_appeal ap JOIN applications_application a ON a.id = ap.application_id
      JOIN orgs_agency g ON g.id = a.agency_id
     WHERE {scope} AND ap.filed_on BETWEEN %(start)s AND %(end)s
     GROUP BY 1, 2"""


def setup_database() -> tuple[dict, callable]:
    """Point Django at a throwaway database (as bench/search.py does); returns the env and a cleanup."""
    env = dict(os.environ)
    data_dir = Path(tempfile.mkdtemp(prefix="gongkai-bench-"))
    env["GONGKAI_DATA_DIR"] = str(data_dir)
    env["DJANGO_SETTINGS_MODULE"] = "gongkai.settings"
    cleanups = [lambda: shutil.rmtree(data_dir, ignore_errors=True)]
    if env.get("DATABASE_URL", "").startswith("postgres"):
        import dj_database_url
        import psycopg

        config = dj_database_url.parse(env["DATABASE_URL"])
        name = f"{config['NAME']}_report_bench"
        admin = psycopg.connect(host=config["HOST"], port=config["PORT"] or 5432, user=config["USER"],
                                password=config["PASSWORD"], dbname="postgres", autocommit=True)
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = env["DATABASE_URL"].rsplit("/", 1)[0] + "/" + name

        def drop():
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()

        cleanups.insert(0, drop)
    os.environ.update(env)
    return env, lambda: [c() for c in cleanups]


def timed(function, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


def bare(sql: str, params: dict) -> list:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def scoped(sql: str, params: dict, table: str) -> str:
    if "prefix" in params:
        return sql.format(scope=ROLLUP_SCOPE, node_scope=ROLLUP_SCOPE)
    return sql.format(scope=SINGLE_SCOPE.format(table=table), node_scope=SINGLE_SCOPE.format(table="n"))


def bare_floor(params: dict) -> dict:
    """Each hand-written query once; seconds per query name."""
    times = {}
    for shape, sql in BARE_REQUESTS.items():
        times[f"requests_{shape}"], _ = timed(bare, scoped(sql, params, "a"), params)
    times["active"], _ = timed(bare, scoped(BARE_ACTIVE, params, "i"), params)
    times["appeals"], _ = timed(bare, scoped(BARE_APPEALS, params, "a"), params)
    return times


def product(agency, year: int, include_subordinates: bool) -> dict:
    """build_report once, with the time of each of its parts."""
    from gongkai.reports.computation import compute

    parts = {}
    originals = {name: getattr(compute, name) for name in ("active_table", "requests_table", "appeals_table",
                                                          "included_agencies")}

    def wrap(name):
        def timed_part(*args, **kwargs):
            seconds, result = timed(originals[name], *args, **kwargs)
            parts[name] = parts.get(name, 0) + seconds
            return result
        return timed_part

    for name in originals:
        setattr(compute, name, wrap(name))
    try:
        parts["total"], report = timed(compute.build_report, agency, year, include_subordinates=include_subordinates)
    finally:
        for name, function in originals.items():
            setattr(compute, name, function)
    return {"times": parts, "report": report}


def python_tally(agency, year: int):
    """Table 三 as it was built before: every row the year touches, counted in Python."""
    from django.db.models import Q

    from gongkai.applications.models import Application
    from gongkai.reports.computation.compute import Case, agencies_covered, tally_requests

    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    agencies = agencies_covered(agency, include_subordinates=True)
    rows = Application.objects.filter(agency__in=agencies, received_on__lte=end).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=start)
    ).values_list("applicant_type", "received_on", "closed_on", "reply_type", "tracking_code")
    return tally_requests((Case(*row) for row in rows), year)


def measure(root, single, year: int, repeat: int) -> dict:
    """Warm once, then ``repeat`` interleaved rounds of product and floor, roll-up and one agency."""
    params = {"start": dt.date(year, 1, 1), "end": dt.date(year, 12, 31), "prefix": root.path + "%"}
    single_params = {"start": params["start"], "end": params["end"], "agency": single.pk}
    product(root, year, True), bare_floor(params)
    rounds = {"rollup": [], "floor": [], "single": [], "single_floor": []}
    report = None
    for n in range(repeat):
        # Alternate which goes first, so neither always runs on the caches the other warmed.
        if n % 2:
            rounds["floor"].append(bare_floor(params))
        run = product(root, year, True)
        report = run["report"]
        rounds["rollup"].append(run["times"])
        if not n % 2:
            rounds["floor"].append(bare_floor(params))
        rounds["single"].append(product(single, year, False)["times"])
        rounds["single_floor"].append(bare_floor(single_params))
    return {"rounds": rounds, "report": report, "params": params}


def median_of(rounds: list[dict], key) -> float:
    return statistics.median(key(r) for r in rounds)


def floor_requests(rounds: list[dict]) -> float:
    """Median time of the faster of the two hand-written shapes of table 三 (medians compared)."""
    return min(median_of(rounds, lambda r, s=shape: r[f"requests_{s}"]) for shape in BARE_REQUESTS)


def floor_total(rounds: list[dict]) -> float:
    return floor_requests(rounds) + median_of(rounds, lambda r: r["active"]) + median_of(rounds, lambda r: r["appeals"])


def counts_of_year(year: int) -> dict:
    from django.db.models import Q

    from gongkai.applications.models import Appeal, Application

    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return {"applications": Application.objects.filter(received_on__lte=end).filter(
                Q(closed_on__isnull=True) | Q(closed_on__gte=start)).count(),
            "appeals": Appeal.objects.filter(filed_on__range=(start, end)).count()}


def database_facts() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            import sqlite3

            size = Path(connection.settings_dict["NAME"]).stat().st_size
            return f"SQLite {sqlite3.sqlite_version}, database file {size / 2**20:,.0f} MiB"
        cursor.execute("SELECT version(), pg_database_size(current_database()), current_setting('shared_buffers'), "
                       "current_setting('work_mem'), current_setting('max_parallel_workers_per_gather')")
        version, size, buffers, work_mem, workers = cursor.fetchone()
        return (f"{version.split(' on ')[0]}, database {size / 2**20:,.0f} MiB, shared_buffers {buffers}, "
                f"work_mem {work_mem}, max_parallel_workers_per_gather {workers}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--applications", type=int, default=1_000_000)
    parser.add_argument("--items-per-agency", type=int, default=100)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--repeat", type=int, default=7, help="measured rounds (medians are reported)")
    parser.add_argument("--seed", type=int, default=20260401)
    parser.add_argument("--no-python-tally", action="store_true", help="skip timing the old row-by-row table 三")
    parser.add_argument("--keep", action="store_true", help="keep the throwaway database and print where it is")
    args = parser.parse_args()
    env, cleanup = setup_database()
    try:
        run(args)
    finally:
        if args.keep:
            print(f"kept: GONGKAI_DATA_DIR={env['GONGKAI_DATA_DIR']} DATABASE_URL={env.get('DATABASE_URL', '(SQLite)')}")
        else:
            cleanup()


def run(args):
    import django

    django.setup()
    import report_data
    from django.core.management import call_command
    from django.db import connection

    from gongkai.orgs.models import Agency

    load_at_start = os.getloadavg()
    print(f"gongkai annual-report benchmark: {args.applications:,} applications, year {args.year}, "
          f"{connection.vendor}, {os.cpu_count()} CPUs", flush=True)
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    built = report_data.build(args.applications, args.items_per_agency, args.seed)
    t1 = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")  # what autovacuum does to a table this size soon after loading
        else:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    t2 = time.perf_counter()
    root = built["root"]
    single = Agency.objects.get(name="滨江市第1区人民政府")
    in_year = counts_of_year(args.year)
    items = built["items"]
    print(f"setup    {built['agencies']:,} agencies, {built['applications']:,} applications, {built['appeals']:,} "
          f"appeals, {items['total']:,} items ({items['normative_documents']:,} 行政规范性文件, {items['regulations']:,} "
          f"规章) in {t1 - t0:,.0f} s + {'VACUUM ANALYZE' if connection.vendor == 'postgresql' else 'checkpoint'} "
          f"{t2 - t1:,.0f} s (not measured)\n         {in_year['applications']:,} applications and "
          f"{in_year['appeals']:,} appeals fall in {args.year}; {database_facts()}", flush=True)

    measured = measure(root, single, args.year, args.repeat)
    old = None
    if not args.no_python_tally:
        seconds, table = timed(python_tally, root, args.year)
        old = {"seconds": seconds, "equal": table == measured["report"]["requests"]}
    print_table(args, measured, old, single)
    check(measured)
    print(f"\nload average (1, 5, 15 min) at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} CPUs; at the start: {', '.join(f'{x:.1f}' for x in load_at_start)}")


def check(measured: dict) -> None:
    """The product's table 三 against the hand-written query's counts (every cell of 一, 二, 三（七）, 四)."""
    from gongkai.reports.computation.compute import COLUMN_BY_APPLICANT_TYPE

    expected = {row: {} for row in ("new", "carried_over", "total_processed", "carried_forward")}
    for applicant_type, _reply, is_new, is_closed, count in bare(scoped(BARE_REQUESTS["flags"], measured["params"], "a"), measured["params"]):
        column = COLUMN_BY_APPLICANT_TYPE[applicant_type]
        for row in ("new" if is_new else "carried_over", "total_processed" if is_closed else "carried_forward"):
            expected[row][column] = expected[row].get(column, 0) + count
    requests = measured["report"]["requests"]
    wrong = [(row, column) for row, cells in expected.items() for column, value in cells.items()
             if requests[row][column] != value]
    print(f"check    table 三 rows 一/二/三（七）/四 equal to the hand-written query's counts: "
          f"{'yes' if not wrong else f'NO, differ in {wrong}'}")


def print_table(args, measured, old, single):
    rounds = measured["rounds"]
    rollup = median_of(rounds["rollup"], lambda r: r["total"])
    floor = floor_total(rounds["floor"])
    table = []

    def row(metric, value, floor_value=None, target="", ok=None):
        ratio = f"{value / floor_value:.2f}x" if floor_value else ""
        table.append((metric, f"{value * 1000:,.1f} ms", f"{floor_value * 1000:,.1f} ms" if floor_value else "", ratio,
                      target, "" if ok is None else ("pass" if ok else "FAIL")))

    agencies = len(measured["report"]["included_agencies"])
    row(f"roll-up build_report, {agencies:,} agencies", rollup, floor, f"<= {TARGET_RATIO}x",
        rollup <= TARGET_RATIO * floor)
    parts = (("requests_table", "  table 三 (requests_table)", floor_requests(rounds["floor"])),
             ("active_table", "  table 二 (active_table)", median_of(rounds["floor"], lambda r: r["active"])),
             ("appeals_table", "  table 四 (appeals_table)", median_of(rounds["floor"], lambda r: r["appeals"])))
    for name, label, floor_value in parts:
        row(label, median_of(rounds["rollup"], lambda r, n=name: r[n]), floor_value)
    row(f"  included_agencies ({agencies:,} rows)", median_of(rounds["rollup"], lambda r: r["included_agencies"]))
    for shape in BARE_REQUESTS:
        row(f"  floor: table 三 by hand, {shape} shape", median_of(rounds["floor"], lambda r, s=shape: r[f"requests_{s}"]))
    if old:
        row("table 三 row by row in Python (before)", old["seconds"], floor_requests(rounds["floor"]))
    single_value = median_of(rounds["single"], lambda r: r["total"])
    single_floor = floor_total(rounds["single_floor"])
    row(f"one agency ({single.name}), no roll-up", single_value, single_floor)
    header = ("metric", "value", "floor", "ratio", "target", "result")
    width = [max(len(str(r[c])) for r in [header, *table]) for c in range(6)]
    print(f"\nmedians of {args.repeat} interleaved rounds after one warm-up round; floor = the hand-written "
          "queries (table 三: the shape with the lower median) + 二 + 四, rows fetched\n")
    for r in [header, *table]:
        print(f"{r[0]:<{width[0]}}  {r[1]:>{width[1]}}  {r[2]:>{width[2]}}  {r[3]:>{width[3]}}  {r[4]:<{width[4]}}  {r[5]}")
    if old:
        print(f"\nrow-by-row table 三 equal to the product's: {'yes' if old['equal'] else 'NO'}")


if __name__ == "__main__":
    main()
