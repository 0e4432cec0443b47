"""Applications benchmark: API submissions and the staff workbench against the framework floor.

    pip install '.[bench]'                       # gunicorn (and tantivy for bench/search.py)
    python bench/applications.py                 # 100,000 applications, 8 clients, 20 s phases
    python bench/applications.py --applications 20000 --clients 4 --seconds 10

On the embedded default (SQLite in WAL mode, in a throwaway GONGKAI_DATA_DIR; DATABASE_URL is
ignored), this preloads N applications over a few agencies and statuses, starts the real server
(gunicorn, sync workers, on 127.0.0.1) and beside it the task worker (`gongkai db_worker`, as
`gongkai up` and the worker service run it: it sends the e-mails and renders the receipts' PDF
and DOCX), and measures, in one run against that one server:

- the floor: GET /healthz (never touches the database) with C concurrent clients (Python threads,
  which share the CPUs with the server) and, when it is installed, with wrk (Debian package
  ``wrk``); the higher rate is the floor. Its one-at-a-time latency is the floor for the lists;
- submissions, the throughput phase: POST /api/v1/applications with C concurrent clients, every
  request a first POST with its own submission_key (a submission is one POST); this rate is the
  figure compared with the target (its ratio to the floor is printed for information). The CPU
  charged to the phase is the server's and the task worker's until the worker has caught up (the
  outbox empty and no task waiting or running): each submission's e-mail and receipt files;
- the correctness phase (not a throughput figure): every submission sent a second time with the same
  key, which must answer 200 "repeat" with the same tracking code; then pairs of clients race with
  one key each; then submissions sent twice while gunicorn workers are killed (SIGKILL) now and
  then, the clients resending a request whose connection died, as a real client does with its key;
- the staff workbench list (signed in as the agency's office admin, password then the current code
  of its authenticator, enrolled in the preload), with the worker idle: p50/p95 of the default
  ("open"), overdue and closed lists, requests sent one at a time.

Afterwards it checks the database: one application per key sent (none lost, none duplicated),
one receipt (with its files) and one audit row each, no receipt 文号 issued twice, every e-mail
sent. Finally it times intake.submit_online and the workbench lists in this process: wall and CPU
time and the share spent in SQL (the receipt's files are rendered by the worker, not here). Helpers: appdata.py (synthetic data, preload), appprofile.py, loadgen.py. Not part of the
test suite.
"""

import argparse
import collections
import json
import os
import platform
import random
import re
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from appdata import PASSWORD, STAFF_USER, build_organisation, person, preload, totp_code
from appprofile import profile_submit, profile_workbench
from appreport import report
from loadgen import Client, Server, TaskWorker, healthz_throughput, percentile, run_clients, wrk, wrk_threads

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))



class Submissions:
    """Sends submissions and remembers, per key, what the server answered."""

    def __init__(self, run_id: str, agency_codes: list[str]):
        self.run_id = run_id
        self.agency_codes = agency_codes
        self.lock = threading.Lock()
        self.answers: dict[str, list[tuple[int, dict]]] = collections.defaultdict(list)
        self.wrk_phases: set[str] = set()  # phases sent by wrk, which stops with requests in flight
        self.counter = 0

    def new_key(self, phase: str) -> tuple[str, bytes]:
        with self.lock:
            self.counter += 1
            n = self.counter
        rng = random.Random(f"{self.run_id}-{n}")
        payload = person(rng, n) | {"agency_code": self.agency_codes[n % len(self.agency_codes)],
                                    "submission_key": f"bench-{self.run_id}-{phase}-{n}"}
        return payload["submission_key"], json.dumps(payload, ensure_ascii=False).encode()

    def post(self, client: Client, key: str, body: bytes) -> tuple[int, dict, float]:
        started = time.perf_counter()
        status, _headers, data = client.request("POST", "/api/v1/applications", body,
                                                {"Content-Type": "application/json; charset=utf-8"})
        took = time.perf_counter() - started
        try:
            answer = json.loads(data)
        except ValueError:
            answer = {"unparsed": data[:200].decode("utf-8", "replace")}
        with self.lock:
            self.answers[key].append((status, answer))
        return status, answer, took

    def first_and_retry(self, client: Client, phase: str) -> tuple[float, float]:
        key, body = self.new_key(phase)
        _status, _answer, first = self.post(client, key, body)
        _status, _answer, retry = self.post(client, key, body)
        return first, retry

    def sent(self) -> set[str]:
        return set(self.answers)

    def check_answers(self, keys) -> dict:
        """Per key: exactly one 201 with a secret, every other answer a 200 repeat of the same code."""
        created = repeats = bad = 0
        problems = []
        for key in keys:
            answers = self.answers[key]
            firsts = [a for s, a in answers if s == 201]
            again = [a for s, a in answers if s == 200 and a.get("repeat") is True]
            codes = {a.get("tracking_code") for s, a in answers if s in (200, 201)}
            if len(firsts) == 1 and len(again) == len(answers) - 1 and len(codes) == 1 and firsts[0].get("secret"):
                created, repeats = created + 1, repeats + len(again)
            else:
                bad += 1
                if len(problems) < 5:
                    problems.append((key, [(s, a.get("error", a.get("tracking_code"))) for s, a in answers]))
        return {"created": created, "repeats": repeats, "bad": bad, "problems": problems}


