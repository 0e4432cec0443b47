"""Reads that encode the rules: what is overdue, what supervision flags, what the public sees, the figures."""

import datetime as dt
import statistics
from dataclasses import dataclass

from django.db.models import F, Q

from gongkai.enquiries.limits import publish_line, unanswered_line
from gongkai.enquiries.models import OPEN_STATUSES, Enquiry, Faq, Status
from gongkai.workdays.calendar import WorkdayCalendar


def for_agencies(agency_ids):
    return Enquiry.objects.filter(agency_id__in=list(agency_ids))


def open_on(on: dt.date) -> Q:
    """Received by ``on`` and without an answer, refusal or conversion on that day (so the
    queries give the same answer for a past date as they did on it)."""
    return Q(received_on__lte=on) & (Q(status__in=OPEN_STATUSES) | Q(answered_on__gt=on))


def enquiries_overdue(agency_ids, on: dt.date):
    """Messages past their reply limit (limits.py) and still unanswered on ``on``."""
    return for_agencies(agency_ids).filter(open_on(on), due_on__lt=on)


def enquiries_unanswered_long(agency_ids, on: dt.date):
    """Messages unanswered for more than three months on ``on`` (supervision.md §2 互动回应差, a veto
    item), counted from the first receipt: a transfer does not reset the public's wait.
    A message closed as 不予受理 with a reason is not unanswered."""
    return for_agencies(agency_ids).filter(open_on(on), received_on__lt=unanswered_line(on))


def answers_unpublished_long(agency_ids, on: dt.date):
    """Messages whose asker allowed publication, received more than two months before ``on``, whose
    reply was not on the portal within two months of receipt (supervision.md §3): still unanswered,
    or answered and published late. Refused, converted and personal ones have no reply to publish."""
    candidates = for_agencies(agency_ids).filter(received_on__lt=publish_line(on), allow_publish=True,
                                                 personal=False).exclude(status__in=[Status.REFUSED, Status.CONVERTED])
    # Calendar months (relativedelta) are compared per row in Python, not as a fixed number of days.
    rows = candidates.values_list("pk", "received_on", "published_on")
    late_ids = [pk for pk, received, published in rows
                if published is None or published > on or publish_line(published) > received]
    return Enquiry.objects.filter(pk__in=late_ids)


def published_answers():
    """What the public may read: answered, the asker agreed, not personal (services.answer)."""
    return Enquiry.objects.filter(status=Status.ANSWERED, published_on__isnull=False).select_related("agency")


def published_for_agency(agency):
    return published_answers().filter(agency=agency).order_by("-published_on", "-id")


def faqs_for_agency(agency):
    return Faq.objects.filter(agency=agency)


def inbox(agency, which: str):
    rows = Enquiry.objects.filter(agency=agency).select_related("handler", "transferred_from")
    if which == "open":
        return rows.filter(status__in=OPEN_STATUSES).order_by("due_on", "id")
    if which == "closed":
        return rows.exclude(status__in=OPEN_STATUSES).order_by("-answered_on", "-id")
    return rows


@dataclass(frozen=True)
class Figures:
    received: int
    answered: int  # answered, refused with a reason or converted: the asker has a reply
    answered_on_time: int
    open: int
    overdue: int
    median_working_days: float | None  # receipt (or transfer) to reply

    @property
    def on_time_rate(self) -> float | None:
        return round(100 * self.answered_on_time / self.answered, 1) if self.answered else None


def figures(agency_ids, start: dt.date, end: dt.date, calendar: WorkdayCalendar | None = None) -> Figures:
    """Per agency (or agencies) and period: messages received from ``start`` to ``end``, how many
    got a reply (by ``end``), how many within their limit, and the median working days to reply.
    Public statistics (spec/regulation.md 互动交流: 统计数据) and section 一 of the annual report."""
    calendar = calendar or WorkdayCalendar.load()
    rows = for_agencies(agency_ids).filter(received_on__gte=start, received_on__lte=end)
    replied = list(rows.filter(answered_on__isnull=False, answered_on__lte=end).values_list("clock_from", "answered_on",
                                                                                           "due_on"))
    days = [calendar.working_days_between(clock_from, answered) for clock_from, answered, _due in replied]
    return Figures(
        received=rows.count(), answered=len(replied),
        answered_on_time=sum(1 for _start, answered, due in replied if answered <= due),
        open=rows.filter(open_on(end)).count(),
        overdue=rows.filter(open_on(end), due_on__lt=end).count(),
        median_working_days=statistics.median(days) if days else None,
    )


def answered_late(agency_ids):
    """Replies given after the limit (a deduction in supervision.md §3 for 咨询)."""
    return for_agencies(agency_ids).filter(answered_on__isnull=False, answered_on__gt=F("due_on"))
