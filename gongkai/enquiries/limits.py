"""Reply limits of the public's messages, counted in working days on the official calendar.

The regulation sets no limit for messages (it covers applications, 第33条); the limits are local
practice, kept as settings (GONGKAI_ENQUIRY_REPLY_WORKING_DAYS): simple 咨询 5 working days
(supervision.md §3), 纠错 3 working days (supervision.md §7), the others UNCONFIRMED.
The day of receipt is not counted, as for applications (GONGKAI_DEADLINE_COUNTS_START_DAY).
"""

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.conf import settings

from gongkai.workdays.calendar import Deadline, WorkdayCalendar


def reply_working_days(kind: str) -> int:
    return settings.GONGKAI_ENQUIRY_REPLY_WORKING_DAYS[kind]


def reply_deadline(kind: str, start: dt.date, calendar: WorkdayCalendar) -> Deadline:
    """The last day to answer a message of ``kind`` whose clock starts on ``start``."""
    return calendar.add_working_days(start, reply_working_days(kind))


def unanswered_line(on: dt.date) -> dt.date:
    """Messages received before this day and still unanswered on ``on`` have waited more than
    GONGKAI_ENQUIRY_UNANSWERED_MONTHS months (supervision.md §2 互动回应差, a veto item)."""
    return on - relativedelta(months=settings.GONGKAI_ENQUIRY_UNANSWERED_MONTHS)


def publish_line(on: dt.date) -> dt.date:
    """Messages received before this day should have their reply published by ``on``
    (supervision.md §3: a reply not published within 2 months)."""
    return on - relativedelta(months=settings.GONGKAI_ENQUIRY_PUBLISH_MONTHS)
