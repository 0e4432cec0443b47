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


def build(*, actor, action: str, obj: models.Model, agency=None, before=None, after=None, note: str = "",
          label: str | None = None, outcome: str = Outcome.SUCCESS) -> AuditEntry:
    """The audit row of a change, not yet saved: the one definition of what an audit row holds.

    ``label`` names an actor without an account, e.g. an applicant acting through the portal;
    ``outcome`` is for security events (a refused sign-in is recorded too, as a failure). The
    request's source address and id come from audit/context.py (empty at the command line)."""
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


def record(**change) -> AuditEntry:
    """Write the audit row of a change (see ``build``), in the caller's transaction; saving seals
    it into the hash chain (chain.py)."""
    entry = build(**change)
    entry.save(force_insert=True)
    return entry


def record_many(entries: list[AuditEntry]) -> None:
    """Insert rows made by ``build`` in one statement (bulk imports), sealed in order first.

    Must run inside the transaction that writes the changes they record."""
    from gongkai.audit import chain

    chain.seal(entries)
    AuditEntry.objects.bulk_create(entries)
