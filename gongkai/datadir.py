"""The one directory that holds everything an installation writes.

Backing up this directory (database, uploaded files, generated secret key) backs up
the whole embedded installation; see docs/operations.md.
"""

import os
import secrets
from pathlib import Path


def data_dir() -> Path:
    configured = os.environ.get("GONGKAI_DATA_DIR")
    if configured:
        path = Path(configured).expanduser()
    else:
        base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
        path = Path(base) / "gongkai"
    # Owner-only, whatever the umask the server was started with: the directory holds the
    # database, applicants' files and the keys. Files created later by this process (SQLite's
    # database, WAL and journal, the cache, keys, mail files) get 0600 from the umask; uploads and
    # letters get it from FILE_UPLOAD_PERMISSIONS (settings.py), which Django applies with chmod.
    os.umask(0o077)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)
    return path.resolve()


def secret_key(directory: Path) -> str:
    """The secret key from the environment, else one generated once and kept in the data dir."""
    from_env = os.environ.get("GONGKAI_SECRET_KEY")
    if from_env:
        return from_env
    key_file = directory / "secret_key"
    try:
        # O_EXCL and mode 0600 at creation: the key is never readable by others, not even briefly.
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_file.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(50))
    return key_file.read_text().strip()