def submission_throughput(port: int, clients: int, seconds: float, subs: Submissions, phase: str) -> dict:
    """The throughput phase: every request is a first POST with a new submission key."""
    def work(client, _i, deadline):
        firsts = []
        while time.perf_counter() < deadline:
            key, body = subs.new_key(phase)
            firsts.append(subs.post(client, key, body)[2])
        return firsts

    before = len(subs.answers)
    results, elapsed = run_clients(port, clients, seconds, work)
    firsts = [t for r in results for t in r]
    keys = list(subs.answers)[before:]
    check = subs.check_answers(keys)
    return {"rate": check["created"] / elapsed, "request_rate": len(firsts) / elapsed, "keys": len(keys),
            "seconds": elapsed, "first_ms": [t * 1000 for t in firsts], "retry_ms": [], **check}


def wrk_submissions(port: int, clients: int, seconds: float, subs: Submissions, phase: str, workdir: Path) -> dict | None:
    """The throughput phase driven by wrk (wrk_submit.lua), the tool that measured the floor: each
    request a first POST with its own key, every answer kept and matched to its key afterwards."""
    if not shutil.which("wrk"):
        return None
    bodies, answers = workdir / f"{phase}.jsonl", workdir / f"{phase}.answers"
    with bodies.open("wb") as out:  # more than the server can take in the phase
        for _ in range(int(seconds * 2500) + 2000):
            out.write(subs.new_key(phase)[1] + b"\n")
    subs.wrk_phases.add(phase)
    run = wrk(port, clients, seconds, "/api/v1/applications", HERE / "wrk_submit.lua",
              (str(bodies), str(wrk_threads(clients)), str(answers)))
    before, unmatched = len(subs.answers), 0
    for path in workdir.glob(f"{answers.name}.*"):
        for line in path.read_bytes().splitlines():
            status, _tab, data = line.partition(b"\t")
            try:
                answer = json.loads(data)
            except ValueError:
                answer = {}
            if not isinstance(answer, dict) or not answer.get("submission_key"):
                unmatched += 1  # an error without the key, or a /healthz sent after the bodies ran out
                continue
            subs.answers[answer["submission_key"]].append((int(status), answer))
    keys = list(subs.answers)[before:]
    check = subs.check_answers(keys)
    return {"rate": check["created"] / run["seconds"], "request_rate": run["rate"], "keys": len(keys),
            "seconds": run["seconds"], "first_ms": [], "retry_ms": [], "unmatched": unmatched,
            "client_cpu_s": run["cpu_s"], **check}


