"""Load generation for the benchmarks: a gunicorn server in its own process group, the task worker
beside it, keep-alive HTTP clients in threads, percentiles and the /healthz floor (with wrk when it is installed)."""

import http.client
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


# --- the server ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn with sync workers on 127.0.0.1, in its own process group so all of it stops."""

    def __init__(self, data_dir: Path, workers: int, app: str = "gongkai.wsgi:application", label: str = "server"):
        self.port = free_port()
        self.log = data_dir / f"{label}.log"
        command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers),
                   "--worker-class", "sync", "--timeout", "120", "--graceful-timeout", "10", "--log-level", "warning",
                   "--chdir", str(ROOT), "--pythonpath", str(ROOT / "bench"), app]
        self.handle = self.log.open("wb")
        self.process = subprocess.Popen(command, stdout=self.handle, stderr=subprocess.STDOUT, start_new_session=True)

    def wait_ready(self):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log.read_text()[-3000:]}")
            probe = Client(self.port)
            try:
                if probe.get("/healthz")[0] == 200:
                    return self
            except OSError:
                pass
            finally:
                probe.close()
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer /healthz within 60 s:\n{self.log.read_text()[-3000:]}")

    def cpu_seconds(self) -> float:
        """User + system CPU time used so far by gunicorn's master and its workers (Linux /proc).

        On a machine shared with other work, CPU per request is the figure that others' load
        does not change (much), unlike requests per second."""
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat.parent.name) == self.process.pid or int(fields[1]) == self.process.pid:
                total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / os.sysconf("SC_CLK_TCK")

    def worker_pids(self) -> list[int]:
        """The gunicorn workers: the master's children (Linux /proc)."""
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                pids.append(int(stat.parent.name))
        return pids

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # the group this script started: master and workers
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.handle.close()


class TaskWorker:
    """`gongkai db_worker` beside the server, as `gongkai up` and the worker service run it: the
    process that sends the outbox's e-mails and renders issued letters' files. In its own session
    so it stops alone; SIGTERM lets it finish the task in hand."""

    def __init__(self, data_dir: Path, label: str = "worker", interval: float = 0.2):
        self.log = data_dir / f"{label}.log"
        command = [sys.executable, "-m", "gongkai", "db_worker", "--queue-name=*", f"--interval={interval}",
                   "--no-startup-delay", "--no-reload", "--verbosity=0"]
        self.handle = self.log.open("wb")
        # At the niceness `gongkai up` and the production unit give it (Nice=10): letters and mail
        # wait for the CPU the requests leave, as they do in production.
        self.process = subprocess.Popen(command, cwd=ROOT, stdout=self.handle, stderr=subprocess.STDOUT,
                                        start_new_session=True, preexec_fn=lambda: os.nice(10))

    def alive(self) -> bool:
        return self.process.poll() is None

    def cpu_seconds(self) -> float:
        """User + system CPU time used so far by the worker process and its children (Linux /proc)."""
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat.parent.name) == self.process.pid or int(fields[1]) == self.process.pid:
                total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / os.sysconf("SC_CLK_TCK")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)  # the session this script started
                self.process.wait()
        self.handle.close()


# --- the client ----------------------------------------------------------------------------------


class Client:
    """One keep-alive HTTP/1.1 connection with a cookie jar; reconnects when the server closes."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        self.cookies: dict[str, str] = {}
        self.reconnects = 0

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in range(3):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (ConnectionError, http.client.HTTPException):
                # A connection the server closed between requests. Resending is what a real client
                # does; for submissions it is safe because of the submission key.
                self.conn.close()
                self.reconnects += 1
                if attempt == 2:
                    raise
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.will_close:
            self.conn.close()
        return response.status, response.headers, data

    def get(self, path: str):
        return self.request("GET", path)

    def close(self):
        self.conn.close()


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def run_clients(port: int, clients: int, seconds: float, work) -> tuple[list, float]:
    """``work(client, index, deadline)`` in ``clients`` threads; returns their results and the wall time
    from start until the last in-flight request finished."""
    results: list = [None] * clients
    errors: list = []
    start_line = threading.Barrier(clients + 1)

    def body(i):
        client = Client(port)
        try:
            start_line.wait()
            results[i] = work(client, i, time.perf_counter() + seconds)
        except BaseException as error:  # noqa: BLE001
            errors.append(error)
        finally:
            client.close()

    threads = [threading.Thread(target=body, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    start_line.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise errors[0]
    return results, elapsed


def healthz_throughput(port: int, clients: int, seconds: float) -> dict:
    def work(client, _i, deadline):
        done = bad = 0
        while time.perf_counter() < deadline:
            status, _h, _b = client.get("/healthz")
            done += status == 200
            bad += status != 200
        return done, bad, client.reconnects

    results, elapsed = run_clients(port, clients, seconds, work)
    done = sum(r[0] for r in results)
    return {"rate": done / elapsed, "requests": done, "errors": sum(r[1] for r in results), "seconds": elapsed}


def wrk_threads(clients: int) -> int:
    return min(clients, os.cpu_count() or 1)


def wrk(port: int, clients: int, seconds: float, path: str = "/healthz", script: Path | None = None,
        script_args: tuple[str, ...] = ()) -> dict | None:
    """wrk (C, event loop: far less CPU per request than Python clients) against the server, with an
    optional Lua script; None when wrk is not installed. {"requests", "seconds", "rate", "cpu_s"}:
    cpu_s is wrk's own user + system time."""
    if not shutil.which("wrk"):
        return None
    command = ["wrk", "-t", str(wrk_threads(clients)), "-c", str(clients), "-d", f"{int(seconds)}s"]
    if script:
        command += ["-s", str(script)]
    command.append(f"http://127.0.0.1:{port}{path}")
    if script_args:
        command += ["--", *script_args]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = re.search(r"(\d+) requests in ([\d.]+)(m?s)", out.stdout)
    if out.returncode != 0 or not done:
        raise RuntimeError(f"wrk failed ({out.returncode}): {out.stdout[-2000:]} {out.stderr[-2000:]}")
    elapsed = float(done.group(2)) / (1000 if done.group(3) == "ms" else 1)
    return {"requests": int(done.group(1)), "seconds": elapsed, "rate": int(done.group(1)) / elapsed,
            "cpu_s": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)}

