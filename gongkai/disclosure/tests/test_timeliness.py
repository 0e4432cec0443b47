import datetime as dt

import pytest

from gongkai.disclosure import services, timeliness
from gongkai.disclosure.tests.conftest import item_data

pytestmark = pytest.mark.django_db
D = dt.date


def published(desk, written, on):
    item = services.item_create(actor=desk.drafter_a, agency=desk.agency_a,
                                data=item_data(desk.agency_a, title=f"{written}-{on}", written_on=written, published_on=on))
    services.item_submit(actor=desk.drafter_a, item=item)
    services.item_approve(actor=desk.first_a, item=item)
    return services.item_approve(actor=desk.second_a, item=item)


def test_twenty_working_days_across_national_day_is_on_time(desk):
    # Made Monday 28 Sep 2026; the 20th working day is 30 Oct (National Day and the 10 Oct 调休 counted).
    on_time = published(desk, D(2026, 9, 28), D(2026, 10, 30))
    late = published(desk, D(2026, 9, 28), D(2026, 11, 2))
    assert [d.item.pk for d in timeliness.published_late(desk.agency_a)] == [late.pk]
    assert timeliness.on_time_share(desk.agency_a, year=2026) == (1, 2)
    assert on_time.pk != late.pk


def test_unpublished_items_near_the_limit_are_listed(desk):
    item = services.item_create(actor=desk.drafter_a, agency=desk.agency_a,
                                data=item_data(desk.agency_a, written_on=D(2026, 9, 28)))
    assert [d.item.pk for d in timeliness.pending_near_limit(desk.agency_a, today=D(2026, 10, 23))] == [item.pk]
    assert timeliness.pending_near_limit(desk.agency_a, today=D(2026, 10, 15)) == []  # only 9 working days
