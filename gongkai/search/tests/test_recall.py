"""Recall property: for random documents and queries, the index returns exactly the documents a
brute-force ``in`` over the normalised text finds, in the documented order. Seeded, so a failure
reproduces; the small alphabet makes every query length hit many documents and many near misses."""

import datetime as dt
import random

import pytest

from gongkai.search.index import remove_documents, search
from gongkai.search.normalise import normalise
from gongkai.search.tests.conftest import CHINA, all_hits, doc

# Chinese characters plus the forms normalisation must fold: full-width letters and digits,
# upper case, the ideographic space, a line break and punctuation that means something to FTS5.
ALPHABET = "公开工作政务信息" + "Aa1１Ａ" + "\u3000 \n" + '"*-(' + "。"


def random_text(rng, longest):
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, longest)))


def random_doc(rng, key):
    return doc(
        key, random_text(rng, 8) or "公", random_text(rng, 60), random_text(rng, 25),
        year=rng.choice([2025, 2026]), month=rng.randint(1, 2), day=rng.randint(1, 3), hour=rng.choice([0, 9, 23]),
        agency_code=rng.choice(["FIN01", "EDU01"]), genre=rng.choice(["", "tz"]),
    )


def expected_keys(docs, query, agency=None):
    needle = normalise(query)
    found = []
    for d in docs.values():
        if agency and d.agency_code != agency:
            continue
        in_title = needle in normalise(d.title)
        if in_title or needle in normalise(d.body) or needle in normalise(d.attachments_text):
            found.append((in_title, d.published_at, d.key))
    return [key for *_, key in sorted(found, reverse=True)]


def random_queries(rng, docs, count):
    texts = [t for d in docs.values() for t in (d.title, d.body, d.attachments_text) if t]
    queries = []
    while len(queries) < count:
        if rng.random() < 0.8:
            text = rng.choice(texts)
            length = rng.randint(1, 6)
            start = rng.randint(0, max(0, len(text) - length))
            query = text[start:start + length]
        else:
            query = random_text(rng, 4)
        if normalise(query):
            queries.append(query)
    return queries


def check(docs, queries, rng):
    for query in queries:
        assert [h.key for h in all_hits(query)] == expected_keys(docs, query), query
        agency = rng.choice(["FIN01", "EDU01"])
        assert [h.key for h in all_hits(query, agency_codes=[agency])] == expected_keys(docs, query, agency), query


@pytest.mark.parametrize("seed", [1, 2])
def test_every_substring_query_finds_exactly_what_brute_force_finds(index, seed):
    rng = random.Random(seed)
    docs = {d.key: d for d in (random_doc(rng, f"k{i:03}") for i in range(120))}
    index(docs.values())
    check(docs, random_queries(rng, docs, 120), rng)

    # Edits move documents to other days and change their text; removals take them out.
    changed = [random_doc(rng, key) for key in rng.sample(sorted(docs), 30)]
    index(changed)
    docs.update((d.key, d) for d in changed)
    removed = rng.sample(sorted(docs), 20)
    remove_documents(removed)
    for key in removed:
        del docs[key]
    check(docs, random_queries(rng, docs, 80), rng)


def test_pages_of_any_size_concatenate_to_the_full_order(index):
    rng = random.Random(3)
    docs = {d.key: d for d in (random_doc(rng, f"k{i:03}") for i in range(80))}
    index(docs.values())
    for query in ["公", "开工", "a", "政务"]:
        expected = expected_keys(docs, query)
        for per_page in (1, 3, 7, 20):
            pages = -(-len(expected) // per_page)
            listed = [h.key for p in range(1, pages + 1) for h in search(query, page=p, per_page=per_page).hits]
            assert listed == expected, (query, per_page)


def test_many_documents_on_one_day_keep_their_exact_order(index):
    # Imports often carry a date without a time: hundreds of items share one timestamp.
    same_time = dt.datetime(2026, 3, 1, tzinfo=CHINA)
    rng = random.Random(4)
    docs = [doc(f"k{rng.randrange(10**6):06}", body="公开", year=2026, month=3, day=1, hour=0) for _ in range(150)]
    index(docs)
    listed = [h.key for h in all_hits("公开")]
    assert listed == sorted({d.key for d in docs}, reverse=True)
    assert all(h.published_at == same_time for h in search("公开").hits)
