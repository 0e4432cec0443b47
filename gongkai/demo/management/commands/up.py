import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection

from gongkai.demo.builder import build_county, demo_exists, login_lines
from gongkai.orgs.models import Agency, Membership
from gongkai.orgs.roles import Role
from gongkai.web.pdf import fast_font_subsetting

# The worker beside the development server: every queue, polled once a second when idle.
WORKER_NICENESS = 10
WORKER_ARGS = ["db_worker", "--queue-name=*", "--interval=1", "--no-reload", "--verbosity=0"]
STOP_SECONDS = 15  # a task under way (a report file) may finish before the worker is killed


def start_worker() -> subprocess.Popen:
    """`gongkai db_worker` as a child process, with this process's settings and data directory.

    In a session of its own, so Ctrl-C in the terminal reaches only `up`, which then stops the
    worker with one SIGTERM (a second signal would make the worker abandon the task in hand).
    """
    return subprocess.Popen([sys.executable, "-m", "gongkai", *WORKER_ARGS], env=os.environ.copy(),
                            start_new_session=True, preexec_fn=_behind_requests)


def _behind_requests() -> None:
    """The worker renders letters and sends mail while people wait for pages: it yields the CPU to
    the server (as the production unit's Nice=10 does, docs/operations.md)."""
    os.nice(WORKER_NICENESS)


def stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is not None:
        return
    worker.send_signal(signal.SIGTERM)  # the worker finishes the task in hand, then exits
    try:
        worker.wait(STOP_SECONDS)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


class Command(BaseCommand):
    help = "一键启动：迁移数据库，首次运行时载入演示数据，打印登录账号，启动门户和后台任务进程（Ctrl-C 一并停止）。"

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000", help="监听地址，默认 127.0.0.1:8000")
        parser.add_argument("--no-demo", action="store_true", help="不载入演示数据")
        parser.add_argument("--no-serve", action="store_true", help="只准备数据，不启动服务（用于脚本）")
        parser.add_argument("--no-worker", action="store_true",
                            help="不启动后台任务进程（邮件、文书文件、导入等由另行运行的 gongkai db_worker 处理）")

    def handle(self, *args, addrport, no_demo, no_serve, no_worker, **options):
        self.stdout.write(f"数据目录：{settings.DATA_DIR}")
        vendor = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(connection.vendor, connection.vendor)
        self.stdout.write(f"数据库：{vendor} {settings.DATABASES['default']['NAME']}")
        if not fast_font_subsetting():
            self.stderr.write("警告：未安装 libharfbuzz-subset0，每生成一份 PDF（文书、年度报告）需要一分钟以上。"
                              "请运行 sudo apt-get install libharfbuzz-subset0（bash scripts/up 会自动安装）。")
        started = time.monotonic()
        self.stdout.write("正在准备数据库……", ending="\n")
        call_command("migrate", interactive=False, verbosity=0)
        if not no_demo and not Agency.objects.exists():
            self.stdout.write("首次运行：正在载入演示数据（清河县），约需一分钟。")

            def progress(step: str) -> None:
                self.stdout.write(f"  [{time.monotonic() - started:5.0f} 秒] {step}")
                self.stdout.flush()

            build_county(progress=progress)
            self.stdout.write(f"已载入演示数据（清河县），用时 {time.monotonic() - started:.0f} 秒。")
        if demo_exists():
            for line in login_lines():
                self.stdout.write(line)
        elif not Membership.objects.filter(role=Role.SYSTEM_ADMIN).exists():
            self.stdout.write("尚无系统管理员：请运行 gongkai createadmin --username 用户名")
        host = addrport if ":" in addrport else f"127.0.0.1:{addrport}"
        self.stdout.write(f"门户：http://{host}/    工作台：http://{host}/staff/")
        if no_serve:
            return
        connection.close()  # the server and the worker open their own
        worker = None if no_worker else start_worker()
        # `kill` or a service manager stopping `up` stops the worker too (the finally below).
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        if worker is not None:
            self.stdout.write(f"后台任务进程已启动（进程号 {worker.pid}）：发送邮件、生成文书文件、导入和生成报告。")
        try:
            call_command("runserver", addrport, use_reloader=False)
        except KeyboardInterrupt:
            pass
        finally:
            if worker is not None:
                stop_worker(worker)
                self.stdout.write("后台任务进程已停止。")
