"""`gongkai up` starts the server and the worker together and stops both on Ctrl-C."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gongkai(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gongkai", *args], env=env, capture_output=True, text=True, timeout=120)


def children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [int(p) for p in found]


def test_up_serves_runs_queued_tasks_and_stops_both_on_ctrl_c(tmp_path):
    # A fresh embedded installation of its own, whatever database this test run uses.
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(GONGKAI_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="gongkai.settings")
    port = free_port()
    up = subprocess.Popen([sys.executable, "-m", "gongkai", "up", f"127.0.0.1:{port}", "--no-demo"], env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # as in a terminal
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                assert urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).read() == b"ok"
                break
            except OSError:
                assert up.poll() is None and time.monotonic() < deadline, up.stdout.read() if up.poll() else "timeout"
                time.sleep(0.5)
        (worker,) = children(up.pid)
        assert "db_worker" in open(f"/proc/{worker}/cmdline").read()
        queued = gongkai(env, "remind", "--json")
        task = json.loads(queued.stdout)["task"]
        while time.monotonic() < deadline:
            (listed,) = json.loads(gongkai(env, "tasks", "--json").stdout)
            if listed["status"] == "SUCCESSFUL":
                break
            time.sleep(0.5)
        assert listed["task"] == task and listed["status"] == "SUCCESSFUL"  # the worker beside the server ran it
        up.send_signal(signal.SIGINT)
        output = up.communicate(timeout=60)[0]
        assert "后台任务进程已停止" in output
        assert not os.path.exists(f"/proc/{worker}") or "zombie" in open(f"/proc/{worker}/status").read().lower()
    finally:
        if up.poll() is None:
            up.kill()
            up.wait()