def retries(port: int, clients: int, seconds: float, subs: Submissions, phase: str) -> dict:
    """The correctness phase: every submission is sent twice with its key (a client retrying), and
    the retry must be answered 200 "repeat" with the first answer's tracking code."""
    def work(client, _i, deadline):
        firsts, again = [], []
        while time.perf_counter() < deadline:
            first, retry = subs.first_and_retry(client, phase)
            firsts.append(first)
            again.append(retry)
        return firsts, again

    before = len(subs.answers)
    results, elapsed = run_clients(port, clients, seconds, work)
    firsts = [t for r in results for t in r[0]]
    again = [t for r in results for t in r[1]]
    keys = list(subs.answers)[before:]
    check = subs.check_answers(keys)
    return {"rate": check["created"] / elapsed, "request_rate": (len(firsts) + len(again)) / elapsed,
            "keys": len(keys), "seconds": elapsed, "first_ms": [t * 1000 for t in firsts],
            "retry_ms": [t * 1000 for t in again], **check}


def killed(server, port: int, clients: int, seconds: float, kills: int, subs: Submissions, phase: str) -> dict:
    """The worker-kill phase: every submission sent twice with its key while a gunicorn worker is
    killed (SIGKILL) ``kills`` times, evenly over the phase. A request whose connection dies is sent
    again by its client (loadgen.Client), so a key may never see its 201: the answer to the first
    POST died with the worker after the commit. Every answer a key gets must name one tracking code."""
    stop = threading.Event()
    done_kills = []

    def killer():
        for _ in range(kills):
            if stop.wait(seconds / (kills + 1)):
                return
            pids = server.worker_pids()
            if pids:
                victim = random.choice(pids)
                os.kill(victim, signal.SIGKILL)  # a worker of the server this script started
                done_kills.append(victim)

    def work(client, _i, deadline):
        while time.perf_counter() < deadline:
            subs.first_and_retry(client, phase)
        return client.reconnects

    before = len(subs.answers)
    thread = threading.Thread(target=killer)
    thread.start()
    try:
        results, elapsed = run_clients(port, clients, seconds, work)
    finally:
        stop.set()
        thread.join()
    keys = list(subs.answers)[before:]
    bad, problems = 0, []
    for key in keys:
        answers = subs.answers[key]
        codes = {a.get("tracking_code") for s, a in answers}
        if len(codes) != 1 or None in codes or any(s not in (200, 201) for s, _a in answers) or sum(s == 201 for s, _a in answers) > 1:
            bad += 1
            if len(problems) < 5:
                problems.append((key, [(s, a.get("error", a.get("tracking_code"))) for s, a in answers]))
    return {"keys": len(keys), "kills": len(done_kills), "resent": sum(results), "seconds": elapsed, "bad": bad,
            "problems": problems, "repeats": 0}


def queue_drained(worker: TaskWorker, timeout: float = 600) -> dict:
    """Wait for the task worker to catch up: {"mails", "tasks"} waiting when called, and the seconds
    until the outbox was empty ("mail_s") and until no task was waiting or running ("tasks_s": the
    receipts' files rendered too). Raises when the worker has died or the timeout passes."""
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from gongkai.applications.models import OutgoingMail

    def pending():
        return DBTaskResult.objects.filter(status__in=["READY", "RUNNING"])

    started = time.perf_counter()
    out = {"mails": OutgoingMail.objects.count(), "tasks": pending().count(), "mail_s": None}
    while True:
        took = time.perf_counter() - started
        if out["mail_s"] is None and not OutgoingMail.objects.exists():
            out["mail_s"] = took
        if out["mail_s"] is not None and not pending().exists():
            out["tasks_s"] = took
            break
        if not worker.alive() or took > timeout:
            raise RuntimeError(f"task worker {'died' if not worker.alive() else 'did not catch up'}: "
                               f"{OutgoingMail.objects.count()} e-mails, {pending().count()} tasks left\n"
                               f"{worker.log.read_text()[-3000:]}")
        time.sleep(0.1)
    connection.close()
    return out


def race(port: int, pairs: int, subs: Submissions) -> dict:
    """Two clients send the same new key at the same moment, ``pairs`` times."""
    clients = [Client(port), Client(port)]
    barrier = threading.Barrier(2)
    keys = []
    for _ in range(pairs):
        key, body = subs.new_key("race")
        keys.append(key)

        def send(client, key=key, body=body):
            barrier.wait()
            subs.post(client, key, body)

        threads = [threading.Thread(target=send, args=(c,)) for c in clients]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    for c in clients:
        c.close()
    return subs.check_answers(keys)


