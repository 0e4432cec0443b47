"""Workbench lists: the rule for "due soon", "overdue" and "waiting" exists here once."""

from django.db.models import Q
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


def overdue(agency, *, today=None):
    today = today or timezone.localdate()
    return open_cases(agency).filter(due_on__lt=today, clock_state__in=["running", "fixed"])


def due_soon(agency, *, today=None, calendar=None):
    """Open cases due within the next 5 working days (today included), not yet overdue."""
    today = today or timezone.localdate()
    calendar = calendar or WorkdayCalendar.load()
    horizon = calendar.add_working_days(today, DUE_SOON_WORKING_DAYS).due
    return open_cases(agency).filter(due_on__gte=today, due_on__lte=horizon, clock_state__in=["running", "fixed"])


# The waiting lists name open statuses themselves: without open_case in the filter the database
# seeks (agency, status) in its index instead of reading every open case's row for its status.
def waiting_for_applicant(agency):
    return for_agency(agency).filter(status__in=[Status.AWAITING_CORRECTION, Status.AWAITING_FEE])


def waiting_for_third_party(agency):
    return for_agency(agency).filter(status=Status.CONSULTING)


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
