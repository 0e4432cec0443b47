"""Recording clock events and keeping each application's cached due date in step with them."""

from django.db import transaction
from django.utils import timezone

from gongkai.applications import clock
from gongkai.applications.models import OPEN_STATUSES, Application, ClockEvent
from gongkai.workdays.calendar import WorkdayCalendar


def events_of(application) -> list[clock.Event]:
    return [clock.Event(e.kind, e.on, e.until, e.days, e.label) for e in application.clock_events.all()]


def state_of(application, calendar: WorkdayCalendar | None = None) -> clock.ClockState:
    return clock.compute(application.received_on, events_of(application), calendar or WorkdayCalendar.load())


def recompute(application, calendar: WorkdayCalendar | None = None) -> clock.ClockState:
    state = state_of(application, calendar)
    Application.objects.filter(pk=application.pk).update(
        due_on=state.due, due_confirmed=state.calendar_confirmed, clock_state=state.state)
    application.due_on, application.due_confirmed, application.clock_state = state.due, state.calendar_confirmed, state.state
    return state


def add_event(application, kind: str, *, actor, on=None, until=None, days=None, label="", note="") -> ClockEvent:
    event = ClockEvent.objects.create(application=application, kind=kind, on=on or timezone.localdate(), until=until,
                                      days=days, label=label, note=note, actor=actor)
    recompute(application)
    return event


def recompute_open_clocks(*_args) -> int:
    """Run after the holiday calendar changes (settings.GONGKAI_CALENDAR_CHANGED)."""
    calendar = WorkdayCalendar.load()
    count = 0
    with transaction.atomic():
        for application in Application.objects.filter(status__in=OPEN_STATUSES).prefetch_related("clock_events"):
            recompute(application, calendar)
            count += 1
    return count
