"""Fixtures shared by the app tests. Data is made through the real services, as staff would."""

import datetime as dt
import os
import signal
import subprocess
import sys
import zoneinfo
from urllib.parse import quote

import pytest

from gongkai.orgs import services

PASSWORD = "test-pass-2026!"
BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")  # settings.TIME_ZONE


def on(day: dt.date, at: dt.time = dt.time(9)):
    """Run a test (or a module: ``pytestmark``), its fixtures included, at ``at`` Beijing time on
    ``day``, the clock ticking from there (time-machine, so live-server threads see it too).

    For every test that reads today or calls a service that does: which years have a holiday
    calendar, what is overdue and which report year is open all follow the date, and the suite
    must give the same answer on any day (the root conftest's --today shows the tests that do not).
    """
    return pytest.mark.time_machine(dt.datetime.combine(day, at, tzinfo=BEIJING))


class World:
    """A small province-city-county tree with two sibling departments and their staff."""

    def __init__(self):
        self.province = services.area_create(actor=None, name="测试省", code="980000", level="province")
        self.city = services.area_create(actor=None, name="测试市", code="980100", level="city", parent=self.province)
        self.county = services.area_create(actor=None, name="测试县", code="980121", level="county", parent=self.city)
        self.county_gov = services.agency_create(
            actor=None, name="测试县人民政府", code="TESTGOV01", kind="government", area=self.county
        )
        self.agency_a = services.agency_create(
            actor=None, name="测试县财政局", code="TESTFIN01", kind="department", area=self.county, parent=self.county_gov,
            office={"phone": "0999-1000001", "address": "人民路1号"},
        )
        self.agency_b = services.agency_create(
            actor=None, name="测试县教育局", code="TESTEDU01", kind="department", area=self.county, parent=self.county_gov,
        )
        self.unit_b = services.unit_create(actor=None, agency=self.agency_b, name="基础教育股")
        self.sysadmin = self.person("sysadmin", None, "system_admin")
        self.admin_a = self.person("admin_a", self.agency_a, "office_admin")
        self.drafter_a = self.person("drafter_a", self.agency_a, "drafter")
        self.leader_a = self.person("leader_a", self.agency_a, "leader")
        self.admin_b = self.person("admin_b", self.agency_b, "office_admin")
        self.drafter_b = self.person("drafter_b", self.agency_b, "drafter")
        self.supervisor = self.person("supervisor", self.county_gov, "supervisor")
        # 三权分立: the audit trail's reader and the holder of role grants are two more people.
        self.auditor = self.person("auditor", None, "audit_admin")
        self.secadmin = self.person("secadmin", None, "security_admin")

    def person(self, username, agency, *roles):
        return services.user_create(
            actor=None, agency=agency, username=username, full_name=f"测试{username}", password=PASSWORD,
            roles=list(roles),
        )


@pytest.fixture
def world(db):
    return World()


@pytest.fixture
def login(client):
    """Signs a person in with the second factor passed (accounts/testing.py); the real password and
    code flow has its own tests in accounts/tests/."""
    from gongkai.accounts.testing import verified_login

    def sign_in(user):
        return verified_login(client, user)

    return sign_in


@pytest.fixture
def run_tasks(monkeypatch):
    """Run every task that is due now with the real worker (django_tasks_db's db_worker loop, in
    batch mode) in this process and on this connection, so it sees the test's uncommitted rows;
    returns the number of tasks it ran.

    The one thing left out is the worker's connection recycling between tasks (Django's
    close_old_connections), which would close the connection holding the test's transaction.
    jobs/tests/test_worker_process.py runs the worker command as its own process instead.
    """
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.models import DBTaskResult

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    Worker = db_worker.Worker

    def run() -> int:
        before = DBTaskResult.objects.finished().count()
        Worker(queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
               max_tasks=None, worker_id="test-worker", excluded_queue_names=[]).run()
        return DBTaskResult.objects.finished().count() - before

    return run


def worker_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "gongkai", "db_worker", "--queue-name=*", "--no-startup-delay", "--no-reload",
            "--verbosity=0", *args]


def worker_env() -> dict:
    """The environment of a child `gongkai` process that works on this test run's database
    (transactional tests only: it sees committed rows), with this data directory (uploads, letters,
    the secret key that encrypts outbox bodies, the file mail backend's outbox/)."""
    from django.db import connection

    db = connection.settings_dict
    if connection.vendor == "sqlite":
        url = f"sqlite:///{db['NAME']}"
    else:
        url = (f"postgres://{quote(db['USER'] or '')}:{quote(db['PASSWORD'] or '')}@{db['HOST'] or '127.0.0.1'}:"
               f"{db['PORT'] or 5432}/{db['NAME']}")
    return dict(os.environ, DATABASE_URL=url, DJANGO_SETTINGS_MODULE="gongkai.settings",
                GONGKAI_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend")


@pytest.fixture
def worker_process(transactional_db):
    """`gongkai db_worker` running as its own process on the test database, as `gongkai up` starts it."""
    worker = subprocess.Popen(worker_command("--interval=0.1"), env=worker_env(), start_new_session=True)
    yield worker
    worker.send_signal(signal.SIGTERM)
    try:
        worker.wait(30)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


@pytest.fixture
def taxonomy(transactional_db):
    """Re-seed the 主题分类/体裁 rows that transactional tests' database flushes remove."""
    from gongkai.disclosure.models import Genre, TopicCategory
    from gongkai.disclosure.taxonomy import seed_taxonomy

    seed_taxonomy(TopicCategory, Genre)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters must not leak from one test into the next."""
    from django.core.cache import cache

    from gongkai.web import ratelimit

    cache.clear()
    ratelimit.reset()
