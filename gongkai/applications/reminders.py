"""Daily e-mail reminders to handlers and office heads about cases due soon or overdue.

``gongkai remind``, run once a day by cron or a systemd timer, enqueues the send_reminders task;
the worker runs it. A case is mentioned at most once a day, however often it runs. The messages go
through the outbox like applicants' mail (mailing.py): they are queued, and the cases marked as
reminded, in one transaction, so a mail server that is down delays the reminders (each message is
tried again with a back-off) but neither loses them nor sends them twice.
"""

from collections import defaultdict

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from gongkai.applications import mailing, queries
from gongkai.applications.models import Application
from gongkai.applications.validation import email_valid
from gongkai.orgs import access
from gongkai.orgs.models import Agency
from gongkai.orgs.roles import Perm


def _heads(agency):
    return [m.user for m in agency.memberships.select_related("user")
            if m.user.is_active and m.user.email and access.can(m.user, Perm.HEAD_APPLICATIONS, agency)]


def due_reminders(*, today=None) -> tuple[dict, list[int]]:
    """({email: [lines]}, ids of the cases mentioned); nothing is marked here."""
    today = today or timezone.localdate()
    letters: dict[str, list[str]] = defaultdict(list)
    reminded = []
    for agency in Agency.objects.filter(is_active=True, applications__isnull=False).distinct():
        soon = list(queries.due_soon(agency, today=today).filter(Q(last_reminded_on__isnull=True) | Q(last_reminded_on__lt=today)))
        late = list(queries.overdue(agency, today=today).filter(Q(last_reminded_on__isnull=True) | Q(last_reminded_on__lt=today)))
        if not soon and not late:
            continue
        heads = _heads(agency)
        for application, overdue in [(a, False) for a in soon] + [(a, True) for a in late]:
            line = (f"{agency.name} {application.tracking_code} {application.applicant_name}："
                    f"{'已超过' if overdue else '将于'}{application.due_on:%Y年%m月%d日}{'的答复期限' if overdue else '到期'}"
                    f"{'（督办）' if application.supervised else ''}")
            recipients = {u.email for u in heads}
            if application.handler_id and application.handler.email:
                recipients.add(application.handler.email)
            for email in recipients:
                if email_valid(email):  # an address typed wrong on an account is skipped, not sent to
                    letters[email].append(line)
            reminded.append(application.pk)
    return dict(letters), reminded


def queue_due_reminders(*, today=None, dry_run: bool = False) -> dict:
    """Queue the day's reminders and mark their cases, in one transaction (the send_reminders task).

    {"recipients": n, "reminders": {email: [lines]}}; with ``dry_run`` nothing is queued or marked.
    """
    today = today or timezone.localdate()
    if dry_run:
        batches, _reminded = due_reminders(today=today)
    else:
        # Read inside the transaction that marks the cases: on SQLite it holds the write turn, so a
        # second run (two workers, a manual run) waits and then finds the cases already marked.
        with transaction.atomic():
            batches, reminded = due_reminders(today=today)
            for email, lines in batches.items():
                mailing.queue_message(email, f"政府信息公开申请期限提醒（{len(lines)}件）",
                                      "以下申请即将到期或已经超期，请及时办理：\n\n" + "\n".join(lines))
            Application.objects.filter(pk__in=reminded).update(last_reminded_on=today)
    return {"recipients": len(batches), "reminders": batches,
            "summary": f"{'将' if dry_run else '已'}向{len(batches)}位工作人员发送提醒。"}
