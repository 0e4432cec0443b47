import datetime as dt

import pytest

from gongkai.disclosure.catalogue import ensure_catalogue
from gongkai.disclosure.models import CatalogueNode, Genre, TopicCategory
from gongkai.orgs import services as org_services


@pytest.fixture
def desk(world):
    """World plus the reviewers of agency A and a helper to register a complete draft."""
    world.first_a = world.person("first_a", world.agency_a, "first_reviewer")
    world.second_a = world.person("second_a", world.agency_a, "second_reviewer")
    ensure_catalogue(world.agency_a)
    ensure_catalogue(world.agency_b)
    return world


def item_data(agency, **overrides) -> dict:
    data = {
        "title": "关于做好2026年度财政预算公开工作的通知",
        "summary": "部署本年度预算公开工作。",
        "document_number": "",
        "written_on": dt.date(2026, 3, 2),
        "catalogue_node": CatalogueNode.objects.get(agency=agency, code="yjs"),
        "topic": TopicCategory.objects.get(name="财政", parent__name="财政、金融、审计"),
        "genre": Genre.objects.get(name="通知"),
        "disclosure": "proactive",
        "body": "各乡镇、县直各部门：\n\n请按要求做好预算公开工作。",
    }
    data.update(overrides)
    return data


def grant(world, user, role, agency=None):
    org_services.role_grant(actor=None, user=user, agency=agency or world.agency_a, role=role)
