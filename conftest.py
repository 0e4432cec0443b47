"""The whole test session at another date: ``--today=YYYY-MM-DD`` (or ``GONGKAI_TEST_TODAY``).

Tests must give the same answer on any day (docs/operations.md, "Running the tests at another
date"): every rule here is counted in working days (条例第三十三条), and whether a deadline is
confirmed depends on which years have an announced holiday calendar. A test that reads the real
date can pass for months and then fail on a fresh clone in late December, when the 20 working days
run into a year nobody has entered yet. Moving the session's clock to an awkward date shows such a
test at once; scripts/test runs its PostgreSQL pass that way.

This file sits at the repository root rather than in gongkai/ or tests/ because pytest registers
command-line options only from the conftest files it loads at start-up, and ``pytest tests/browser``
alone never loads gongkai/conftest.py.

The clock is moved in pytest_configure, before any test or fixture runs, with time-machine (which
replaces the C-level time functions, so the live server's threads see the same date). It ticks:
time passes from the chosen moment as it does in production. Only this process moves; clocks in
other processes (the database server, chromium) do not: tests/browser/conftest.py puts each
browser context on the session's clock, and no product query uses the database's own clock.
"""

import datetime as dt
import os
import zoneinfo

import pytest

# The project's TIME_ZONE (gongkai/settings.py): the date people at the agency see.
LOCAL = zoneinfo.ZoneInfo("Asia/Shanghai")
# A date alone means nine in the morning there, a working hour well away from midnight; give a full
# ISO date-time (2026-12-31T23:59) to test the turn of a day.
MORNING = dt.time(9, 0)

# The fixtures tell stories with fixed dates up to November 2026 (register()'s receipts, item_data's
# 成文日期, a browser journey's document of 2 November 2026), and the services refuse dates after
# today, as they should. A clock set before them (an early --today, a machine whose clock is wrong)
# would fail those tests for a reason that is not theirs, so a test that would start earlier starts
# on this day instead: every date before it gives the answer this day gives. Later dates are left
# alone, so that --today keeps showing tests that depend on the day. Move it forward when a fixture
# gets a later fixed date.
EARLIEST_TEST_DAY = dt.date(2026, 11, 25)

_travel = pytest.StashKey[object]()
_moment = pytest.StashKey[dt.datetime]()


def pytest_addoption(parser):
    parser.addoption(
        "--today", metavar="YYYY-MM-DD", default=os.environ.get("GONGKAI_TEST_TODAY") or None,
        help="run the whole session as if it were this date (09:00 Asia/Shanghai) or ISO date-time; "
             "default: env GONGKAI_TEST_TODAY, else the real clock",
    )


def session_moment(value: str) -> dt.datetime:
    try:
        if len(value) == 10:
            return dt.datetime.combine(dt.date.fromisoformat(value), MORNING, tzinfo=LOCAL)
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise pytest.UsageError(f"--today: {value!r} is not a date (YYYY-MM-DD) or ISO date-time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=LOCAL)


def pytest_configure(config):
    value = config.getoption("today")
    if not value:
        return
    import time_machine

    moment = session_moment(value)
    travel = time_machine.travel(moment, tick=True)
    travel.start()
    config.stash[_travel] = travel
    config.stash[_moment] = moment


def pytest_unconfigure(config):
    travel = config.stash.get(_travel, None)
    if travel is not None:
        travel.stop()


@pytest.fixture(autouse=True)
def _not_before_the_fixtures(request):
    if request.node.get_closest_marker("time_machine") is None and dt.datetime.now(LOCAL).date() < EARLIEST_TEST_DAY:
        request.getfixturevalue("time_machine").move_to(dt.datetime.combine(EARLIEST_TEST_DAY, MORNING, tzinfo=LOCAL))


def pytest_report_header(config):
    moment = config.stash.get(_moment, None)
    if moment is None:
        header = f"gongkai: today is {dt.datetime.now(LOCAL):%Y-%m-%d} (real clock; --today=YYYY-MM-DD to move it)"
    else:
        header = f"gongkai: today is {moment:%Y-%m-%d} (clock moved by --today={config.getoption('today')}, ticking)"
    if dt.datetime.now(LOCAL).date() < EARLIEST_TEST_DAY:
        header += f"; tests start no earlier than {EARLIEST_TEST_DAY} (EARLIEST_TEST_DAY in conftest.py)"
    return header
