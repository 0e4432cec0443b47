"""Where a submission's and a workbench list's time goes, timed in the benchmark's own process.

Only through public hooks: the SQL is timed by a database execute wrapper (Django's documented
``connection.execute_wrapper``); nothing is swapped at run time."""

import collections
import contextlib
import random
import time

from appdata import STAFF_USER, person


@contextlib.contextmanager
def sql_timer(spent: dict):
    """Time every statement run on the default connection into ``spent["sql"]`` and count them."""
    from django.db import connection

    def timed(execute, query, params, many, context):
        started = time.perf_counter()
        try:
            return execute(query, params, many, context)
        finally:
            spent["sql"] += time.perf_counter() - started
            spent["queries"] += 1

    with connection.execute_wrapper(timed):
        yield


def profile_submit(agency, count: int, run_id: str) -> dict:
    """intake.submit_online in this process, one at a time: wall and CPU time, and the share of it
    spent in SQL statements (on a shared machine the wall time includes others' work)."""
    from gongkai.applications import intake

    spent = collections.defaultdict(float)
    rng = random.Random(run_id)
    # The outbox rows and their send tasks stay queued: no worker runs in this process.
    intake.submit_online(agency=agency, data=person(rng, 0), submission_key=f"bench-{run_id}-profile-warm")
    with sql_timer(spent):
        started, cpu = time.perf_counter(), time.process_time()
        for n in range(count):
            intake.submit_online(agency=agency, data=person(rng, n + 1), submission_key=f"bench-{run_id}-profile-{n}")
        total, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"total_ms": total / count * 1000, "cpu_ms": cpu / count * 1000, "sql_ms": spent["sql"] / count * 1000,
            "queries": spent["queries"] / count, "count": count + 1}


def profile_workbench(code: str, requests: int) -> dict:
    """Each list in this process (Django's test client), split into SQL and the rest."""
    from django.contrib.auth import get_user_model
    from django.test import Client as DjangoClient

    from gongkai.accounts.testing import verified_login

    # Signed in with the second factor passed (the live run signs in through the pages).
    client = verified_login(DjangoClient(HTTP_HOST="127.0.0.1"), get_user_model().objects.get(username=STAFF_USER))
    results = {}
    for name in ("open", "overdue", "closed"):
        client.get(f"/staff/a/{code}/applications/?list={name}")
        spent = collections.defaultdict(float)
        with sql_timer(spent):
            started = time.perf_counter()
            for _ in range(requests):
                assert client.get(f"/staff/a/{code}/applications/?list={name}").status_code == 200
            total = time.perf_counter() - started
        results[name] = {"total_ms": total / requests * 1000, "sql_ms": spent["sql"] / requests * 1000,
                         "queries": spent["queries"] / requests}
    return results
