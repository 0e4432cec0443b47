"""Monitoring benchmark: every supervision indicator for every agency of a city over one year,
against a bare SQL count of the same records.

    python bench/supervision.py                              # SQLite in a throwaway data directory
    DATABASE_URL=postgres://u:p@host:5432/x python bench/supervision.py
        # PostgreSQL: a throwaway database "<x>_report_bench" on that server (needs CREATEDB)
    python bench/supervision.py --applications 100000        # smaller, quicker

Builds the city of bench/report_data.py (1,000 agencies, their applications and items; setup, not
measured), then times indicators.evaluate over all 1,000 agencies for the year, one indicator at a
time, interleaved with the floor: for each indicator a hand-written COUNT(*) over the rows it
reads (same tables, same date and agency conditions), nothing else. Prints the medians of
--repeat rounds and the ratio product / floor (target ≤ 3× in issue 18). Not part of the test suite.
"""

import argparse
import datetime as dt
import os
import statistics
import time

from report import setup_database, timed

FLOORS = {
    "disclosure_late": [
        "SELECT COUNT(*) FROM disclosure_item WHERE disclosure = 'proactive' AND published_on BETWEEN %(start)s AND %(end)s",
        "SELECT COUNT(*) FROM disclosure_item WHERE disclosure = 'proactive' AND status IN ('draft', 'in_review') "
        "AND written_on <= %(end)s"],
    "interpretation_missing": [
        "SELECT COUNT(*) FROM disclosure_item i JOIN disclosure_cataloguenode n ON n.id = i.catalogue_node_id "
        "WHERE n.code = 'xzgfxwj' AND i.status = 'published' AND i.disclosure = 'proactive' "
        "AND i.published_on BETWEEN %(start)s AND %(end)s"],
    "interpretation_late": [
        "SELECT COUNT(*) FROM disclosure_item i JOIN disclosure_item p ON p.id = i.interprets_id "
        "WHERE i.status = 'published' AND i.published_on BETWEEN %(start)s AND %(end)s"],
    "concern_response_late": [
        "SELECT COUNT(*) FROM disclosure_concernresponse c JOIN disclosure_item i ON i.id = c.item_id "
        "WHERE i.disclosure = 'proactive' AND c.surfaced_at >= %(start)s AND c.surfaced_at <= %(end)s"],
    "application_overdue": [
        "SELECT COUNT(*) FROM applications_application WHERE due_on IS NOT NULL AND received_on <= %(end)s "
        "AND due_on < %(end)s AND clock_state IN ('running', 'fixed') AND (open_case = 1 OR replied_on > %(end)s)",
        "SELECT COUNT(*) FROM applications_application WHERE due_on IS NOT NULL "
        "AND replied_on BETWEEN %(start)s AND %(end)s AND replied_on > due_on"],
    "correction_late": [
        "SELECT COUNT(*) FROM applications_clockevent e JOIN applications_application a ON a.id = e.application_id "
        "WHERE e.kind = 'correction_requested' AND e.on BETWEEN %(start)s AND %(end)s"],
    "annual_report_late": [
        "SELECT COUNT(*) FROM reports_annualreport WHERE rollup = FALSE AND year BETWEEN %(year_before)s AND %(year)s"],
    "column_stale": [
        "SELECT COUNT(*) FROM disclosure_cataloguenode",
        "SELECT catalogue_node_id, MAX(published_on) FROM disclosure_item WHERE status = 'published' "
        "AND disclosure = 'proactive' AND published_on <= %(end)s GROUP BY catalogue_node_id"],
    "enquiry_unanswered_long": [
        "SELECT COUNT(*) FROM enquiries_enquiry WHERE received_on <= %(end)s "
        "AND (answered_on IS NULL OR answered_on >= %(start)s)"],
    "enquiry_reply_late": [
        "SELECT COUNT(*) FROM enquiries_enquiry WHERE answered_on BETWEEN %(start)s AND %(end)s AND answered_on > due_on",
        "SELECT COUNT(*) FROM enquiries_enquiry WHERE received_on <= %(end)s AND due_on BETWEEN %(start)s AND %(end)s "
        "AND (answered_on IS NULL OR answered_on > %(end)s)"],
    "enquiry_answer_unpublished": [
        "SELECT COUNT(*) FROM enquiries_enquiry WHERE received_on < %(end)s AND allow_publish = TRUE "
        "AND personal = FALSE AND status NOT IN ('refused', 'converted')"],
    "consultation_feedback_overdue": [
        "SELECT COUNT(*) FROM consultations_consultation WHERE status = 'opened' AND ends_on < %(end)s"],
    "column_blank": [
        "SELECT COUNT(*) FROM disclosure_cataloguenode",
        "SELECT catalogue_node_id, MAX(published_on) FROM disclosure_item WHERE status = 'published' "
        "AND disclosure = 'proactive' AND published_on <= %(end)s GROUP BY catalogue_node_id"],
}


def floor(code: str, params: dict) -> float:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in FLOORS[code]:
            cursor.execute(sql.replace(" e.on ", f" e.{connection.ops.quote_name('on')} "), params)
            cursor.fetchall()
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--applications", type=int, default=300_000)
    parser.add_argument("--items-per-agency", type=int, default=100)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20260401)
    args = parser.parse_args()
    _env, cleanup = setup_database()
    try:
        run(args)
    finally:
        cleanup()


def run(args):
    import django

    django.setup()
    import report_data
    from django.core.management import call_command
    from django.db import connection

    from gongkai.orgs.models import Agency
    from gongkai.supervision.indicators import INDICATORS
    from gongkai.workdays.calendar import WorkdayCalendar

    load_at_start = os.getloadavg()
    call_command("migrate", verbosity=0)
    built = report_data.build(args.applications, args.items_per_agency, args.seed)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "PRAGMA wal_checkpoint(TRUNCATE)")
    start, end = dt.date(args.year, 1, 1), dt.date(args.year, 12, 31)
    ids = list(Agency.objects.values_list("pk", flat=True))
    calendar = WorkdayCalendar.load()
    params = {"start": start, "end": end, "year": args.year, "year_before": args.year - 1}
    print(f"gongkai monitoring benchmark: {len(ids):,} agencies, {built['applications']:,} applications, "
          f"{built['items']['total']:,} items, year {args.year}, {connection.vendor}, {os.cpu_count()} CPUs", flush=True)
    product, floors, hits = {c: [] for c in INDICATORS}, {c: [] for c in INDICATORS}, {}
    for _round in range(args.repeat):
        for code, indicator in INDICATORS.items():
            seconds, found = timed(indicator.evaluate, ids, start, end, calendar)
            product[code].append(seconds)
            hits[code] = len(found)
            floors[code].append(floor(code, params))
    print(f"\n{'indicator':<30}{'findings':>10}{'product s':>12}{'floor s':>10}{'ratio':>8}")
    total_p = total_f = 0.0
    for code in INDICATORS:
        p, f = statistics.median(product[code]), statistics.median(floors[code])
        total_p, total_f = total_p + p, total_f + f
        print(f"{code:<30}{hits[code]:>10,}{p:>12.3f}{f:>10.3f}{p / f if f else float('nan'):>8.1f}")
    print(f"{'all indicators':<30}{sum(hits.values()):>10,}{total_p:>12.3f}{total_f:>10.3f}{total_p / total_f:>8.1f}"
          f"   (target ≤ 3×)")
    print(f"\nload average (1, 5, 15 min) at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}; "
          f"at the start: {', '.join(f'{x:.1f}' for x in load_at_start)}")


if __name__ == "__main__":
    main()