def _csrf_post(client: Client, path: str, fields: dict) -> tuple[int, dict]:
    """GET a form page, then POST ``fields`` to it with its CSRF token, as the browser does."""
    status, _h, page = client.get(path)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if status != 200 or not token:
        raise RuntimeError(f"{path}: {status}")
    form = urllib.parse.urlencode(fields | {"csrfmiddlewaretoken": token.group(1).decode()}).encode()
    status, headers, _b = client.request("POST", path, form, {
        "Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://127.0.0.1:{client.port}{path}"})
    return status, headers


def sign_in(port: int) -> Client:
    """The staff user's sign-in: password, then the second factor (the authenticator's current code)."""
    client = Client(port)
    status, headers = _csrf_post(client, "/staff/login/", {"username": STAFF_USER, "password": PASSWORD})
    if status != 302 or "sessionid" not in client.cookies:
        raise RuntimeError(f"sign-in failed: {status} {headers.get('Location')}")
    status, headers = _csrf_post(client, "/staff/account/2fa/verify/", {"token": totp_code()})
    if status != 302 or "/2fa/" in (headers.get("Location") or ""):
        raise RuntimeError(f"second factor refused: {status} {headers.get('Location')}")
    status, headers, _b = client.get("/staff/")
    if status != 200:
        raise RuntimeError(f"workspace after sign-in: {status} {headers.get('Location')}")
    return client


def latencies(port: int, code: str, requests: int, closed_requests: int) -> dict:
    """One signed-in staff member, one request at a time, the lists interleaved with /healthz.

    The closed list is sent fewer times: at 100,000 applications each request takes seconds.
    """
    client = sign_in(port)
    paths = {"healthz": "/healthz", "open": f"/staff/a/{code}/applications/",
             "overdue": f"/staff/a/{code}/applications/?list=overdue",
             "closed": f"/staff/a/{code}/applications/?list=closed"}
    wanted = {"healthz": requests, "open": requests, "overdue": requests, "closed": closed_requests}
    times: dict[str, list[float]] = {name: [] for name in paths}
    pages: dict[str, int] = {}
    for round_ in range(requests + 5):
        for name, path in paths.items():
            if round_ >= wanted[name] + 5:
                continue
            started = time.perf_counter()
            status, _h, body = client.get(path)
            took = (time.perf_counter() - started) * 1000
            if status != 200:
                raise RuntimeError(f"{path}: HTTP {status}")
            if round_ >= 5:  # the first rounds warm the workers' caches
                times[name].append(took)
            if name != "healthz":
                total = re.search(r"第 \d+ / (\d+) 页".encode(), body)
                pages[name] = int(total.group(1)) if total else 1
    client.close()
    return {"times": times, "pages": pages}


# --- the run -------------------------------------------------------------------------------------


