"""The workbench lists as staff see them: each row's cells worked out in Python, once.

The list page is the page handlers keep open all day, so it is held to a latency target
(bench/applications.py, docs/api.md). Formatting 30 rows through template filters,
``{% url %}`` and model display methods was a large part of the page's time; building the same
strings here, once per row, and printing them costs a small part of that (measured:
docs/architecture.md, "Performance notes").
"""

import datetime as dt
from typing import TypedDict

from django.urls import reverse

from gongkai.applications.clock import working_days_left
from gongkai.applications.models import Application, Status
from gongkai.applications.replies import ApplicantType
from gongkai.workdays.calendar import WorkdayCalendar

# What a row shows; the encrypted columns (identity number, phone, address) are never read here.
LIST_FIELDS = ("id", "tracking_code", "handler", "supervised", "applicant_name", "applicant_type", "description", "received_on",
               "due_on", "due_confirmed", "clock_state", "status", "handler__first_name", "handler__last_name",
               "handler__username")
DESCRIPTION_CHARS = 40
_TYPE_LABELS = dict(ApplicantType.choices)
_STATUS_LABELS = dict(Status.choices)
_PAUSED_LABELS = {"waiting_applicant": "待补正", "paused": "暂停"}


class Row(TypedDict):
    """One row's cells. A dict, not an object: the template engine tries ``row[name]`` before
    ``row.name``, and an object costs it a caught TypeError per cell."""

    url: str
    tracking_code: str
    supervised: bool
    applicant_name: str
    applicant_type: str
    description: str
    received_on: str
    due_on: str  # empty while the clock is paused or stopped
    clock_note: str  # "剩3个工作日", "超期2个工作日", or why there is no due date
    overdue: bool
    calendar_unconfirmed: bool
    status: str
    handler: str


def _shortened(text: str) -> str:
    # As the truncatechars filter: at most DESCRIPTION_CHARS characters, the ellipsis included.
    return text if len(text) <= DESCRIPTION_CHARS else text[:DESCRIPTION_CHARS - 1] + "…"


def _clock(application: Application, today: dt.date, calendar: WorkdayCalendar) -> tuple[str, bool]:
    if application.due_on is None:
        return _PAUSED_LABELS.get(application.clock_state, "—"), False
    if not application.is_open:
        return "", False
    left = working_days_left(application.due_on, today, calendar)
    return (f"超期{-left}个工作日", True) if left < 0 else (f"剩{left}个工作日", False)


def rows(applications, *, agency, today: dt.date, calendar: WorkdayCalendar) -> list[Row]:
    # One reverse() for the page: the case URL differs between rows only in the id at its end.
    marker = 999_999_999_999
    case_url = reverse("applications_staff:case", args=[agency.code, marker]).replace(str(marker), "{}")
    built = []
    for application in applications:
        note, overdue = _clock(application, today, calendar)
        handler = application.handler
        built.append(Row(
            url=case_url.format(application.pk), tracking_code=application.tracking_code,
            supervised=application.supervised, applicant_name=application.applicant_name,
            applicant_type=_TYPE_LABELS.get(application.applicant_type, application.applicant_type),
            description=_shortened(application.description), received_on=application.received_on.isoformat(),
            due_on=application.due_on.isoformat() if application.due_on else "", clock_note=note, overdue=overdue,
            calendar_unconfirmed=application.due_on is not None and application.is_open and not application.due_confirmed,
            status=_STATUS_LABELS.get(application.status, application.status),
            handler=(handler.get_full_name() or handler.username) if handler else "—",
        ))
    return built
