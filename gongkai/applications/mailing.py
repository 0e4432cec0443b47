"""E-mail to applicants and staff: an outbox row, sent by a task on the queue.

``queue_message`` writes the message as an OutgoingMail row (body encrypted: an applicant's
message carries the tracking secret) and enqueues ``send_outgoing_mail`` for it in the caller's
transaction. The queue is a table in the same database (django_tasks_db), so the message and its
task exist exactly when the caller's transaction commits: a rolled-back submission sends nothing,
and a committed one is never lost to a process that dies right after the commit. The task's row
holds only the outbox id (task rows are kept until pruned); the outbox row, with the secret, is
deleted once the mail server has accepted the message, so the outbox is also the list of what
has not gone out yet, with its last error.

``send`` sends one message. It takes the row with a lease (``not_before``), so two runs of the
same send never both deliver it; builds it with Django's EmailMessage (which encodes the Chinese
subject and body); and deletes the row once the mail server has accepted it. A refusal records
the error and enqueues the send again after a back-off, up to MAX_ATTEMPTS; after that the
message stays in the outbox for staff. A worker that dies between taking and deleting leaves
the lease to run out, and ``gongkai retry_mail`` (cron) enqueues what is due again.
"""

import datetime as dt
import logging

from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from gongkai.applications.models import OutgoingMail
from gongkai.applications.validation import email_valid
from gongkai.errors import ServiceError

log = logging.getLogger(__name__)
# After this many refusals a message stays for staff to look at and is no longer tried.
MAX_ATTEMPTS = 20
LEASE = dt.timedelta(minutes=5)  # longer than one message can take, even against a slow SMTP server
SUBJECT_MAX = OutgoingMail._meta.get_field("subject").max_length


class MailRefused(Exception):
    """The mail server refused or could not be reached; the send is enqueued again (the task fails)."""


def queue_message(recipient: str, subject: str, body: str) -> OutgoingMail:
    """Put one message in the outbox and enqueue its send, in the caller's transaction."""
    from gongkai.applications.tasks import send_outgoing_mail

    if not email_valid(recipient):
        raise ServiceError("EMAIL_INVALID", "电子邮箱格式不正确。", field="email")
    with transaction.atomic():
        message = OutgoingMail.objects.create(recipient=recipient, subject=subject[:SUBJECT_MAX], body=body)
        send_outgoing_mail.enqueue(message.pk)
    return message


class MailState:
    """Where the applicant's message with the code and secret is, as the portal may say it."""

    NONE = "none"  # no e-mail address given
    NOT_DELIVERED = "not_delivered"  # this installation keeps mail on the machine (GONGKAI_MAIL_DELIVERS off)
    QUEUED = "queued"  # in the outbox, not yet accepted by the mail server
    RETRYING = "retrying"  # the mail server refused or could not be reached; tried again later
    SENT = "sent"  # the mail server accepted it (the outbox row is deleted then)


def code_mail_state(application) -> str:
    """The state of the message ``_send_code`` (intake.py) queued for ``application``: the page
    after submitting says "sent" only once the mail server has accepted it."""
    from django.conf import settings

    if not application.email:
        return MailState.NONE
    if not settings.GONGKAI_MAIL_DELIVERS:
        return MailState.NOT_DELIVERED
    waiting = OutgoingMail.objects.filter(recipient=application.email,
                                          subject__contains=f"查询码 {application.tracking_code}").first()
    if waiting is None:
        return MailState.SENT
    return MailState.RETRYING if waiting.last_error else MailState.QUEUED


def _due(now: dt.datetime) -> Q:
    return Q(attempts__lt=MAX_ATTEMPTS) & (Q(not_before__isnull=True) | Q(not_before__lte=now))


def _take(outbox_id: int, now: dt.datetime) -> OutgoingMail | None:
    """The message, leased to this run; None if it is gone, leased to another run, or given up."""
    with transaction.atomic():
        taken = OutgoingMail.objects.filter(_due(now), pk=outbox_id).update(
            not_before=now + LEASE, attempts=F("attempts") + 1)
        return OutgoingMail.objects.get(pk=outbox_id) if taken else None


def backoff(attempts: int) -> dt.timedelta:
    """1, 2, 4 … minutes after the 1st, 2nd, 3rd … refusal, at most an hour."""
    return dt.timedelta(seconds=min(60 * 2 ** max(attempts - 1, 0), 3600))


def send(outbox_id: int) -> dict:
    """Send one outbox message (the send_outgoing_mail task); {"sent": bool, "outbox": id}."""
    from gongkai.applications.tasks import send_outgoing_mail

    message = _take(outbox_id, timezone.now())
    if message is None:
        return {"outbox": outbox_id, "sent": False}
    try:
        EmailMessage(message.subject, message.body, None, [message.recipient],
                     connection=get_connection(fail_silently=False)).send()
    except Exception as error:  # noqa: BLE001 - any refusal: recorded, tried again after a back-off
        retry_at = timezone.now() + backoff(message.attempts)
        with transaction.atomic():
            OutgoingMail.objects.filter(pk=message.pk).update(last_error=str(error)[:300], not_before=retry_at)
            if message.attempts < MAX_ATTEMPTS:
                send_outgoing_mail.using(run_after=retry_at).enqueue(message.pk)
        given_up = "" if message.attempts < MAX_ATTEMPTS else "，已达重试上限，留待人工处理"
        raise MailRefused(f"邮件服务器拒收或无法连接（第{message.attempts}次）{given_up}：{error}") from error
    OutgoingMail.objects.filter(pk=message.pk).delete()  # the secret is not kept once the server has it
    return {"outbox": outbox_id, "sent": True}


def requeue_due() -> dict:
    """Enqueue the send of every message that is due and not already waiting (``gongkai retry_mail``).

    Picks up what a dead worker left (its lease has run out) and refusals whose back-off has
    passed; {"queued", "given_up"}.
    """
    from gongkai.applications.tasks import send_outgoing_mail
    from gongkai.jobs.queue import waiting_args

    waiting = {args[0] for args in waiting_args(send_outgoing_mail) if args}
    due = [pk for pk in OutgoingMail.objects.filter(_due(timezone.now())).values_list("pk", flat=True)
           if pk not in waiting]
    with transaction.atomic():
        for pk in due:
            send_outgoing_mail.enqueue(pk)
    return {"queued": len(due), "given_up": OutgoingMail.objects.filter(attempts__gte=MAX_ATTEMPTS).count()}

