"""Named reads that encode the rules: what the public sees, what is open on a day, what is late."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q

from gongkai.consultations import rules
from gongkai.consultations.models import Comment, Consultation, Disposition, Moderation, Status


def public_consultations():
    """Consultations the portal shows: published for comment, agency active."""
    return (Consultation.objects.exclude(status=Status.DRAFT).filter(agency__is_active=True)
            .select_related("agency", "final_item"))


def _still_open(on: dt.date) -> Q:
    return Q(status=Status.OPENED, starts_on__lte=on, ends_on__gte=on) & (
        Q(closed_early_on__isnull=True) | Q(closed_early_on__gt=on))


def open_on(on: dt.date):
    """Public consultations taking comments on day ``on``, those ending soonest first."""
    return public_consultations().filter(_still_open(on)).order_by("ends_on", "id")


def not_open_on(on: dt.date):
    """Public consultations not (or not yet) taking comments on ``on``: upcoming, closed, answered."""
    return public_consultations().exclude(_still_open(on))


def published_comments(consultation):
    return consultation.comments.filter(moderation=Moderation.PUBLISHED).order_by("received_on", "id")


def moderation_queue(agency):
    return (Comment.objects.filter(consultation__agency=agency, moderation=Moderation.PENDING)
            .select_related("consultation").order_by("received_on", "id"))


def consultations_for_item(item):
    """The public consultations whose final document is ``item`` (the reverse of final_item)."""
    return public_consultations().filter(final_item=item)


@dataclass(frozen=True)
class FeedbackCounts:
    received: int
    published: int
    held: int
    adopted: int
    partly: int
    not_adopted: int


def feedback_counts(consultation) -> FeedbackCounts:
    """The figures of 采纳情况反馈, from the comments' moderation and dispositions."""
    totals = consultation.comments.aggregate(
        received=Count("id"),
        published=Count("id", filter=Q(moderation=Moderation.PUBLISHED)),
        held=Count("id", filter=Q(moderation=Moderation.HELD)),
        adopted=Count("id", filter=Q(disposition=Disposition.ADOPTED)),
        partly=Count("id", filter=Q(disposition=Disposition.PARTLY)),
        not_adopted=Count("id", filter=Q(disposition=Disposition.NOT_ADOPTED)),
    )
    return FeedbackCounts(**totals)


@dataclass(frozen=True)
class OverdueFeedback:
    consultation: Consultation
    last_day: dt.date
    due_on: dt.date


def feedback_overdue(agency_ids, on: dt.date) -> list[OverdueFeedback]:
    """Consultations of these agencies whose 采纳情况反馈 was due before ``on`` and is not published
    (rules.feedback_due_on: N working days after the period's last day)."""
    from gongkai.workdays.calendar import WorkdayCalendar

    candidates = (Consultation.objects.filter(agency_id__in=list(agency_ids), status=Status.OPENED)
                  .filter(Q(ends_on__lt=on) | Q(closed_early_on__lte=on)).select_related("agency")
                  .order_by("ends_on", "id"))
    calendar = WorkdayCalendar.load()
    overdue = []
    for consultation in candidates:
        due = rules.feedback_due_on(consultation.last_day, calendar)
        if due < on:
            overdue.append(OverdueFeedback(consultation, consultation.last_day, due))
    return overdue


@dataclass(frozen=True)
class Statistics:
    opened: int
    comments_received: int
    comments_published: int
    comments_adopted: int  # adopted in full or in part
    feedback_published: int
    feedback_on_time: int


def statistics(agency_ids, start: dt.date, end: dt.date) -> Statistics:
    """政民互动 figures of these agencies for consultations whose period began from ``start`` to
    ``end`` (both included): comments are counted with their consultation."""
    from gongkai.workdays.calendar import WorkdayCalendar

    consultations = Consultation.objects.filter(agency_id__in=list(agency_ids), starts_on__range=(start, end)).exclude(
        status=Status.DRAFT)
    comments = Comment.objects.filter(consultation__in=consultations).aggregate(
        received=Count("id"), published=Count("id", filter=Q(moderation=Moderation.PUBLISHED)),
        adopted=Count("id", filter=Q(disposition__in=[Disposition.ADOPTED, Disposition.PARTLY])))
    calendar = WorkdayCalendar.load()
    answered = list(consultations.filter(status=Status.FEEDBACK_PUBLISHED))
    on_time = sum(1 for c in answered if c.feedback_published_on <= rules.feedback_due_on(c.last_day, calendar))
    return Statistics(opened=consultations.count(), comments_received=comments["received"],
                      comments_published=comments["published"], comments_adopted=comments["adopted"],
                      feedback_published=len(answered), feedback_on_time=on_time)
