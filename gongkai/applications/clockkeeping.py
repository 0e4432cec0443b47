"""Recording clock events and keeping each application's cached due date in step with them."""

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from gongkai.applications import clock
from gongkai.applications.models import OPEN_STATUSES, Application, ClockEvent
from gongkai.workdays import calendar_lock
from gongkai.workdays.calendar import WorkdayCalendar
from gongkai.workdays.models import HolidayNotice, NoticeRange

# (signature of the notices, the calendar built from them, {(received_on, setting): a new application's clock})
_loaded: tuple[tuple, WorkdayCalendar, dict] | None = None


def _notices_signature() -> tuple:
    notices, ranges = (connection.ops.quote_name(m._meta.db_table) for m in (HolidayNotice, NoticeRange))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT (SELECT COUNT(*) FROM {notices}), (SELECT MAX(id) FROM {notices}), "
                       f"(SELECT MAX(created_at) FROM {notices}), (SELECT COUNT(*) FROM {ranges}), "
                       f"(SELECT MAX(id) FROM {ranges})")
        return tuple(cursor.fetchone())


def _snapshot(*, check: bool = True) -> tuple[tuple, WorkdayCalendar, dict]:
    """(signature, calendar, memo) as the database has them now; with check=False the last one
    this process loaded, without asking the database (loaded if there is none yet)."""
    global _loaded
    loaded = _loaded
    if check or loaded is None:
        signature = _notices_signature()
        if loaded is None or loaded[0] != signature:
            loaded = _loaded = (signature, WorkdayCalendar.load(), {})
    return loaded


def current_calendar() -> tuple[WorkdayCalendar, dict]:
    """The working-day calendar as the database has it now, built again only when it changed.

    Notices are only ever entered or withdrawn, never edited (workdays.services), and ids are
    not reused (AUTOINCREMENT on SQLite, sequences on PostgreSQL; the newest notice's creation
    time tells apart an id that a rolled-back transaction had used), so the counts, highest ids
    and newest time change whenever the calendar does: one raw query instead of rebuilding
    the calendar (two ORM queries and a day map) in every submission. Read inside the caller's
    transaction, like WorkdayCalendar.load(). Also returns the per-calendar memo of new
    applications' clocks (see opening_state).
    """
    _signature, calendar, memo = _snapshot()
    return calendar, memo


def calendar_signature() -> tuple:
    """What identifies the calendar as the database has it now (and reloads it if it changed), held
    steady until the caller's transaction ends (workdays.calendar_lock)."""
    calendar_lock.hold()
    return _snapshot()[0]


def opening_state(received_on, *, checked: bool = True) -> tuple[clock.ClockState, tuple]:
    """The clock of an application received on ``received_on`` that has no events yet, and the
    signature of the calendar it was counted on. With checked=False, on the calendar this process
    last loaded: the caller confirms it later with calendar_signature(), in its write transaction."""
    signature, calendar, memo = _snapshot(check=checked)
    key = (received_on, settings.GONGKAI_DEADLINE_COUNTS_START_DAY)
    state = memo.get(key)
    if state is None:
        state = memo[key] = clock.compute(received_on, [], calendar)
    return state, signature


def locked(application) -> Application:
    """The application re-read with its row locked for the caller's transaction. The calendar is
    held first (workdays.calendar_lock): a calendar change takes its lock before it updates rows, so
    taking them in the same order means a case action and a change never wait for each other."""
    calendar_lock.hold()
    return Application.objects.select_for_update().select_related("agency").get(pk=application.pk)


def events_of(application) -> list[clock.Event]:
    return [clock.Event(e.kind, e.on, e.until, e.days, e.label) for e in application.clock_events.all()]


def state_of(application, calendar: WorkdayCalendar | None = None) -> clock.ClockState:
    return clock.compute(application.received_on, events_of(application), calendar or current_calendar()[0])


def recompute(application, calendar: WorkdayCalendar | None = None) -> clock.ClockState:
    """Store the application's clock, counted on ``calendar`` or on the one in force, which then
    stays in force until the caller's transaction ends (workdays.calendar_lock)."""
    if calendar is None:
        calendar_lock.hold()
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
