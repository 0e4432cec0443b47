"""What every online submission reads and staff seldom change, kept in each server process for a
few seconds: the accepting agency with its disclosure office, and an agency's letter template.

Measured (bench/applications.py, py-spy on both workers): looking these up took ~7% of an API
submission's server CPU (two queries and the model instances built from them) for rows that change
a few times a year.

Freshness: a change made through this process (any save or delete of an agency, office or letter
template, whatever the code path that saved it) empties the cache at once; other server processes
see it within ``GONGKAI_LOOKUP_CACHE_SECONDS`` (default 5; 0 turns the cache off). So for at most
that long after an agency is deactivated or renamed, or its office or template edited, another
process may still accept its submissions or print the former wording on a receipt. Queryset
``update()`` sends no signal: code that changes these rows that way must call ``clear()``.
Nothing is cached for a code that finds no agency, so a new agency is served at once everywhere.
"""

import time

from django.conf import settings
from django.core.signals import setting_changed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

_entries: dict[tuple, tuple[float, object]] = {}


def get(key: tuple, load):
    """The cached value for ``key``, else ``load()`` (cached unless it is None)."""
    now = time.monotonic()
    found = _entries.get(key)
    if found is not None and found[0] > now:
        return found[1]
    value = load()
    seconds = settings.GONGKAI_LOOKUP_CACHE_SECONDS
    if value is not None and seconds > 0:
        _entries[key] = (now + seconds, value)
    return value


def clear(**_ignored) -> None:
    _entries.clear()


def _connect() -> None:
    from gongkai.applications.models import LetterTemplate
    from gongkai.orgs.models import Agency, DisclosureOffice

    for model in (Agency, DisclosureOffice, LetterTemplate):
        post_save.connect(clear, sender=model, dispatch_uid=f"hotcache-save-{model.__name__}")
        post_delete.connect(clear, sender=model, dispatch_uid=f"hotcache-delete-{model.__name__}")


@receiver(setting_changed)
def _setting_changed(*, setting, **_ignored):
    if setting == "GONGKAI_LOOKUP_CACHE_SECONDS":
        clear()
