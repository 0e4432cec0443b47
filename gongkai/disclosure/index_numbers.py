"""索引号 allocation: 前段码 (the agency code) / year - serial, unique and never reused.

目录系统实施指引: each item's 索引号 is unique and never changes, even if the publishing agency
later changes; it may be generated from the publication date. The serial is taken from a
locked per-agency-per-year counter inside the publishing transaction, so two reviewers
publishing at once get consecutive numbers, and a number once taken is never issued again even
if the item is later withdrawn.
"""

import re

from django.conf import settings
from django.db import IntegrityError, transaction

from gongkai.disclosure.models import IndexSequence


def format_index_number(code: str, year: int, serial: int) -> str:
    return settings.GONGKAI_INDEX_NUMBER_FORMAT.format(code=code, year=year, serial=serial)


def _pattern(code: str) -> re.Pattern:
    """The configured layout as a regex capturing year and serial, for numbers brought in by imports."""
    layout = settings.GONGKAI_INDEX_NUMBER_FORMAT
    parts = re.split(r"(\{code\}|\{year\}|\{serial(?::[^}]*)?\})", layout)
    regex = "".join(
        re.escape(code) if p == "{code}" else r"(?P<year>\d{4})" if p == "{year}"
        else r"(?P<serial>\d+)" if p.startswith("{serial") else re.escape(p)
        for p in parts
    )
    return re.compile(f"^{regex}$")


def reserve(agency, index_number: str) -> None:
    """An imported number in this agency's own layout moves its counter past it, so allocation
    never hands the same number out again. Numbers in other layouts (legacy systems) cannot
    collide with generated ones and are left alone."""
    match = _pattern(agency.code).match(index_number)
    if not match:
        return
    year, serial = int(match["year"]), int(match["serial"])
    try:
        with transaction.atomic():
            IndexSequence.objects.get_or_create(agency=agency, year=year)
    except IntegrityError:
        pass
    sequence = IndexSequence.objects.select_for_update().get(agency=agency, year=year)
    if serial > sequence.last_serial:
        sequence.last_serial = serial
        sequence.save(update_fields=["last_serial"])


def allocate(agency, year: int) -> str:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("index numbers are allocated inside the publishing transaction")
    try:
        with transaction.atomic():
            IndexSequence.objects.get_or_create(agency=agency, year=year)
    except IntegrityError:
        pass  # a concurrent publisher created the counter first; the locked read below sees it
    from gongkai.disclosure.models import Item

    sequence = IndexSequence.objects.select_for_update().get(agency=agency, year=year)
    while True:  # a number taken by other means (an old import) is skipped, never duplicated
        sequence.last_serial += 1
        number = format_index_number(agency.code, year, sequence.last_serial)
        if not Item.objects.filter(index_number=number).exists():
            break
    sequence.save(update_fields=["last_serial"])
    return number
