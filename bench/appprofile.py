"""Where a submission's and a workbench list's time goes, timed in the benchmark's own process."""

import collections
import random
import time

from appdata import STAFF_USER, person

# Parts of intake.submit_online, by (module, attribute) as submit_online reaches them.
PARTS = {
    "lookups": ("intake", "_earlier"),  # the twin by fingerprint, inside the write transaction (part of "write")
    "write": ("intake", "_write_submission"),  # building the rows, then the transaction and its commit
    "receipt text": ("letters", "prepare_issue"),  # template row, text, the row's values (before the turn)
    "e-mail row": ("intake", "_code_message"),  # the outbox row, body encrypted (before the turn)
    "receipt 文号": ("letters", "complete_issue"),  # 文号 upsert and INSERT (in the turn)
}


def profile_submit(agency, count: int, run_id: str) -> dict:
    """intake.submit_online in this process, one at a time, with its parts and its commit timed (CPU
    and wall: on a shared machine the wall time includes others' work)."""
    from django.db import connection

    from gongkai.applications import intake, letters

    modules = {"intake": intake, "letters": letters}
    spent = collections.defaultdict(float)

    def timed(name, fn):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - started
        return wrapper

    saved = {name: getattr(modules[m], attr) for name, (m, attr) in PARTS.items()}
    for name, (m, attr) in PARTS.items():
        setattr(modules[m], attr, timed(name, saved[name]))

    from django.test import override_settings

    # The write turn: from taking it (BEGIN on SQLite's write lock) to the end of the commit.
    original_begin, original_commit = connection._start_transaction_under_autocommit, connection._commit
    turn_started = []

    def begin():
        turn_started.append(time.perf_counter())
        return original_begin()

    def commit():
        try:
            return timed("commit", original_commit)()
        finally:
            if turn_started:
                spent["turn"] += time.perf_counter() - turn_started.pop()

    connection._start_transaction_under_autocommit, connection._commit = begin, commit
    quiet = override_settings(GONGKAI_MAIL_SENDER="cron")  # the outbox rows stay: this process sends nothing
    quiet.enable()
    try:
        rng = random.Random(run_id)
        intake.submit_online(agency=agency, data=person(rng, 0), submission_key=f"bench-{run_id}-profile-warm")
        spent.clear()
        started, cpu = time.perf_counter(), time.process_time()
        for n in range(count):
            intake.submit_online(agency=agency, data=person(rng, n + 1), submission_key=f"bench-{run_id}-profile-{n}")
        total, cpu = time.perf_counter() - started, time.process_time() - cpu
    finally:
        for name, (m, attr) in PARTS.items():
            setattr(modules[m], attr, saved[name])
        connection._start_transaction_under_autocommit, connection._commit = original_begin, original_commit
        quiet.disable()
    return {"total_ms": total / count * 1000, "cpu_ms": cpu / count * 1000,
            **{k: v / count * 1000 for k, v in spent.items()}, "count": count + 1}


def profile_workbench(code: str, requests: int) -> dict:
    """Each list in this process (Django's test client), split into SQL, working_days_left and the rest."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client as DjangoClient

    from gongkai.applications import worklist

    client = DjangoClient(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=STAFF_USER))
    spent = collections.defaultdict(float)
    original = worklist.working_days_left

    def days_left(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent["days_left"] += time.perf_counter() - started

    def sql(execute, query, params, many, context):
        started = time.perf_counter()
        try:
            return execute(query, params, many, context)
        finally:
            spent["sql"] += time.perf_counter() - started
            spent["queries"] += 1

    results = {}
    worklist.working_days_left = days_left
    try:
        with connection.execute_wrapper(sql):
            for name in ("open", "overdue", "closed"):
                client.get(f"/staff/a/{code}/applications/?list={name}")
                spent.clear()
                started = time.perf_counter()
                for _ in range(requests):
                    assert client.get(f"/staff/a/{code}/applications/?list={name}").status_code == 200
                total = time.perf_counter() - started
                results[name] = {"total_ms": total / requests * 1000, "sql_ms": spent["sql"] / requests * 1000,
                                 "queries": spent["queries"] / requests,
                                 "days_left_ms": spent["days_left"] / requests * 1000}
    finally:
        worklist.working_days_left = original
    return results
