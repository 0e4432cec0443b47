"""Daily e-mail reminders to handlers and office heads about cases due soon or overdue.

Run once a day (cron or a systemd timer: ``gongkai remind``). A case is mentioned at most once
a day, however often the command runs. Mail goes through Django's backend: the file backend
(data dir ``outbox/``) on the embedded default, SMTP in production (docs/operations.md).
"""

from collections import defaultdict

from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone

from gongkai.applications import queries
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


def send_due_reminders(*, today=None, dry_run: bool = False) -> dict:
    """Send the day's reminders; cases are marked only once every message has gone out, so a
    mail server that is down today means the same reminders are tried again on the next run."""
    today = today or timezone.localdate()
    batches, reminded = due_reminders(today=today)
    if dry_run:
        return batches
    for email, lines in batches.items():
        send_mail(subject=f"政府信息公开申请期限提醒（{len(lines)}件）",
                  message="以下申请即将到期或已经超期，请及时办理：\n\n" + "\n".join(lines),
                  from_email=None, recipient_list=[email], fail_silently=False)
    Application.objects.filter(pk__in=reminded).update(last_reminded_on=today)
    return batches
