"""E-mail to applicants through an outbox: written in the submission's transaction, sent after it.

``prepare`` builds the message (an OutgoingMail row, body encrypted: it carries the tracking
secret) and ``queue`` inserts it in the caller's transaction, so the message exists exactly when
the application does: a
rolled-back submission sends nothing, and a committed one is never lost to a process that dies
before sending, as the send-after-commit it replaces could be. Nothing on the request path
talks to the mail server; the INSERT costs ~0.05 ms where building and writing the message cost
0.2-0.6 ms (bench/applications.py).

Who sends, by ``settings.GONGKAI_MAIL_SENDER``:

- ``thread`` (default): a daemon thread per process, started with the first message and woken by
  every commit that enqueued one (it gathers what the next GATHER_SECONDS bring into one batch); it also looks for leftovers every SWEEP_SECONDS (messages of a
  process that died, refusals whose back-off has run out) and once more at interpreter exit;
- ``inline``: the committing thread itself, right after the commit (the tests; one-off commands);
- ``cron``: only ``gongkai retry_mail``, which every installation runs from cron anyway.

Delivery is at least once. A sender takes a batch by setting ``not_before`` to a lease, sends
each message, and deletes the batch once the mail server has accepted it (so the secret is not
kept). A sender that dies in between leaves the batch to be sent again when the lease runs out;
a refused message is tried again after a back-off, up to MAX_ATTEMPTS, then stays for staff.
Concurrent senders never take the same row: SQLite runs the claiming UPDATE under its one write
lock, PostgreSQL skips rows another sender has locked.
"""

import atexit
import datetime as dt
import logging
import os
import threading
import time

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection, transaction
from django.utils import timezone

from gongkai.applications import rows
from gongkai.applications.models import OutgoingMail
from gongkai.applications.plainmail import PlainTextMail
from gongkai.applications.validation import email_valid
from gongkai.errors import ServiceError
from gongkai.fieldcrypt import decrypt

log = logging.getLogger(__name__)
# After this many refusals a message stays for staff to look at and is no longer tried.
MAX_ATTEMPTS = 20
BATCH = 50
LEASE = dt.timedelta(minutes=5)  # longer than a batch can take, even against a slow SMTP server
SWEEP_SECONDS = 60
IDLE_CLOSE_SECONDS = 2  # the sender closes its database connection after this long without work
# Woken by a commit, the sender waits this long before taking a batch. A message on its own costs
# three database transactions (look, claim, delete) besides building it; gathered, a busy server
# spends ~0.3 ms of CPU per message, mostly Python's MIME encoding (bench/applications.py).
GATHER_SECONDS = 0.2


def prepare(recipient: str, subject: str, body: str) -> rows.PreparedInsert:
    """The outbox row of a message, its body encrypted now (before a write transaction); queue() adds it."""
    if not email_valid(recipient):
        raise ServiceError("EMAIL_INVALID", "电子邮箱格式不正确。", field="email")
    return rows.prepare(OutgoingMail(recipient=recipient, subject=subject[:200], body=body))


def queue(message: rows.PreparedInsert) -> OutgoingMail:
    """Insert a prepared message in the caller's transaction; it is sent once that commits."""
    stored = message.execute()
    transaction.on_commit(wake)
    return stored


def wake() -> None:
    mode = getattr(settings, "GONGKAI_MAIL_SENDER", "thread")
    if mode == "thread":
        _sender.wake()
    elif mode == "inline":
        try:
            deliver_pending()
        except Exception:  # noqa: BLE001 - the message stays in the outbox for the next sender
            log.exception("sending applicant mail after the commit failed; it stays in the outbox")


def _prep(value):
    return OutgoingMail._meta.get_field("not_before").get_db_prep_value(value, connection)


def _claim(limit: int, now: dt.datetime) -> list[tuple]:
    table = connection.ops.quote_name(OutgoingMail._meta.db_table)
    due = "attempts < %s AND (not_before IS NULL OR not_before <= %s)"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {table} WHERE {due} LIMIT 1", [MAX_ATTEMPTS, _prep(now)])
        if cursor.fetchone() is None:  # nothing to do: no write transaction
            return []
    skip_locked = " FOR UPDATE SKIP LOCKED" if connection.features.has_select_for_update_skip_locked else ""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET not_before = %s, attempts = attempts + 1 WHERE id IN "
            f"(SELECT id FROM {table} WHERE {due} ORDER BY id LIMIT %s{skip_locked}) "
            "RETURNING id, recipient, subject, body, attempts",
            [_prep(now + LEASE), MAX_ATTEMPTS, _prep(now), limit])
        return sorted(cursor.fetchall())


