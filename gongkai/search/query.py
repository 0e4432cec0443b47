"""A validated search request, independent of the database that answers it."""

from collections.abc import Collection
from dataclasses import dataclass

from gongkai.errors import ServiceError
from gongkai.search.models import Validity
from gongkai.search.normalise import MAX_QUERY_CHARS, normalise

MAX_PER_PAGE = 100


@dataclass(frozen=True)
class SearchQuery:
    text: str  # normalised, 1..MAX_QUERY_CHARS characters
    agency_codes: tuple[str, ...] | None = None  # None: every agency; (): none at all
    category: str | None = None
    year: int | None = None
    validity: str | None = None
    genre: str | None = None

    def filters(self) -> list[tuple[str, str]]:
        """Single-valued filters as (kind, value) pairs, the same kinds as documents.filter_pairs."""
        pairs = [("c", self.category), ("g", self.genre), ("v", self.validity)]
        if self.year is not None:
            pairs.append(("y", str(self.year)))
        return [(kind, value) for kind, value in pairs if value is not None]


def parse(
    query: str, *, agency_codes: Collection[str] | None, category: str | None, year: int | None,
    validity: str | None, genre: str | None,
) -> SearchQuery:
    text = normalise(query or "")
    if not text:
        raise ServiceError("SEARCH_QUERY_EMPTY", "请输入检索词。", field="q")
    if len(text) > MAX_QUERY_CHARS:
        raise ServiceError(
            "SEARCH_QUERY_TOO_LONG", f"检索词不能超过{MAX_QUERY_CHARS}个字，请缩短后再试。", field="q"
        )
    if validity is not None and validity not in Validity.values:
        raise ServiceError("SEARCH_VALIDITY_INVALID", "效力只能是“有效”“失效”或“废止”。", field="validity")
    codes = None if agency_codes is None else tuple(sorted(set(agency_codes)))
    return SearchQuery(text, codes, category, year, validity, genre)


def check_page(page: int, per_page: int) -> None:
    if page < 1:
        raise ServiceError("SEARCH_PAGE_INVALID", "页码应从1开始。", field="page")
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise ServiceError("SEARCH_PAGE_INVALID", f"每页条数应在1至{MAX_PER_PAGE}之间。", field="per_page")
