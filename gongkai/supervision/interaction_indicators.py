"""政民互动 indicators: the public's messages and the consultations on drafts, read through the
apps' own query functions so each rule is written once (enquiries/queries.py, consultations/queries.py).

Each takes the agencies and the window [start, end] of a monitoring run, like indicators.py.
"""

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import F

from gongkai.cn_format import cn_date
from gongkai.consultations.queries import feedback_overdue
from gongkai.enquiries.limits import reply_working_days
from gongkai.enquiries.models import Enquiry, Kind
from gongkai.enquiries.queries import answers_unpublished_long, enquiries_overdue, for_agencies
from gongkai.supervision.hits import Hit

# supervision.md §2 互动回应差: one valid message unanswered for more than three months vetoes the site.
VETO_UNANSWERED_LONG = 1


def _enquiry_hit(enquiry: Enquiry, code: str, detail: str, occurred_on: dt.date | None) -> Hit:
    return Hit(enquiry.agency_id, code, "enquiries.enquiry", str(enquiry.pk),
               f"{enquiry.tracking_code} {enquiry.subject}"[:300], detail, occurred_on)


def _months_after(day: dt.date, months: int) -> dt.date:
    return day + relativedelta(months=months)


def enquiry_unanswered_long(agency_ids, start, end, calendar) -> list[Hit]:
    """Within the window, a valid message that waited more than three months for its reply
    (supervision.md §2 互动回应差, a veto item): still unanswered on ``end``, or answered inside the
    window after more than three months. Counted from the first receipt (a transfer does not reset
    the public's wait); a message refused with a reason has had its reply."""
    months = settings.GONGKAI_ENQUIRY_UNANSWERED_MONTHS
    hits = []
    # Every closing (answer, reasoned refusal, conversion) sets answered_on (enquiries/services.py).
    rows = (for_agencies(agency_ids).filter(received_on__lte=end).exclude(answered_on__lt=start)
            .only("pk", "agency_id", "tracking_code", "subject", "received_on", "answered_on")
            .order_by("received_on", "pk"))
    for enquiry in rows:
        line = _months_after(enquiry.received_on, months)
        replied = enquiry.answered_on if enquiry.answered_on and enquiry.answered_on <= end else None
        if replied is None and end > line:
            detail = f"{cn_date(enquiry.received_on)}受理，至{cn_date(end)}超过{months}个月未答复"
        elif replied is not None and replied > line:
            detail = f"{cn_date(enquiry.received_on)}受理，{cn_date(replied)}才答复（超过{months}个月）"
        else:
            continue
        hits.append(_enquiry_hit(enquiry, "enquiry_unanswered_long", detail, line))
    return hits


def enquiry_reply_late(agency_ids, start, end, calendar) -> list[Hit]:
    """Replies after the type's limit in working days (simple 咨询 5, supervision.md §3; the other
    types' limits are settings): answered late inside the window, or still open past the limit on ``end``."""
    labels = dict(Kind.choices)
    hits = []
    late_answers = (for_agencies(agency_ids).filter(answered_on__gte=start, answered_on__lte=end)
                    .filter(answered_on__gt=F("due_on")).order_by("answered_on", "pk"))
    for enquiry in late_answers:
        hits.append(_enquiry_hit(enquiry, "enquiry_reply_late",
                                 f"{labels[enquiry.kind]}类留言应在{reply_working_days(enquiry.kind)}个工作日内"
                                 f"（{cn_date(enquiry.due_on)}前）答复，{cn_date(enquiry.answered_on)}才答复", enquiry.due_on))
    for enquiry in enquiries_overdue(agency_ids, end).filter(due_on__gte=start).order_by("due_on", "pk"):
        hits.append(_enquiry_hit(enquiry, "enquiry_reply_late",
                                 f"{labels[enquiry.kind]}类留言答复期限为{cn_date(enquiry.due_on)}，至{cn_date(end)}仍未答复",
                                 enquiry.due_on))
    return hits


def enquiry_answer_unpublished(agency_ids, start, end, calendar) -> list[Hit]:
    """Replies the asker allowed to publish that were not on the portal within two months of receipt
    (supervision.md §3, a deduction), for messages whose two months ended inside the window."""
    months = settings.GONGKAI_ENQUIRY_PUBLISH_MONTHS
    hits = []
    for enquiry in answers_unpublished_long(agency_ids, end).order_by("received_on", "pk"):
        line = _months_after(enquiry.received_on, months)
        if not start <= line <= end:
            continue
        when = f"{cn_date(enquiry.published_on)}才公开答复" if enquiry.published_on and enquiry.published_on <= end \
            else f"至{cn_date(end)}未公开答复"
        hits.append(_enquiry_hit(enquiry, "enquiry_answer_unpublished",
                                 f"{cn_date(enquiry.received_on)}受理，{when}（应在{months}个月内公开）", line))
    return hits


def consultation_feedback_overdue(agency_ids, start, end, calendar) -> list[Hit]:
    """Consultations whose 采纳情况反馈 was due inside the window and was still not published on
    ``end`` (consultations/rules.py: the due day is a setting of working days after the period)."""
    return [Hit(row.consultation.agency_id, "consultation_feedback_overdue", "consultations.consultation",
                str(row.consultation.pk), row.consultation.title[:300],
                f"征求意见于{cn_date(row.last_day)}结束，采纳情况应在{cn_date(row.due_on)}前公布，至{cn_date(end)}仍未公布",
                row.due_on)
            for row in feedback_overdue(agency_ids, end) if row.due_on >= start]
