import pytest

from gongkai.disclosure.catalogue import ensure_catalogue


@pytest.fixture
def county(world):
    """World with agency A's two reviewers and its catalogue: items can be published (``publish``)."""
    world.first_a = world.person("first_a", world.agency_a, "first_reviewer")
    world.second_a = world.person("second_a", world.agency_a, "second_reviewer")
    ensure_catalogue(world.agency_a)
    return world