def machine_facts() -> str:
    import sqlite3

    import django

    model = ""
    try:
        model = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                     if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    versions = []
    for name in ("gunicorn", "weasyprint"):
        try:
            versions.append(f"{name} {__import__('importlib.metadata').metadata.version(name)}")
        except Exception:  # noqa: BLE001
            pass
    return (f"{os.cpu_count()} CPUs ({model or platform.machine()}), Python {platform.python_version()}, "
            f"SQLite {sqlite3.sqlite_version}, Django {django.get_version()}, " + ", ".join(versions))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--applications", type=int, default=100_000, help="applications preloaded")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients for the throughput phases")
    parser.add_argument("--seconds", type=float, default=20, help="length of each throughput phase")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="gunicorn sync workers")
    parser.add_argument("--requests", type=int, default=200, help="requests per workbench list (and /healthz)")
    parser.add_argument("--closed-requests", type=int, default=20, help="requests for the (slow) closed list")
    parser.add_argument("--retry-seconds", type=float, default=5,
                        help="length of the correctness phase (each submission sent twice with its key)")
    parser.add_argument("--race", type=int, default=30, help="keys sent by two clients at the same moment")
    parser.add_argument("--profile", type=int, default=10, help="in-process submissions timed part by part")
    parser.add_argument("--kill-seconds", type=float, default=10, help="length of the worker-kill phase (0: none)")
    parser.add_argument("--kills", type=int, default=5, help="workers killed during the worker-kill phase")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--keep", action="store_true", help="keep the data directory and print where it is")
    args = parser.parse_args()
    try:
        import gunicorn  # noqa: F401
    except ImportError:
        sys.exit("gunicorn is needed: pip install '.[bench]'")

    data_dir = Path(tempfile.mkdtemp(prefix="gongkai-apps-bench-"))
    if os.environ.pop("DATABASE_URL", None):
        print("note: DATABASE_URL ignored; this benchmark measures the embedded default (SQLite)")
    os.environ.update({
        "GONGKAI_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "gongkai.settings",
        # The per-client hourly limits would stop a benchmark from one address after 10 submissions.
        "GONGKAI_APPLY_PER_HOUR": str(10**9), "GONGKAI_TRACK_PER_HOUR": str(10**9),
    })
    os.environ.pop("GONGKAI_DEBUG", None)
    servers: list[Server | TaskWorker] = []
    try:
        run(args, data_dir, servers)
    finally:
        for server in servers:
            server.stop()
        if args.keep:
            print(f"kept: GONGKAI_DATA_DIR={data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


def charged(server, worker, send) -> dict:
    """A throughput phase with the CPU it cost: the server's and the task worker's until the worker
    has caught up (every e-mail sent, every receipt's files rendered: none left behind for later)
    and the clients' (wrk's own, or this process's threads)."""
    cpu = (server.cpu_seconds(), worker.cpu_seconds(), time.process_time())
    result = send()
    answered = server.cpu_seconds() - cpu[0]
    drained = queue_drained(worker)
    created = max(result["created"], 1)
    clients = result.get("client_cpu_s", time.process_time() - cpu[2])
    worker_cpu = worker.cpu_seconds() - cpu[1]
    return result | {"backlog": drained["mails"], "tasks": drained["tasks"], "drain_s": drained["mail_s"],
                     "tasks_s": drained["tasks_s"], "cpu_answer_ms": answered / created * 1000,
                     "worker_ms": worker_cpu / created * 1000,
                     "cpu_ms": (server.cpu_seconds() - cpu[0] + worker_cpu) / created * 1000,
                     "client_ms": clients / created * 1000}


def say_submitted(clients: str, phase: dict) -> None:
    latency = (f"first POST p50/p95 {statistics.median(phase['first_ms']):,.0f}/"
               f"{percentile(phase['first_ms'], .95):,.0f} ms; " if phase["first_ms"] else "")
    print(f"submit   {clients}: {phase['rate']:,.1f} submissions/s, first POSTs only ({phase['created']:,} new in "
          f"{phase['seconds']:.1f} s; {phase['bad']} keys answered wrongly, {phase.get('unmatched', 0)} answers without "
          f"a key); {latency}{phase['backlog']:,} e-mails in the outbox and {phase['tasks']:,} tasks queued at the end, "
          f"all e-mails sent {phase['drain_s']:.1f} s later and every task done {phase['tasks_s']:.1f} s later; CPU per "
          f"submission: server + task worker {phase['cpu_ms']:.2f} ms (e-mail sent, receipt rendered; the server "
          f"{phase['cpu_answer_ms']:.2f} ms until the last answer, the worker {phase['worker_ms']:.2f} ms), clients "
          f"{phase['client_ms']:.2f} ms", flush=True)


def run(args, data_dir: Path, servers: list):
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    print(f"gongkai applications benchmark: {args.applications:,} applications, {args.clients} clients, "
          f"{args.seconds:g} s phases, gunicorn {args.workers} sync workers\n{machine_facts()}", flush=True)
    load_at_start = os.getloadavg()  # others' work on this machine shows in every figure
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    agencies, handlers = build_organisation()
    t1 = time.perf_counter()
    tally = preload(args.applications, agencies, handlers, args.seed)
    t2 = time.perf_counter()
    measured = agencies[0]
    mine_open, mine_closed = tally[(measured.pk, True)], tally[(measured.pk, False)]
    db_file = Path(connection.settings_dict["NAME"])
    print(f"setup    migrate + organisation {t1 - t0:.1f} s; preload {args.applications:,} applications "
          f"{t2 - t1:.1f} s ({args.applications / (t2 - t1):,.0f}/s); database {db_file.stat().st_size / 2**20:,.0f} MiB; "
          f"{measured.short_name} (measured) has {mine_open:,} open and {mine_closed:,} closed", flush=True)
    connection.close()

    run_id = f"{int(time.time())}"
    subs = Submissions(run_id, [a.code for a in agencies])
    server = Server(data_dir, args.workers)
    servers.append(server)
    worker = TaskWorker(data_dir)  # sends the e-mails and renders the receipts, as in production
    servers.append(worker)
    server.wait_ready()
    # Warm every worker (imports, WeasyPrint's first load, template caches) before measuring.
    run_clients(server.port, args.workers * 2, 0, lambda c, _i, _d: [subs.first_and_retry(c, "warm") for _ in range(2)])
    healthz_throughput(server.port, args.clients, 1)
    queue_drained(worker)

    cpu = (server.cpu_seconds(), time.process_time())
    floor = healthz_throughput(server.port, args.clients, args.seconds)
    floor |= {"cpu_ms": (server.cpu_seconds() - cpu[0]) / floor["requests"] * 1000,
              "client_ms": (time.process_time() - cpu[1]) / floor["requests"] * 1000}
    print(f"floor    /healthz, {args.clients} Python clients: {floor['rate']:,.0f} req/s ({floor['requests']:,} in "
          f"{floor['seconds']:.1f} s, {floor['errors']} errors); server CPU {floor['cpu_ms']:.2f} ms, clients "
          f"{floor['client_ms']:.2f} ms per request", flush=True)
    cpu = server.cpu_seconds()
    wrk_floor = wrk(server.port, args.clients, args.seconds)
    if wrk_floor:
        wrk_floor |= {"cpu_ms": (server.cpu_seconds() - cpu) / wrk_floor["requests"] * 1000,
                      "client_ms": wrk_floor["cpu_s"] / wrk_floor["requests"] * 1000}
        print(f"         /healthz, wrk {args.clients} connections: {wrk_floor['rate']:,.0f} req/s; server CPU "
              f"{wrk_floor['cpu_ms']:.2f} ms, wrk {wrk_floor['client_ms']:.3f} ms per request", flush=True)
    loaded = None
    if wrk_floor:
        loaded = charged(server, worker, lambda: wrk_submissions(server.port, args.clients, args.seconds, subs, "wrk", data_dir))
        say_submitted(f"wrk {args.clients} connections", loaded)
    submitted = charged(server, worker, lambda: submission_throughput(server.port, args.clients, args.seconds, subs, "load"))
    say_submitted(f"{args.clients} Python clients", submitted)
    mixed = retries(server.port, args.clients, args.retry_seconds, subs, "retry") if args.retry_seconds else None
    if mixed:
        print(f"retry    {mixed['created']:,} submissions each sent twice with its key: {mixed['repeats']:,} retries "
              f"answered 200 repeat with the first code, {mixed['bad']} keys wrongly; {mixed['rate']:,.1f} submissions/s "
              f"({mixed['request_rate']:,.1f} POSTs/s; not the throughput figure); retry p50/p95 "
              f"{statistics.median(mixed['retry_ms']):,.0f}/{percentile(mixed['retry_ms'], .95):,.0f} ms", flush=True)
    raced = race(server.port, args.race, subs) if args.race else {"created": 0, "bad": 0, "problems": []}
    if args.race:
        print(f"race     {args.race} keys sent by two clients at once: {raced['created']} answered 201 + 200 repeat "
              f"with one tracking code, {raced['bad']} wrongly", flush=True)
    # The lists are timed with the worker idle again (its backlog from the phases above done).
    caught_up = queue_drained(worker)
    print(f"queue    {caught_up['mails']:,} e-mails and {caught_up['tasks']:,} tasks left by the correctness phases, "
          f"done {caught_up['tasks_s']:.1f} s later", flush=True)
    lists = latencies(server.port, measured.code, args.requests, args.closed_requests)
    kill = None
    if args.kill_seconds:
        kill = killed(server, server.port, args.clients, args.kill_seconds, args.kills, subs, "kill")
        print(f"kill     {kill['kills']} workers killed while {kill['keys']:,} submissions were each sent twice: "
              f"{kill['resent']} requests resent after their connection died, {kill['bad']} keys answered wrongly", flush=True)
    server.stop()
    servers.remove(server)
    queue_drained(worker)
    worker.stop()
    servers.remove(worker)

    integrity = verify(subs, run_id, args.applications)
    profile = profile_submit(measured, args.profile, run_id) if args.profile else None
    views = profile_workbench(measured.code, 5) if args.profile else None
    report(args, floor, wrk_floor, loaded, submitted, mixed, raced, kill, lists, integrity, profile, views)
    print(f"\nload average (1, 5, 15 min) at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} CPUs; at the start: {', '.join(f'{x:.1f}' for x in load_at_start)}")


def verify(subs: Submissions, run_id: str, preloaded: int) -> dict:
    """What the database holds for every key the clients sent."""
    from django.db.models import Count

    from gongkai.applications.intake import APPLICANT_LABEL
    from gongkai.applications.models import Application, Letter
    from gongkai.audit.models import AuditEntry

    sent = subs.sent()
    rows = dict(Application.objects.filter(submission_key__startswith=f"bench-{run_id}-")
                .values_list("submission_key", "tracking_code"))
    per_key = (Application.objects.filter(submission_key__startswith=f"bench-{run_id}-").values("submission_key")
               .annotate(n=Count("id")).filter(n__gt=1).count())
    answered = {k: {a.get("tracking_code") for s, a in v if s in (200, 201)} for k, v in subs.answers.items()}
    wrong_code = sum(1 for k, codes in answered.items() if k in rows and codes != {rows[k]})
    ours = {"application__submission_key__startswith": f"bench-{run_id}-"}
    receipts = Letter.objects.filter(kind="receipt", issued_at__isnull=False, **ours)
    receipt_rows = receipts.count()
    receipt_apps = receipts.values("application_id").distinct().count()
    receipt_files = receipts.exclude(pdf="").exclude(docx="").count()
    expected_receipts = len(rows)
    # wrk stops with a request on each connection in flight: the server may have stored those
    # (their answers went nowhere), at most one per connection. Any other unanswered row is wrong.
    unanswered = set(rows) - sent
    in_flight = sum(1 for k in unanswered if k.split("-", 2)[2].rsplit("-", 1)[0] in subs.wrk_phases)
    numbers = (Letter.objects.filter(number__gt="").values("application__agency_id", "number")
               .annotate(n=Count("id")).filter(n__gt=1).count())
    # The preload writes no audit rows: every applicant-created one is a submission of this run.
    audits = AuditEntry.objects.filter(object_type="applications.application", action="create",
                                       actor_label=APPLICANT_LABEL).count()
    from django.conf import settings
    from django_tasks_db.models import DBTaskResult

    from gongkai.applications.models import OutgoingMail

    # The file e-mail backend separates messages by a line of 79 dashes (one file per sender batch).
    mails = sum(f.read_bytes().count(b"\n" + b"-" * 79 + b"\n") for f in Path(settings.EMAIL_FILE_PATH).glob("*"))
    return {"mails": mails, "outbox_left": OutgoingMail.objects.count(), "sent": len(sent), "stored": len(rows), "lost": len(sent - set(rows)),
            "extra": len(unanswered) - in_flight, "in_flight": in_flight, "wrk_phases": subs.wrk_phases,
            "duplicated": per_key + (Application.objects.count() - preloaded - len(rows)),
            "wrong_code": wrong_code, "receipts": receipt_rows, "receipt_files": receipt_files,
            "failed_tasks": DBTaskResult.objects.failed().count(), "receipt_apps": receipt_apps, "expected_receipts": expected_receipts,
            "duplicate_numbers": numbers, "audits": audits}


if __name__ == "__main__":
    main()
