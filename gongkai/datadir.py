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
    path.mkdir(parents=True, exist_ok=True)
    return path.resolve()


def secret_key(directory: Path) -> str:
    """The secret key from the environment, else one generated once and kept in the data dir."""
    from_env = os.environ.get("GONGKAI_SECRET_KEY")
    if from_env:
        return from_env
    key_file = directory / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()
