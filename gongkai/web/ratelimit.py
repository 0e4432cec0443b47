"""A fixed-window rate limit per client on the shared cache (a file cache on the embedded default,
so every server process counts together)."""

import time

from django.conf import settings
from django.core.cache import cache


def client_key(request) -> str:
    # Behind our proxy, the last X-Forwarded-For entry is the one the proxy itself appended (the
    # earlier ones are whatever the client sent, so they cannot be trusted); otherwise REMOTE_ADDR.
    if settings.GONGKAI_BEHIND_TLS_PROXY and request.META.get("HTTP_X_FORWARDED_FOR"):
        return request.META["HTTP_X_FORWARDED_FOR"].split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "unknown")


def allow(request, bucket: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt; False once the client has used up ``limit`` in this window."""
    if limit <= 0:
        return False
    window = int(time.time() // window_seconds)
    key = f"rl:{bucket}:{client_key(request)}:{window}"
    if cache.add(key, 1, timeout=window_seconds + 5):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window_seconds + 5)
        return True
    return count <= limit
