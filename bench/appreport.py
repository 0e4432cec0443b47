"""The applications benchmark's result table: each figure beside its floor and its target."""

import statistics

from loadgen import percentile

TARGET_SUBMIT_RATE = 100.0  # submissions per second, 2 workers on a 2-core machine
TARGET_LIST_P95_MS = 50.0


def report(args, floor, wrk_floor, loaded, submitted, mixed, raced, kill, lists, integrity, profile, views):
    times = lists["times"]
    hz50, hz95 = statistics.median(times["healthz"]), percentile(times["healthz"], 0.95)
    table = []

    def row(metric, value, floor_text="", ratio="", target="", ok=None):
        table.append((metric, value, floor_text, ratio, target, "" if ok is None else ("pass" if ok else "FAIL")))

    # Like against like: submissions sent by wrk against the /healthz rate wrk reaches (wrk spends a
    # few microseconds per request, Python threads a third of a millisecond of the same two CPUs);
    # without wrk, both with Python clients.
    target, base = (loaded, wrk_floor) if wrk_floor else (submitted, floor)
    client = f"wrk {args.clients} connections" if wrk_floor else f"{args.clients} Python clients"
    row(f"/healthz, {client} (floor)", f"{base['rate']:,.0f} req/s")
    ratio = target["rate"] / base["rate"]
    row(f"submissions (first POSTs), {client}: the target", f"{target['rate']:,.2f} /s",
        f"{base['rate']:,.0f} req/s", f"{ratio:.2%}", f">= {TARGET_SUBMIT_RATE:.0f} /s, {args.workers} workers",
        target["rate"] >= TARGET_SUBMIT_RATE)
    row("  server CPU per /healthz : server + worker per submission", f"{target['cpu_ms']:,.2f} ms",
        f"{base['cpu_ms']:,.2f} ms", f"{base['cpu_ms'] / target['cpu_ms']:.2%}")
    if wrk_floor:
        row(f"/healthz, {args.clients} Python clients", f"{floor['rate']:,.0f} req/s")
        row(f"submissions (first POSTs), {args.clients} Python clients", f"{submitted['rate']:,.2f} /s",
            f"{floor['rate']:,.0f} req/s", f"{submitted['rate'] / floor['rate']:.2%}")
        row("  the same, against the wrk floor (the figure reported before)", f"{submitted['rate']:,.2f} /s",
            f"{base['rate']:,.0f} req/s", f"{submitted['rate'] / base['rate']:.2%}")
    floor_rate = base["rate"]
    if mixed:
        row("  submissions sent twice (correctness phase)", f"{mixed['rate']:,.2f} /s", f"{floor_rate:,.0f} req/s",
            f"{mixed['rate'] / floor_rate:.2%}")
    for name, label in (("open", "default (open)"), ("overdue", "overdue"), ("closed", "closed")):
        p50, p95 = statistics.median(times[name]), percentile(times[name], 0.95)
        row(f"workbench {label} list p50", f"{p50:,.1f} ms", f"{hz50:,.1f} ms", f"{p50 / hz50:,.0f}x")
        row(f"workbench {label} list p95", f"{p95:,.1f} ms", f"{hz95:,.1f} ms", f"{p95 / hz95:,.0f}x",
            f"<= {TARGET_LIST_P95_MS:.0f} ms", p95 <= TARGET_LIST_P95_MS)
    i = integrity
    row("applications lost / duplicated", f"{i['lost']} / {i['duplicated']}", f"of {i['sent']:,} keys", "", "0 / 0",
        i["lost"] == 0 and i["duplicated"] == 0 and i["extra"] == 0
        and i["in_flight"] <= args.clients * len(i["wrk_phases"]))
    mixed = mixed or {"bad": 0, "repeats": 0, "problems": []}
    loaded = loaded or {"bad": 0, "problems": [], "unmatched": 0}
    kill = kill or {"bad": 0, "problems": [], "kills": 0, "keys": 0}
    answered_ok = (loaded["bad"] == 0 and loaded["unmatched"] == 0 and submitted["bad"] == 0 and mixed["bad"] == 0
                   and raced["bad"] == 0 and kill["bad"] == 0 and i["wrong_code"] == 0)
    row("same-key retries answered 200 repeat", f"{mixed['repeats'] + raced.get('repeats', 0):,}",
        "", "", "all, same code", answered_ok)
    row("  of them with workers killed (keys answered with one code)", f"{kill['keys'] - kill['bad']:,} of {kill['keys']:,}",
        f"{kill['kills']} kills", "", "all", kill["bad"] == 0)
    width = [max(len(str(r[c])) for r in table + [("metric", "value", "floor", "ratio", "target", "result")])
             for c in range(6)]
    print()
    for r in [("metric", "value", "floor", "ratio", "target", "result"), *table]:
        print(f"{r[0]:<{width[0]}}  {r[1]:>{width[1]}}  {r[2]:>{width[2]}}  {r[3]:>{width[3]}}  "
              f"{r[4]:<{width[4]}}  {r[5]}")

    print(f"\nlists: {lists['pages']['open']:,} pages of open cases, {lists['pages']['overdue']:,} overdue, "
          f"{lists['pages']['closed']:,} closed (30 a page); {args.requests} requests each ({args.closed_requests} for closed), one at a time, "
          "interleaved with /healthz, signed in")
    print(f"database: {i['stored']:,} applications stored for {i['sent']:,} keys answered ({i['extra']} unexpected, "
          f"{i['in_flight']} in flight when wrk stopped), "
          f"{i['wrong_code']} keys answered with another tracking code; {i['receipts']:,} receipts issued for "
          f"{i['receipt_apps']:,} of the {i['expected_receipts']:,} sent to the real server; {i['audits']:,} audit rows; "
          f"receipt 文号 issued twice: {i['duplicate_numbers']}; {i['receipt_files']:,} receipts with their PDF and "
          f"DOCX rendered by the task worker; {i['mails']:,} e-mails sent by it (one per application with an address, "
          f"at least once), {i['outbox_left']} left in the outbox; {i['failed_tasks']} tasks failed")
    problems = loaded["problems"] + submitted["problems"] + mixed["problems"] + raced["problems"] + kill["problems"]
    if problems:
        print("wrong answers (first few):", problems)
    if profile:
        print(f"\nwhere a submission's time goes (intake.submit_online in-process, one at a time, mean of "
              f"{args.profile}; the e-mail and the receipt's files are the task worker's, not timed here): "
              f"{profile['total_ms']:,.2f} ms wall, {profile['cpu_ms']:,.2f} ms CPU, of which SQL "
              f"{profile['sql_ms']:,.2f} ms ({profile['queries']:.0f} statements)")
    if views:
        print("\nwhere a workbench list's time goes (the view in-process, Django's test client, mean of 5):")
        for name, v in views.items():
            print(f"  {name:<8} {v['total_ms']:>8,.1f} ms = SQL {v['sql_ms']:,.1f} ms ({v['queries']:.0f} queries) + "
                  f"the rest {v['total_ms'] - v['sql_ms']:,.1f} ms")

