"""What callers hand to the index, and the row it becomes."""

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.utils import timezone

from gongkai.compressed_text import compress
from gongkai.search.models import Validity
from gongkai.search.normalise import normalise


@dataclass(frozen=True)
class SearchDocument:
    key: str  # stable id, e.g. "item:123"
    agency_code: str
    index_number: str  # 索引号
    title: str
    body: str  # plain text, no HTML
    attachments_text: str
    published_at: dt.datetime  # aware
    category: str = ""  # catalogue node code
    genre: str = ""  # 体裁 code
    validity: str = Validity.VALID  # valid | expired | repealed
    url: str = ""


# Body and attachments are stored as one normalised string joined by this character; normalise()
# turns every line break into a space, so it can never be part of a match.
FIELD_JOIN = "\n"

ENTRY_COLUMNS = (
    "key", "agency_code", "index_number", "title", "body", "attachments_text", "published_at", "year",
    "category", "genre", "validity", "url", "title_normalised", "text_normalised",
)


COMPRESSED_COLUMNS = frozenset({"body", "attachments_text"})  # CompressedTextField in SearchEntry


@dataclass(frozen=True)
class EntryRow:
    """A SearchDocument with the derived columns filled in, ready to be written."""

    key: str
    agency_code: str
    index_number: str
    title: str
    body: str
    attachments_text: str
    published_at: dt.datetime
    year: int
    category: str
    genre: str
    validity: str
    url: str
    title_normalised: str
    text_normalised: str

    def values(self) -> tuple:
        """The column values as the engines write them (display copies compressed, as SearchEntry stores them)."""
        return tuple(compress(getattr(self, column)) if column in COMPRESSED_COLUMNS else getattr(self, column)
                     for column in ENTRY_COLUMNS)

    def filters(self) -> list[tuple[str, str]]:
        return filter_pairs(self.agency_code, self.category, self.genre, self.validity, self.year)


@dataclass
class PreparedBatch:
    """Documents ready to be written by an engine: each row with the engine's payload for it (FTS5
    token stream, PostgreSQL gram codes), and how many of the rows contain each term, counted here
    so that the writer (the busy side of a bulk load) adds one Counter instead of one set per row."""

    rows: list[tuple[EntryRow, object]]
    terms: Counter


VALIDITIES = frozenset(Validity.values)  # TextChoices.values is rebuilt on every access


def filter_pairs(agency_code: str, category: str, genre: str, validity: str, year: int) -> list[tuple[str, str]]:
    return [("a", agency_code), ("c", category), ("g", genre), ("v", validity), ("y", str(year))]


def prepare(doc: SearchDocument) -> EntryRow:
    if not doc.key:
        raise ValueError("SearchDocument.key must not be empty")
    if timezone.is_naive(doc.published_at):
        raise ValueError(f"{doc.key}: published_at must be timezone-aware")
    if doc.validity not in VALIDITIES:
        raise ValueError(f"{doc.key}: validity must be one of {Validity.values}, not {doc.validity!r}")
    if not 1900 <= doc.published_at.year <= 9998:
        raise ValueError(f"{doc.key}: published_at {doc.published_at} is outside 1900–9998")
    # The year people filter by is the year on the document's date as shown in China.
    year = timezone.localtime(doc.published_at).year
    text = normalise(doc.body) + FIELD_JOIN + normalise(doc.attachments_text)
    return EntryRow(
        key=doc.key, agency_code=doc.agency_code, index_number=doc.index_number, title=doc.title, body=doc.body,
        attachments_text=doc.attachments_text, published_at=doc.published_at.astimezone(dt.UTC), year=year,
        category=doc.category, genre=doc.genre, validity=doc.validity, url=doc.url,
        title_normalised=normalise(doc.title), text_normalised=text,
    )


def batched(items: Iterable, size: int) -> Iterator[tuple]:
    """itertools.batched, which arrives only in Python 3.12."""
    iterator = iter(items)
    while chunk := tuple(itertools.islice(iterator, size)):
        yield chunk
