import datetime as dt

import pytest

from gongkai.search.index import SearchDocument, search

CHINA = dt.timezone(dt.timedelta(hours=8))


def doc(key, title="标题", body="", attachments="", *, day=1, month=1, year=2026, hour=9, **fields):
    return SearchDocument(
        key=key, agency_code=fields.pop("agency_code", "AGENCY01"), index_number=fields.pop("index_number", f"NO-{key}"),
        title=title, body=body, attachments_text=attachments,
        published_at=dt.datetime(year, month, day, hour, tzinfo=CHINA), **fields,
    )


def all_hits(query, **filters):
    """Every hit over all pages, checking that each page agrees on the total."""
    hits, page = [], 1
    while True:
        result = search(query, page=page, per_page=100, **filters)
        hits += result.hits
        if page >= result.pages:
            assert len(hits) == result.total
            return hits
        page += 1


def keys(query, **filters):
    return [hit.key for hit in all_hits(query, **filters)]


@pytest.fixture
def index(db):
    from gongkai.search.index import index_documents

    return index_documents
