"""Workbench lists: the rule for "due soon", "overdue" and "waiting" exists here once."""

from django.db.models import Count, Q
from django.utils import timezone

from gongkai.applications.models import NO_DUE_DATE, Application, Status
from gongkai.workdays.calendar import WorkdayCalendar

DUE_SOON_WORKING_DAYS = 5
# 督办 cases first, then by due date, cases without one (clock paused) after the dated ones, then
# by receipt; the order of the index application_open_list.
WORKBENCH_ORDER = ("-supervised", NO_DUE_DATE.asc(), "due_on", "received_on")


def for_agency(agency):
    return Application.objects.filter(agency=agency).select_related("handler")


def open_cases(agency):
    # open_case is status IN OPEN_STATUSES, stored: the lists walk application_open_list in order.
    return for_agency(agency).filter(open_case=1)


# Each open list's rule, once: the lists filter by it and list_counts counts by it.
CLOCK_RUNNING = Q(clock_state__in=["running", "fixed"])
WAITING_FOR_APPLICANT = Q(status__in=[Status.AWAITING_CORRECTION, Status.AWAITING_FEE])
WAITING_FOR_THIRD_PARTY = Q(status=Status.CONSULTING)


# The date test first: it rules out most cases, and SQLite stops at the first false term of a
# count's FILTER (list_counts), so most cases are never tested for their status.
def _overdue(today) -> Q:
    return Q(due_on__lt=today) & CLOCK_RUNNING


def _due_soon(today, calendar) -> Q:
    """Due within the next 5 working days (today included), not yet overdue."""
    horizon = calendar.add_working_days(today, DUE_SOON_WORKING_DAYS).due
    return Q(due_on__lte=horizon) & Q(due_on__gte=today) & CLOCK_RUNNING


def overdue(agency, *, today=None):
    return open_cases(agency).filter(_overdue(today or timezone.localdate()))


def due_soon(agency, *, today=None, calendar=None):
    return open_cases(agency).filter(_due_soon(today or timezone.localdate(), calendar or WorkdayCalendar.load()))


# The waiting lists name open statuses themselves: without open_case in the filter the database
# seeks (agency, status) in its index instead of reading every open case's row for its status.
def waiting_for_applicant(agency):
    return for_agency(agency).filter(WAITING_FOR_APPLICANT)


def waiting_for_third_party(agency):
    return for_agency(agency).filter(WAITING_FOR_THIRD_PARTY)


def list_counts(agency, *, today=None, calendar=None) -> dict[str, int]:
    """How many cases each open list holds, in one pass over the agency's open cases.

    The waiting statuses are open statuses, so counting them among the open cases counts the same
    cases their lists show. application_open_list carries every column these conditions read, so
    the pass reads that index and no table row, once, where a query per count read the agency's
    open cases five times (measured: docs/architecture.md, "Performance notes"). No closed count: closed_count().
    """
    today = today or timezone.localdate()
    calendar = calendar or WorkdayCalendar.load()
    return Application.objects.filter(agency=agency, open_case=1).aggregate(
        open=Count("pk"), due_soon=Count("pk", filter=_due_soon(today, calendar)),
        overdue=Count("pk", filter=_overdue(today)), applicant=Count("pk", filter=WAITING_FOR_APPLICANT),
        third_party=Count("pk", filter=WAITING_FOR_THIRD_PARTY))


def similar_to(application, limit: int = 5):
    """Earlier applications by the same applicant, or with the same opening words (重复申请, 第44条).

    The same applicant is the same identity document (``applicant_key``), as for the monthly fee
    count: two people called 王伟 are not one applicant, and one company is one however its name
    was typed."""
    probe = application.description.split("【补正")[0].strip()[:20]
    others = Application.objects.filter(agency=application.agency).exclude(pk=application.pk)
    same_applicant = (Q(applicant_key=application.applicant_key) if application.applicant_key
                      else Q(applicant_name=application.applicant_name))
    return others.filter(same_applicant | Q(description__startswith=probe)).order_by("-received_on")[:limit]


def ledger(agency, *, year=None, status=None, reply_type=None, applicant_type=None):
    """台账: every application with the filters the ledger page offers."""
    rows = for_agency(agency)
    if year:
        rows = rows.filter(received_on__year=year)
    if status:
        rows = rows.filter(status=status)
    if reply_type:
        rows = rows.filter(reply_type=reply_type)
    if applicant_type:
        rows = rows.filter(applicant_type=applicant_type)
    return rows.order_by("received_on", "id")


def closed_count(agency, *, open_count: int) -> int:
    """The closed list's length as all the agency's cases less the open ones: the count of all reads
    the narrow (agency, status, due_on) index, where counting open_case = 0 walks the wide
    open-list one: fewer pages read for the same closed cases."""
    return Application.objects.filter(agency=agency).count() - open_count
