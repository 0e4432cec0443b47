"""Test settings: production settings with a fast password hasher (hashing dominates test time)."""

from gongkai.settings import *  # noqa: F403
from gongkai.settings import DATA_DIR, DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not Django's shared in-memory default: concurrency tests need real separate
    # connections with WAL and busy timeouts, as in production.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-gongkai.sqlite3")}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