def _backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(60 * 2 ** max(attempts - 1, 0), 3600))


def deliver_pending(*, limit: int = BATCH) -> dict:
    """Send up to ``limit`` waiting messages, oldest first; {"taken", "sent", "failed"}."""
    now = timezone.now()
    taken = _claim(limit, now)
    if not taken:
        return {"taken": 0, "sent": 0, "failed": 0}
    sent, failures = [], []
    mail = get_connection(fail_silently=False)
    try:
        mail.open()  # one connection (one file with the file backend) for the batch
    except Exception as error:  # noqa: BLE001 - the server could not be reached: all tried again later
        failures = [(pk, attempts, str(error)[:300]) for pk, _r, _s, _t, attempts in taken]
    else:
        try:
            for pk, recipient, subject, token, attempts in taken:
                try:
                    PlainTextMail(subject, decrypt(token), None, [recipient], connection=mail).send()
                except Exception as error:  # noqa: BLE001 - any refusal: tried again after a back-off
                    failures.append((pk, attempts, str(error)[:300]))
                else:
                    sent.append(pk)
        finally:
            try:
                mail.close()
            except Exception:  # noqa: BLE001 - what was sent has gone
                log.warning("closing the mail connection failed", exc_info=True)
    if failures:
        log.warning("%d applicant mail(s) refused (%s); tried again later", len(failures), failures[0][2])
    table = connection.ops.quote_name(OutgoingMail._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        if sent:
            cursor.execute(f"DELETE FROM {table} WHERE id IN ({', '.join(['%s'] * len(sent))})", sent)
        for pk, attempts, error in failures:
            cursor.execute(f"UPDATE {table} SET last_error = %s, not_before = %s WHERE id = %s",
                           [error, _prep(timezone.now() + _backoff(attempts)), pk])
    return {"taken": len(taken), "sent": len(sent), "failed": len(failures)}


def deliver_all(*, limit: int = 10_000) -> dict:
    """Everything that is due, batch after batch (``gongkai retry_mail``); adds "given_up"."""
    total = {"sent": 0, "failed": 0}
    while sum(total.values()) < limit:
        batch = deliver_pending()
        total["sent"] += batch["sent"]
        total["failed"] += batch["failed"]
        if batch["taken"] < BATCH:
            break
    return total | {"given_up": OutgoingMail.objects.filter(attempts__gte=MAX_ATTEMPTS).count()}


class _Sender:
    """The per-process sender thread (GONGKAI_MAIL_SENDER=thread)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.event = threading.Event()
        self.thread: threading.Thread | None = None
        self.pid = None
        self.stopping = False

    def wake(self) -> None:
        if self.thread is None or self.pid != os.getpid() or not self.thread.is_alive():
            with self.lock:  # started lazily, and again in a forked child (gunicorn --preload)
                if self.thread is None or self.pid != os.getpid() or not self.thread.is_alive():
                    self.stopping, self.pid = False, os.getpid()
                    self.event = threading.Event()
                    self.thread = threading.Thread(target=self._run, name="gongkai-mail-sender", daemon=True)
                    self.thread.start()
        self.event.set()

    def _drain(self) -> None:
        try:
            connection.close_if_unusable_or_obsolete()
            while deliver_pending()["taken"] == BATCH:
                pass
        except Exception:  # noqa: BLE001 - logged; the messages stay for the next round
            log.exception("applicant mail sender: a round failed; messages stay in the outbox")

    def _run(self) -> None:
        connected = False
        while not self.stopping:
            woken = self.event.wait(IDLE_CLOSE_SECONDS if connected else SWEEP_SECONDS)
            if woken and not self.stopping:
                time.sleep(GATHER_SECONDS)  # the next commits' messages join this batch
            self.event.clear()
            if self.stopping:
                break
            if woken or not connected:
                self._drain()
                connected = True
            else:  # idle: do not hold a database connection (PostgreSQL counts them)
                connection.close()
                connected = False
        connection.close()

    def stop(self, timeout: float = 10) -> None:
        """Stop the thread and close its connection (tests; interpreter exit)."""
        thread = self.thread
        if thread is None or self.pid != os.getpid():
            return
        self.stopping = True
        self.event.set()
        thread.join(timeout)
        self.thread = None


_sender = _Sender()


@atexit.register
def _last_round() -> None:
    """A process that exits (a gunicorn worker being recycled) sends what it still can."""
    if _sender.thread is not None and _sender.pid == os.getpid():
        _sender.stop(timeout=5)
        try:
            deliver_pending()
        except Exception:  # noqa: BLE001 - left for the other processes' sweep and cron
            log.warning("applicant mail: final round at exit failed", exc_info=True)


def stop_sender() -> None:
    _sender.stop()
