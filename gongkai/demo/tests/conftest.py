import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction

from gongkai.conftest import BEIJING

# The demo dates its cases back from today, so last year's report counts the ones that fall into
# last year: early in a year, some of this year's stories do. The package's county is built, and
# its tests run (pytestmark on(DEMO_DAY) in each module), on one ordinary day.
DEMO_DAY = dt.date(2026, 9, 16)


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker):
    """The demo county, built once for this package inside a transaction that is rolled back at
    its end (as Django's TestCase.setUpTestData does); each test runs in a savepoint within it.

    Built once per test it took ~10 s on SQLite and 50-135 s on PostgreSQL, where every rolled-back
    build left dead rows that slowed the next: four builds were half the PostgreSQL run."""
    moment = dt.datetime.combine(DEMO_DAY, dt.time(9), tzinfo=BEIJING)
    with time_machine.travel(moment), django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        call_command("demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)
