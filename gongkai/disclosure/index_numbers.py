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


def layout_serial(code: str, index_number: str) -> tuple[int, int] | None:
    """(year, serial) of a number in the platform's layout for agency ``code``, else None."""
    match = _pattern(code).match(index_number)
    return (int(match["year"]), int(match["serial"])) if match else None


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


class Allocator:
    """allocate() and reserve() for many items in one transaction (imports): each counter is
    locked once and written back once by ``save()``, instead of several statements per item.
    Same rules: numbers are consecutive per agency and year, one already taken is skipped and
    never issued, an imported number in the platform's layout moves its counter past it."""

    def __init__(self):
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("index numbers are allocated inside the publishing transaction")
        self.sequences: dict[tuple[int, int], IndexSequence] = {}
        self.patterns: dict[str, re.Pattern] = {}

    def _sequence(self, agency, year: int) -> IndexSequence:
        sequence = self.sequences.get((agency.pk, year))
        if sequence is None:
            try:
                with transaction.atomic():
                    IndexSequence.objects.get_or_create(agency=agency, year=year)
            except IntegrityError:
                pass
            sequence = IndexSequence.objects.select_for_update().get(agency=agency, year=year)
            self.sequences[(agency.pk, year)] = sequence
        return sequence

    def _load(self, wanted: set[tuple]) -> None:
        """Lock the counters of many (agency, year) pairs with two statements, not three per pair."""
        missing = {(agency.pk, year): agency for agency, year in wanted if (agency.pk, year) not in self.sequences}
        if not missing:
            return
        IndexSequence.objects.bulk_create([IndexSequence(agency_id=pk, year=year) for pk, year in missing],
                                          ignore_conflicts=True)
        locked = IndexSequence.objects.select_for_update().filter(
            agency_id__in={pk for pk, _ in missing}, year__in={year for _, year in missing})
        for sequence in locked:
            if (sequence.agency_id, sequence.year) in missing:
                self.sequences[(sequence.agency_id, sequence.year)] = sequence

    def reserve(self, agency, index_number: str) -> None:
        if agency.code not in self.patterns:
            self.patterns[agency.code] = _pattern(agency.code)
        match = self.patterns[agency.code].match(index_number)
        if match:
            sequence = self._sequence(agency, int(match["year"]))
            sequence.last_serial = max(sequence.last_serial, int(match["serial"]))

    def allocate(self, requests: list[tuple], also_taken: set[str] = frozenset()) -> list[str]:
        """One new number for each (agency, year), in order; ``also_taken`` are numbers about to be
        written (an import's legacy numbers) that the database does not know yet."""
        from gongkai.disclosure.models import Item

        def take(agency, year):
            sequence = self._sequence(agency, year)
            sequence.last_serial += 1
            return format_index_number(agency.code, year, sequence.last_serial)

        self._load({(agency, year) for agency, year in requests})
        numbers = [take(agency, year) for agency, year in requests]
        pending = list(range(len(numbers)))
        while pending:  # numbers taken by other means (an old import) are skipped, never duplicated
            taken = set()
            for start in range(0, len(pending), 500):
                chunk = [numbers[i] for i in pending[start:start + 500]]
                taken.update(Item.objects.filter(index_number__in=chunk).values_list("index_number", flat=True))
            pending = [i for i in pending if numbers[i] in taken or numbers[i] in also_taken]
            for i in pending:
                numbers[i] = take(*requests[i])
        return numbers

    def save(self) -> None:
        IndexSequence.objects.bulk_update(list(self.sequences.values()), ["last_serial"], batch_size=500)
