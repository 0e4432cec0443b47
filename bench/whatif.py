"""Hypothetical servers for ``bench/applications.py --what-if``: the real application with parts of
a submission's required work skipped, so one run shows what each part costs against the floor.

Never shipped and never used outside the benchmark: each function is a gunicorn application
factory (``whatif:without_receipt()``; the benchmark puts bench/ on gunicorn's Python path) that
patches the running worker before answering anything. The keys sent to these servers carry
their rung's name, so the benchmark's database checks expect no receipt for them.
``climb()`` starts and measures them in turn for the benchmark.

The rungs, each skipping what the one before it skipped and more:

- ``noreceipt``: no 受理回执 (its 文号, text and row);
- ``nomail``: no receipt, and no e-mail with the code and secret to the applicant;
- ``bare``: no receipt, no e-mail and no audit row: what any submission must do at the least —
  check the input, encrypt the personal fields, look for a repeat, insert one application row
  and commit.
"""

import gongkai.wsgi  # sets Django up before anything imports a model

# (rung, label, gunicorn application of its server)
LADDER = (
    ("noreceipt", "without the receipt letter", "whatif:without_receipt()"),
    ("nomail", "without the receipt and the e-mail", "whatif:without_receipt_or_mail()"),
    ("bare", "bare minimum: checks, one application row, commit", "whatif:bare_minimum()"),
)


class _SkippedRow:
    """Stands in for a prepared INSERT that the hypothetical server leaves out."""

    def set(self, _column, _value):
        pass

    def execute(self):
        return None


def _skip_receipt():
    from gongkai.applications import letters

    letters.prepare_issue = lambda *args, **kwargs: None
    letters.complete_issue = lambda prepared: None


def _skip_mail():
    from gongkai.applications import intake

    intake._code_message = lambda application, secret: None


def _skip_audit():
    from gongkai.applications import intake, rows

    real_prepare = rows.prepare
    intake.audit_entry = lambda **kwargs: None
    intake.snapshot = lambda obj, fields: None
    rows.prepare = lambda instance: _SkippedRow() if instance is None else real_prepare(instance)


def without_receipt():
    _skip_receipt()
    return gongkai.wsgi.application


def without_receipt_or_mail():
    _skip_receipt()
    _skip_mail()
    return gongkai.wsgi.application


def bare_minimum():
    _skip_receipt()
    _skip_mail()
    _skip_audit()
    return gongkai.wsgi.application


def climb(args, data_dir, servers: list, subs, bench) -> list[dict]:
    """--what-if: for each rung of LADDER, a server of its own with that part of the work
    skipped, measured like the real one (wrk; Python clients without it) against its own floor.
    ``bench`` is bench/applications.py (run as __main__), whose phases it reuses."""
    import shutil

    from loadgen import Server, healthz_throughput, run_clients, wrk

    rungs = []
    for name, label, application in LADDER:
        phase = f"{bench.WHAT_IF}-{name}"
        server = Server(data_dir, args.workers, application, label=phase)
        servers.append(server)
        server.wait_ready()
        run_clients(server.port, args.workers * 2, 0, lambda c, _i, _d, p=phase: [subs.first_and_retry(c, p + "-warm")
                                                                                    for _ in range(2)])
        cpu = server.cpu_seconds()
        floor = wrk(server.port, args.clients, args.seconds) or healthz_throughput(server.port, args.clients, args.seconds)
        floor_cpu_ms = (server.cpu_seconds() - cpu) / floor["requests"] * 1000
        if shutil.which("wrk"):
            phase_run = bench.charged(server, lambda p=phase, s=server: bench.wrk_submissions(s.port, args.clients, args.seconds, subs,
                                                                                  p, data_dir))
        else:
            phase_run = bench.charged(server, lambda p=phase, s=server: bench.submission_throughput(s.port, args.clients, args.seconds,
                                                                                        subs, p))
        server.stop()
        servers.remove(server)
        rungs.append({"name": name, "label": label, "rate": phase_run["rate"], "cpu_ms": phase_run["cpu_ms"],
                      "floor_rate": floor["rate"], "floor_cpu_ms": floor_cpu_ms, "bad": phase_run["bad"]})
        print(f"what-if  {label}: {phase_run['rate']:,.1f} submissions/s against its /healthz {floor['rate']:,.0f} req/s "
              f"({phase_run['rate'] / floor['rate']:.1%}); server CPU {phase_run['cpu_ms']:.2f} ms per submission", flush=True)
    return rungs
