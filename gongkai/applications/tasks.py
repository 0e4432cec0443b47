"""The applications app's background tasks (run by `gongkai db_worker`; docs/operations.md)."""

import datetime as dt

from django_tasks import task

from gongkai.applications import mailing, reminders
from gongkai.applications.letters import issuing


@task()
def send_outgoing_mail(outbox_id: int) -> dict:
    """One message of the outbox (mailing.py)."""
    return mailing.send(outbox_id)


@task()
def render_letter(letter_id: int) -> dict:
    """An issued letter's DOCX and PDF (letters/issuing.py)."""
    return issuing.render_files(letter_id)


@task()
def send_reminders(today: str | None = None) -> dict:
    """The day's deadline reminders to handlers and office heads (reminders.py); ``today`` ISO."""
    return reminders.queue_due_reminders(today=dt.date.fromisoformat(today) if today else None)
