"""索引号 allocation: 前段码 (the agency code) / year - serial, unique and never reused.

目录系统实施指引: each item's 索引号 is unique and never changes, even if the publishing agency
later changes; it may be generated from the publication date. The serial is taken from a
locked per-agency-per-year counter inside the publishing transaction, so two reviewers
publishing at once get consecutive numbers, and a number once taken is never issued again even
if the item is later withdrawn.
"""

from django.conf import settings
from django.db import IntegrityError, transaction

from gongkai.disclosure.models import IndexSequence


def format_index_number(code: str, year: int, serial: int) -> str:
    return settings.GONGKAI_INDEX_NUMBER_FORMAT.format(code=code, year=year, serial=serial)


def allocate(agency, year: int) -> str:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("index numbers are allocated inside the publishing transaction")
    try:
        with transaction.atomic():
            IndexSequence.objects.get_or_create(agency=agency, year=year)
    except IntegrityError:
        pass  # a concurrent publisher created the counter first; the locked read below sees it
    sequence = IndexSequence.objects.select_for_update().get(agency=agency, year=year)
    sequence.last_serial += 1
    sequence.save(update_fields=["last_serial"])
    return format_index_number(agency.code, year, sequence.last_serial)
