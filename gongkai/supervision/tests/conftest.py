import datetime as dt

import pytest

from gongkai.disclosure import services as disclosure_services
from gongkai.disclosure.catalogue import ensure_catalogue
from gongkai.disclosure.models import CatalogueNode
from gongkai.disclosure.tests.conftest import item_data


@pytest.fixture
def county(world):
    """World with catalogues, reviewers for agency A, and a 工作机构管理员 of the county government."""
    world.first_a = world.person("first_a", world.agency_a, "first_reviewer")
    world.second_a = world.person("second_a", world.agency_a, "second_reviewer")
    world.gov_admin = world.person("gov_admin", world.county_gov, "office_admin")
    for agency in (world.agency_a, world.agency_b):
        ensure_catalogue(agency)
    return world


def publish(world, *, written_on: dt.date, published_on: dt.date, node="yjs", **overrides):
    """A proactive item of agency A taken through the real review to publication on ``published_on``."""
    data = item_data(world.agency_a, title=overrides.pop("title", f"{node}-{written_on}-{published_on}"),
                     written_on=written_on, published_on=published_on,
                     catalogue_node=CatalogueNode.objects.get(agency=world.agency_a, code=node), **overrides)
    item = disclosure_services.item_create(actor=world.drafter_a, agency=world.agency_a, data=data)
    disclosure_services.item_submit(actor=world.drafter_a, item=item)
    disclosure_services.item_approve(actor=world.first_a, item=item)
    return disclosure_services.item_approve(actor=world.second_a, item=item)
