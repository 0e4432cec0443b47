import pytest

from gongkai.conftest import worker_process  # noqa: F401 - the worker beside the live server


@pytest.fixture(autouse=True)
def _seeded_rows(transactional_db):
    """Every browser test is transactional (live_server), and a transactional test ends by
    emptying every table, including the rows migrations seed (主题分类 and 体裁). They are put
    back before each browser test, so a journey does not depend on which test ran before it.

    (``serialized_rollback`` cannot do this here: while Playwright's sync API is running, the
    test thread has an asyncio loop, so Django hands the test body a different connection
    object from the one the serialized data was attached to.)"""
    from gongkai.disclosure.models import Genre, TopicCategory
    from gongkai.disclosure.taxonomy import seed_taxonomy

    seed_taxonomy(TopicCategory, Genre)
