"""Overdue, unanswered-for-three-months and unpublished-for-two-months at explicit dates."""

import datetime as dt

import pytest

from gongkai.conftest import on
from gongkai.enquiries import queries, services
from gongkai.enquiries.tests.conftest import ask

pytestmark = [pytest.mark.django_db, on(dt.date(2026, 3, 2))]


def ids(rows):
    return set(rows.values_list("pk", flat=True))


def test_overdue_is_open_past_its_limit_on_the_given_day(world, travel):
    late, _ = ask(world.agency_a)  # Mon 2 Mar, due Mon 9 Mar
    answered, _ = ask(world.agency_a)
    other, _ = ask(world.agency_b)
    travel(dt.date(2026, 3, 6))
    services.answer(actor=world.drafter_a, enquiry=answered, text="已答复。")
    agencies = [world.agency_a.pk]
    assert ids(queries.enquiries_overdue(agencies, dt.date(2026, 3, 9))) == set()  # the last day is not late
    assert ids(queries.enquiries_overdue(agencies, dt.date(2026, 3, 10))) == {late.pk}
    assert ids(queries.enquiries_overdue([world.agency_a.pk, world.agency_b.pk], dt.date(2026, 3, 10))) == {
        late.pk, other.pk}
    travel(dt.date(2026, 3, 20))
    services.answer(actor=world.drafter_a, enquiry=late, text="迟到的答复。")
    # Asked about a past day, the query answers as it would have then.
    assert ids(queries.enquiries_overdue(agencies, dt.date(2026, 3, 10))) == {late.pk}
    assert ids(queries.enquiries_overdue(agencies, dt.date(2026, 3, 20))) == set()
    assert ids(queries.answered_late(agencies)) == {late.pk}


def test_unanswered_for_more_than_three_months(world, travel):
    old, _ = ask(world.agency_a)  # 2 Mar
    refused, _ = ask(world.agency_a)
    services.refuse(actor=world.drafter_a, enquiry=refused, reason="duplicate")
    travel(dt.date(2026, 4, 1))
    newer, _ = ask(world.agency_a)
    agencies = [world.agency_a.pk]
    assert ids(queries.enquiries_unanswered_long(agencies, dt.date(2026, 6, 2))) == set()  # exactly three months
    assert ids(queries.enquiries_unanswered_long(agencies, dt.date(2026, 6, 3))) == {old.pk}
    assert ids(queries.enquiries_unanswered_long(agencies, dt.date(2026, 7, 2))) == {old.pk, newer.pk}


def test_a_transfer_does_not_reset_the_three_month_line(world, travel):
    enquiry, _ = ask(world.agency_a)
    travel(dt.date(2026, 5, 20))
    services.transfer(actor=world.drafter_a, enquiry=enquiry, to_agency=world.agency_b)
    assert ids(queries.enquiries_unanswered_long([world.agency_b.pk], dt.date(2026, 6, 3))) == {enquiry.pk}


def test_answers_not_published_within_two_months(world, travel):
    unanswered, _ = ask(world.agency_a)
    on_time, _ = ask(world.agency_a)
    published_late, _ = ask(world.agency_a)
    private, _ = ask(world.agency_a, allow_publish=False)
    services.answer(actor=world.drafter_a, enquiry=on_time, text="按时答复。")
    travel(dt.date(2026, 5, 15))
    services.answer(actor=world.drafter_a, enquiry=published_late, text="答复晚了。")
    agencies = [world.agency_a.pk]
    assert ids(queries.answers_unpublished_long(agencies, dt.date(2026, 5, 2))) == set()
    assert ids(queries.answers_unpublished_long(agencies, dt.date(2026, 5, 3))) == {unanswered.pk, published_late.pk}
    assert private.pk not in ids(queries.answers_unpublished_long(agencies, dt.date(2026, 12, 1)))


def test_figures_per_agency_and_period(world, travel):
    on_time, _ = ask(world.agency_a)  # due 9 Mar
    late, _ = ask(world.agency_a)
    still_open, _ = ask(world.agency_a)
    ask(world.agency_b)
    travel(dt.date(2026, 3, 4))
    services.answer(actor=world.drafter_a, enquiry=on_time, text="两个工作日答复。")
    travel(dt.date(2026, 3, 12))
    services.answer(actor=world.drafter_a, enquiry=late, text="八个工作日答复。")
    figures = queries.figures([world.agency_a.pk], dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert (figures.received, figures.answered, figures.answered_on_time, figures.open, figures.overdue) == (3, 2, 1, 1, 1)
    assert figures.median_working_days == 5  # 2 and 8 working days
    assert figures.on_time_rate == 50.0
    before = queries.figures([world.agency_a.pk], dt.date(2026, 3, 1), dt.date(2026, 3, 5))
    assert (before.received, before.answered, before.open, before.overdue) == (3, 1, 2, 0)
