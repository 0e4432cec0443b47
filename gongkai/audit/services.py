"""Writing audit rows. Every service that changes state calls ``record`` inside its transaction."""

import datetime
import decimal

from django.db import models

from gongkai.audit import context
from gongkai.audit.models import AuditEntry, Outcome


def _plain(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: list[str]) -> dict:
    """A JSON-safe picture of ``fields`` of ``obj``; foreign keys are stored by primary key."""
    picture = {}
    for name in fields:
        field = obj._meta.get_field(name)
        value = getattr(obj, field.attname)
        picture[name] = _plain(value)
    return picture


def actor_label(actor) -> str:
    if actor is None:
        return "cli"
    full = actor.get_full_name() if hasattr(actor, "get_full_name") else ""
    return f"{full}（{actor.username}）" if full else actor.username


def entry(*, actor, action: str, obj: models.Model, agency=None, before=None, after=None, note: str = "",
          label: str | None = None, outcome: str = Outcome.SUCCESS) -> AuditEntry:
    """The row ``record`` writes, not yet saved: for a caller that inserts its rows itself
    (applications.rows, the online submission's lean write transaction)."""
    request = context.current()
    return AuditEntry(
        actor=actor,
        actor_label=label or actor_label(actor),
        action=action,
        object_type=obj._meta.label_lower,
        object_id="" if obj.pk is None else str(obj.pk),  # a sign-in attempt for a name no account has
        object_repr=str(obj)[:255],
        agency=agency,
        before=before,
        after=after,
        note=note[:500],
        source_ip=request.source_ip,
        request_id=request.request_id,
        outcome=outcome,
    )


def record(*, actor, action: str, obj: models.Model, agency=None, before=None, after=None, note: str = "",
           label: str | None = None, outcome: str = Outcome.SUCCESS) -> AuditEntry:
    """``label`` names an actor without an account, e.g. an applicant acting through the portal;
    ``outcome`` is for security events (a refused sign-in is recorded too, as a failure)."""
    row = entry(actor=actor, action=action, obj=obj, agency=agency, before=before, after=after, note=note, label=label,
                outcome=outcome)
    row.save(force_insert=True)
    return row
