"""Keeping audit rows: the off-host export and the guarded purge.

网络安全法第二十一条（三）: network logs are kept for no less than six months. Rows younger than
that are never purged (``purge`` refuses; on PostgreSQL the table's trigger refuses as well,
migrations/0006_hash_chain.py). The 审计管理员 exports rows to a store this host cannot rewrite,
as JSON Lines to a file (for a write-once mount or a log shipper) or to syslog (a remote
collector); each line carries the row's seq and digest, so the export also anchors the chain's
tail: rows cut off the end after an export show as missing against it.
"""

import datetime
import json
import logging
import logging.handlers
import os
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from gongkai.audit.models import Action, AuditEntry
from gongkai.audit.services import actor_label
from gongkai.errors import ServiceError

RETENTION_MONTHS = 6  # 网络安全法第二十一条（三）


def _rows(since: datetime.date | None) -> Iterator[dict]:
    names = [f.attname for f in AuditEntry._meta.concrete_fields]
    rows = AuditEntry.objects.filter(seq__isnull=False).order_by("seq")
    if since is not None:
        rows = rows.filter(at__date__gte=since)
    yield from rows.values(*names).iterator(chunk_size=2000)


def _line(row: dict) -> str:
    return json.dumps(row, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True)


def export_to_file(path: Path, *, since: datetime.date | None = None) -> int:
    """Append the rows (oldest first) to ``path`` as JSON Lines; the file is created 0600."""
    count = 0
    fd = _open_private(path)
    with open(fd, "a", encoding="utf-8") as out:
        for row in _rows(since):
            out.write(_line(row) + "\n")
            count += 1
    return count


def _open_private(path: Path) -> int:
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)


def syslog_handler() -> logging.Handler:
    """GONGKAI_AUDIT_SYSLOG: "/dev/log" (default), a socket path, or host:port (UDP)."""
    target = getattr(settings, "GONGKAI_AUDIT_SYSLOG", "") or "/dev/log"
    if ":" in target and not target.startswith("/"):
        host, _, port = target.rpartition(":")
        address = (host, int(port))
    else:
        address = target
    return logging.handlers.SysLogHandler(address=address, facility=logging.handlers.SysLogHandler.LOG_AUTHPRIV)


def export_to_syslog(*, since: datetime.date | None = None, handler: logging.Handler | None = None) -> int:
    handler = handler or syslog_handler()
    handler.setFormatter(logging.Formatter("gongkai-audit: %(message)s"))
    count = 0
    try:
        for row in _rows(since):
            handler.emit(logging.makeLogRecord({"msg": _line(row), "levelno": logging.INFO, "levelname": "INFO"}))
            count += 1
    finally:
        handler.close()
    return count


def oldest_purgeable(today: datetime.date) -> datetime.date:
    """Rows of days before this may be purged: six months back, the day of month kept (clamped)."""
    month = today.month - RETENTION_MONTHS
    year = today.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    for day in (today.day, 30, 29, 28):
        try:
            return datetime.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def purge(*, before: datetime.date, today: datetime.date, actor=None) -> int:
    """Delete the chain's oldest rows dated before ``before``, which must be at least six months
    back from ``today``. Only a prefix of the chain goes (rows in seq order up to the first one
    that is too young), and a new sealed row records the last purged row's seq and digest, where
    ``verify`` starts again (integrity._anchor)."""
    limit = oldest_purgeable(today)
    if before > limit:
        raise ServiceError("AUDIT_RETENTION", f"审计记录至少保存六个月（网络安全法第二十一条）：只能清除{limit.isoformat()}之前的记录。")
    cutoff = timezone.make_aware(datetime.datetime.combine(before, datetime.time.min))
    with transaction.atomic():
        young = AuditEntry.objects.filter(seq__isnull=False, at__gte=cutoff).order_by("seq").values_list("seq", flat=True).first()
        doomed = AuditEntry.objects.filter(seq__isnull=False, at__lt=cutoff)
        if young is not None:
            doomed = doomed.filter(seq__lt=young)
        last = doomed.order_by("-seq").values("seq", "digest").first()
        if last is None:
            return 0
        table = connection.ops.quote_name(AuditEntry._meta.db_table)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL gongkai.audit_purge = 'on'")
            # Raw SQL: the model and its queryset refuse deletes, which is the point everywhere else.
            cursor.execute(f"DELETE FROM {table} WHERE seq <= %s", [last["seq"]])
            count = cursor.rowcount
        # The chain itself is the object, so no model instance to pass to audit.services.record.
        AuditEntry(actor=actor, actor_label=actor_label(actor), action=Action.AUDIT_PURGE, object_type="audit.chain",
                   object_id="purge", object_repr="审计记录链", note=f"清除{before.isoformat()}之前的审计记录{count}条",
                   after={"through_seq": last["seq"], "through_digest": last["digest"], "before": before.isoformat()},
                   ).save(force_insert=True)
    return count
