"""E-mail to applicants, sent after the submission's commit and kept when the server refuses it.

The message is sent once the application is committed, outside SQLite's write lock. When the mail
server is down or refuses it, the message is kept (KeptMail, body encrypted: it carries the
tracking secret) and ``gongkai retry_mail`` (run from cron with ``gongkai remind``) sends it
again, deleting it once it has gone. Messages that go out at once, nearly all of them, cost no
database write. A process that dies between the commit and the send loses that one copy; the
applicant was shown the code and secret on the page or in the API answer already.
"""

import logging

from django.core.mail import send_mail
from django.db.models import F

from gongkai.applications.models import KeptMail

log = logging.getLogger(__name__)
# After this many refusals a kept message stays for staff to look at and is no longer tried.
MAX_ATTEMPTS = 20


def _send(recipient: str, subject: str, body: str) -> None:
    send_mail(subject=subject, message=body, from_email=None, recipient_list=[recipient], fail_silently=False)


def send_or_keep(recipient: str, subject: str, body: str) -> bool:
    """Send now; on failure keep the message for retry_kept. True when it went out."""
    try:
        _send(recipient, subject, body)
        return True
    except Exception as error:  # noqa: BLE001 - any refusal: keep it and try again later
        log.warning("mail to an applicant refused (%s); kept for gongkai retry_mail", type(error).__name__)
        KeptMail.objects.create(recipient=recipient, subject=subject, body=body, last_error=str(error)[:300])
        return False


def retry_kept(*, limit: int = 500) -> dict:
    """Send kept messages again, oldest first; {"sent", "failed", "given_up"}."""
    sent = failed = 0
    for kept in KeptMail.objects.filter(attempts__lt=MAX_ATTEMPTS).order_by("id")[:limit]:
        try:
            _send(kept.recipient, kept.subject, kept.body)
        except Exception as error:  # noqa: BLE001 - counted; tried again next run
            KeptMail.objects.filter(pk=kept.pk).update(attempts=F("attempts") + 1, last_error=str(error)[:300])
            failed += 1
        else:
            kept.delete()  # the secret is not kept once delivered
            sent += 1
    return {"sent": sent, "failed": failed, "given_up": KeptMail.objects.filter(attempts__gte=MAX_ATTEMPTS).count()}
