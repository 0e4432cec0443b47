import io

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker):
    """The demo county, built once for this package inside a transaction that is rolled back at
    its end (as Django's TestCase.setUpTestData does); each test runs in a savepoint within it.

    Built once per test it took ~10 s on SQLite and 50-135 s on PostgreSQL, where every rolled-back
    build left dead rows that slowed the next: four builds were half the PostgreSQL run."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        call_command("demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)
