"""索引号 under concurrent publishing: consecutive, unique, never reused (SQLite and PostgreSQL)."""

import threading

import pytest
from django.db import close_old_connections, connection, transaction

from gongkai.disclosure import index_numbers, services
from gongkai.disclosure.models import Item
from gongkai.disclosure.tests.conftest import item_data

WORKERS = 8


def run_in_threads(target, count):
    errors, barrier = [], threading.Barrier(count)

    def worker(n):
        try:
            barrier.wait(timeout=10)
            target(n)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_allocations_are_consecutive_and_unique(world):
    numbers = []
    lock = threading.Lock()

    def allocate(_):
        close_old_connections()
        with transaction.atomic():
            number = index_numbers.allocate(world.agency_a, 2026)
        with lock:
            numbers.append(number)

    run_in_threads(allocate, WORKERS)
    expected = [f"{world.agency_a.code}/2026-{n:05d}" for n in range(1, WORKERS + 1)]
    assert sorted(numbers) == expected


@pytest.mark.django_db(transaction=True)
def test_concurrent_publishing_gives_every_item_its_own_number(taxonomy, world):
    from gongkai.disclosure.catalogue import ensure_catalogue

    ensure_catalogue(world.agency_a)
    first = world.person("first_c", world.agency_a, "first_reviewer")
    second = world.person("second_c", world.agency_a, "second_reviewer")
    ids = []
    for n in range(WORKERS):
        item = services.item_create(actor=world.drafter_a, agency=world.agency_a,
                                    data=item_data(world.agency_a, title=f"并发发布测试{n}"))
        services.item_submit(actor=world.drafter_a, item=item)
        services.item_approve(actor=first, item=item)
        ids.append(item.pk)

    def approve(n):
        close_old_connections()
        services.item_approve(actor=second, item=Item.objects.get(pk=ids[n]))

    run_in_threads(approve, WORKERS)
    numbers = sorted(Item.objects.filter(pk__in=ids).values_list("index_number", flat=True))
    year = Item.objects.get(pk=ids[0]).published_on.year
    assert numbers == [f"{world.agency_a.code}/{year}-{n:05d}" for n in range(1, WORKERS + 1)]


@pytest.mark.django_db(transaction=True)
def test_allocation_outside_a_transaction_is_refused(world):
    with pytest.raises(RuntimeError):
        index_numbers.allocate(world.agency_a, 2026)


def test_the_layout_is_a_setting(settings):
    settings.GONGKAI_INDEX_NUMBER_FORMAT = "{code}-{year}-{serial:06d}"
    assert index_numbers.format_index_number("ABC123", 2026, 7) == "ABC123-2026-000007"
