"""Task queue benchmark: django-tasks with its database backend (django_tasks_db), as gongkai uses it.

    python bench/tasks.py                        # SQLite in a throwaway data directory
    DATABASE_URL=postgres://… python bench/tasks.py --tasks 2000
    python bench/tasks.py --compare-django-q2    # also django-q2's ORM broker (pip install django-q2)

Prints, for the database in use:

- enqueue: the cost of enqueueing one task inside a write transaction (what a submission pays for
  its e-mail and its receipt's rendering), against the plain INSERT of an outbox row;
- worker, no-op: tasks per second one worker runs when each does nothing (the queue's own cost:
  claim, run, record the result), in this process with db_worker's real loop;
- worker, mail: outbox messages per second sent one per task (locmem mail backend, so this is
  gongkai's and the queue's cost, not a mail server's);
- idle poll: how long one poll of an idle worker holds the write turn (SQLite) or a transaction.

With --compare-django-q2, the same enqueue and no-op run through django-q2 (ORM broker, its
cluster in ``sync`` mode is not used: a real cluster is started with one worker).
Not part of the test suite.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def setup(compare_q2: bool):
    os.environ.setdefault("GONGKAI_DATA_DIR", tempfile.mkdtemp(prefix="gk-bench-tasks-"))
    os.environ["GONGKAI_EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ["DJANGO_SETTINGS_MODULE"] = "gongkai.settings"
    import django
    from django.conf import settings

    if compare_q2:
        settings.INSTALLED_APPS  # noqa: B018 - load settings before changing them
        settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "django_q"]
        settings.Q_CLUSTER = {"name": "bench", "orm": "default", "workers": 1, "timeout": 60, "retry": 120,
                              "poll": 0.2, "sync": False, "ack_failures": True, "save_limit": 0}
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def noop(n: int) -> int:
    return n


def worker():
    from django_tasks_db.management.commands.db_worker import Worker

    return Worker(queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
                  max_tasks=None, worker_id="bench", excluded_queue_names=[])


def per_item(seconds: float, n: int) -> str:
    return f"{seconds / n * 1e6:,.0f} µs each"


def bench_enqueue(n: int) -> None:
    from django.db import transaction
    from django_tasks import task

    from gongkai.applications.models import OutgoingMail

    noop_task = task()(noop)
    sys.modules[__name__].noop = noop_task  # the worker imports the task by the function's path
    timings = {"outbox INSERT": [], "enqueue": [], "outbox INSERT + enqueue": []}
    for i in range(n):
        started = time.perf_counter()
        with transaction.atomic():
            OutgoingMail.objects.create(recipient="a@example.cn", subject="主题", body="正文")
        timings["outbox INSERT"].append(time.perf_counter() - started)
        started = time.perf_counter()
        with transaction.atomic():
            noop_task.enqueue(i)
        timings["enqueue"].append(time.perf_counter() - started)
    OutgoingMail.objects.all().delete()
    for name, values in timings.items():
        if values:
            print(f"  {name:<24} median {statistics.median(values) * 1e6:,.0f} µs per transaction (n={len(values)})")
    return noop_task


def bench_worker_noop(n: int) -> None:
    started = time.perf_counter()
    worker().run()
    elapsed = time.perf_counter() - started
    print(f"  worker, no-op: {n} tasks in {elapsed:.2f} s = {n / elapsed:,.0f} tasks/s ({per_item(elapsed, n)})")


def bench_worker_mail(n: int) -> None:
    from django.core import mail

    from gongkai.applications import mailing

    mail.outbox = []
    for i in range(n):
        mailing.queue_message(f"a{i}@example.cn", "您的政府信息公开申请已收到（查询码 ABCDEFGHJK）", "查询码：ABCDEFGHJK\n查询密码：x" * 3)
    started = time.perf_counter()
    worker().run()
    elapsed = time.perf_counter() - started
    assert len(mail.outbox) == n, len(mail.outbox)
    print(f"  worker, mail:  {n} messages in {elapsed:.2f} s = {n / elapsed:,.0f} messages/s ({per_item(elapsed, n)})")


def bench_idle_poll(rounds: int = 200) -> None:
    from django_tasks_db.models import DBTaskResult
    from django_tasks_db.utils import exclusive_transaction

    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        with exclusive_transaction("default"):
            DBTaskResult.objects.ready().get_locked()
        times.append(time.perf_counter() - started)
    print(f"  idle poll: median {statistics.median(times) * 1e6:,.0f} µs, "
          f"p95 {sorted(times)[int(rounds * 0.95)] * 1e6:,.0f} µs per poll (one a second by default)")


def bench_django_q2(n: int) -> None:
    import multiprocessing

    from django.db import transaction
    from django_q.cluster import Cluster
    from django_q.models import Success
    from django_q.tasks import async_task

    times = []
    for i in range(n):
        started = time.perf_counter()
        with transaction.atomic():
            async_task("bench.tasks.noop", i, save=True)
        times.append(time.perf_counter() - started)
    print(f"  django-q2 enqueue (ORM broker): median {statistics.median(times) * 1e6:,.0f} µs per transaction")
    from django.db import connection
    from django_q.models import Failure

    multiprocessing.set_start_method("fork", force=True)
    connection.close()  # the cluster's forked processes open their own
    cluster = Cluster()
    started = time.perf_counter()
    cluster.start()
    while Success.objects.count() + Failure.objects.count() < n and time.perf_counter() - started < 300:
        time.sleep(0.05)
    elapsed = time.perf_counter() - started
    cluster.stop()
    print(f"  django-q2 cluster (1 worker), no-op: {Success.objects.count()} tasks "
          f"({Failure.objects.count()} failed) in {elapsed:.2f} s "
          f"= {n / elapsed:,.0f} tasks/s, including the cluster's start")


def enqueue_in_open_transaction(n: int) -> None:
    """What a submission's write transaction pays for its two tasks (mail, receipt rendering)."""
    from django.db import transaction

    from gongkai.applications.tasks import render_letter

    times = []
    with transaction.atomic():
        for i in range(n):
            started = time.perf_counter()
            render_letter.enqueue(i)
            times.append(time.perf_counter() - started)
        transaction.set_rollback(True)
    print(f"  enqueue inside an open transaction: median {statistics.median(times) * 1e6:,.0f} µs "
          "(the INSERT and the enqueued signal)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--compare-django-q2", action="store_true")
    args = parser.parse_args()
    setup(args.compare_django_q2)
    from django.db import connection

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; {os.cpu_count()} CPUs")
    bench_enqueue(args.tasks)
    enqueue_in_open_transaction(args.tasks)
    bench_worker_noop(args.tasks)
    bench_worker_mail(args.tasks)
    bench_idle_poll()
    if args.compare_django_q2:
        bench_django_q2(args.tasks)


if __name__ == "__main__":
    main()
