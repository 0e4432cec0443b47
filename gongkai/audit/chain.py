"""Tamper evidence for the audit log: every row carries a keyed hash over itself and the row before.

等保三级 (GB/T 22239-2019 8.1.4.3 安全审计 c) asks that audit records be protected against
unexpected deletion, modification or overwriting. The database alone cannot promise that to
someone who holds its files or its owner role, so each row is sealed when it is written:

    digest(n) = HMAC(key, digest(n-1) "\\n" seq(n) "\\n" canonical JSON of row n)

``seq`` numbers the rows 1, 2, 3… without gaps, so a deleted row shows as a missing number and an
edited row as a digest that no longer matches (``gongkai audit verify``). The HMAC is SM3 (GB/T
32905, the hash 等保 assessors expect) where the installed OpenSSL provides it, else SHA-256; the
algorithm is written into each digest (``hmac-sm3:…``), so a row sealed under one is verified
under the same. What this cannot show: rows cut off the end of the chain (the remaining chain is
consistent). The off-host export (``gongkai audit export``) is the answer to that: a copy an
attacker on this host cannot reach names the last row it saw.

The key never lives in the database. Strongest first:

1. ``settings.GONGKAI_AUDIT_KEY`` or the environment variable ``GONGKAI_AUDIT_KEY`` (any text of
   at least 32 characters, e.g. ``python -c "import secrets; print(secrets.token_urlsafe(32))"``);
2. ``GONGKAI_AUDIT_KEY_FILE``: a file holding it (e.g. on a mount the data directory is not on);
3. else ``audit.key`` in ``settings.DATA_DIR``, generated on first use with mode 0600.

Concurrent writers: the previous row's digest is read inside the writing transaction under a
lock held to its commit. On SQLite every write transaction already holds the database's one write
lock (IMMEDIATE transactions take it at BEGIN); on PostgreSQL the writer takes a
transaction-scoped advisory lock. Audited writes therefore commit one at a time from the moment
they seal their row; the unique index on ``seq`` turns any writer that got past the lock into an
error rather than a forked chain.
"""

import datetime
import functools
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import connections
from django.dispatch import receiver

KEY_FILE_NAME = "audit.key"
# pg_advisory_xact_lock's key: any fixed 64-bit number nothing else in gongkai uses.
PG_LOCK_ID = 0x676F6E676B616931  # "gongkai1"
UNSEALED = frozenset({"id", "seq", "digest"})


def _algorithm() -> str:
    try:
        hashlib.new("sm3")
    except ValueError:
        return "sha256"
    return "sm3"


ALGORITHM = _algorithm()


def _configured_key() -> bytes:
    value = getattr(settings, "GONGKAI_AUDIT_KEY", "") or os.environ.get("GONGKAI_AUDIT_KEY", "")
    origin = "GONGKAI_AUDIT_KEY"
    if not value:
        path = getattr(settings, "GONGKAI_AUDIT_KEY_FILE", "") or os.environ.get("GONGKAI_AUDIT_KEY_FILE", "")
        if path:
            origin = path
            try:
                value = Path(path).expanduser().read_text().strip()
            except OSError as exc:
                raise ImproperlyConfigured(f"无法读取审计密钥文件 {path}：{exc}") from exc
        else:
            origin = str(Path(settings.DATA_DIR) / KEY_FILE_NAME)
            value = _key_file(Path(settings.DATA_DIR) / KEY_FILE_NAME)
    if len(value.strip()) < 32:
        raise ImproperlyConfigured(f"审计密钥（{origin}）太短：至少需要32个字符。")
    return value.strip().encode()


def _key_file(path: Path) -> str:
    import secrets

    try:
        # O_EXCL: two processes starting together cannot both write a key; the loser reads the winner's.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    key = secrets.token_urlsafe(32)
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    os.chmod(path, 0o600)  # os.open's mode is reduced by the umask
    return key


def _plain(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def canonical(values: dict) -> bytes:
    """The bytes a row's digest covers: every column but id/seq/digest, empty ones left out.

    Leaving out None and "" lets a later migration add a column (empty for old rows) without
    breaking the digests of rows sealed before it. JSON values are normalised through a JSON round
    trip (integer keys become text, tuples lists), as the database stores them."""
    picture = {name: _plain(value) for name, value in values.items()
               if name not in UNSEALED and value is not None and value != ""}
    picture = json.loads(json.dumps(picture, ensure_ascii=False))
    return json.dumps(picture, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def digest(key: bytes, previous: str, seq: int, values: dict, algorithm: str = ALGORITHM) -> str:
    mac = hmac.new(key, f"{previous}\n{seq}\n".encode() + canonical(values), algorithm)
    return f"hmac-{algorithm}:{mac.hexdigest()}"


def row_values(entry) -> dict:
    """The column values of an AuditEntry instance, by attribute name (``actor_id``, not ``actor``)."""
    return {f.attname: getattr(entry, f.attname) for f in type(entry)._meta.concrete_fields}


@dataclass
class Head:
    seq: int
    digest: str


def _lock_and_read_head(using: str, model) -> Head:
    connection = connections[using]
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PG_LOCK_ID])
        cursor.execute(f"SELECT seq, digest FROM {table} WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1")
        row = cursor.fetchone()
    return Head(*row) if row else Head(0, "")


def seal(entries: list, *, using: str = "default") -> None:
    """Give ``entries`` (new, unsaved AuditEntry instances, in order) their seq and digest.

    Call inside the transaction that inserts them, right before the INSERT: the lock taken here
    is held to that transaction's end."""
    connection = connections[using]
    if not connection.in_atomic_block:
        raise RuntimeError("audit rows are sealed inside the transaction that writes them")
    if not entries:
        return
    secret = key()
    head = _lock_and_read_head(using, type(entries[0]))
    for entry in entries:
        if entry.at is None:
            raise ValueError("an audit row needs its time before it is sealed")
        entry.seq = head.seq + 1
        entry.digest = digest(secret, head.digest, entry.seq, row_values(entry))
        head = Head(entry.seq, entry.digest)


@functools.cache
def key() -> bytes:
    """The configured audit key, read on first use (so settings and tests can point it elsewhere)."""
    return _configured_key()


@receiver(setting_changed)
def _forget_key_when_settings_change(*, setting, **kwargs):
    if setting in ("GONGKAI_AUDIT_KEY", "GONGKAI_AUDIT_KEY_FILE", "DATA_DIR"):
        key.cache_clear()
