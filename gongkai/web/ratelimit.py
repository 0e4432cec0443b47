"""A fixed-window rate limit per client, counted in append-only files in the data directory, so
every server process on the host counts together (as the file cache did, at a hundredth of the
cost).

Each attempt appends one byte to ``<data dir>/ratelimit/<bucket>/<window>/<client digest>``
opened with O_APPEND: the kernel makes the append and the new end of file one step, so the file
offset after our write is our attempt's number even when processes append at the same moment,
with no lock and no read-modify-write. The Django file cache this replaces wrote a temporary file
and renamed it over the old one for every increment: a new file, a rename and their directory
updates per request, the largest fixed cost of an API submission (docs/architecture.md, "Performance notes"). A client over its limit stops growing its file. The first
attempt of a new window removes the bucket's older windows.
"""

import hashlib
import os
import shutil
import time
from pathlib import Path

from django.conf import settings

from gongkai.web.client_address import client_ip


def client_key(request) -> str:
    # The address as the audit trail records it: X-Forwarded-For is read only from trusted proxies.
    return client_ip(request) or "unknown"


def _root() -> Path:
    return Path(settings.DATA_DIR) / "ratelimit"


def allow(request, bucket: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt; False once the client has used up ``limit`` in this window."""
    if limit <= 0:
        return False
    window = int(time.time() // window_seconds)
    # Hashed: a client key is whatever the proxy wrote, and it must not become a path.
    name = hashlib.sha256(client_key(request).encode()).hexdigest()[:32]
    # Paths as strings: pathlib's objects cost more than the system calls here, on every public request.
    folder = os.path.join(settings.DATA_DIR, "ratelimit", bucket, str(window))
    path = os.path.join(folder, name)
    try:
        if os.stat(path).st_size >= limit:
            return False
    except FileNotFoundError:
        if not os.path.isdir(folder):
            _start_window(Path(folder))
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    except FileNotFoundError:  # the window began just now and another process cleared ours away
        os.makedirs(folder, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, b".")
        count = os.lseek(fd, 0, os.SEEK_CUR)
    finally:
        os.close(fd)
    return count <= limit


def _start_window(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.parent.iterdir():
        if old.name.isdigit() and int(old.name) < int(folder.name):
            shutil.rmtree(old, ignore_errors=True)


def reset() -> None:
    """Forget every count (tests)."""
    shutil.rmtree(_root(), ignore_errors=True)
