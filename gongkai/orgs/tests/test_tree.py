"""Tree order of agencies: parents first, siblings by 排序 then code, never by the path text."""

import pytest

from gongkai.orgs import services
from gongkai.orgs.models import Agency
from gongkai.orgs.tree import in_tree_order

pytestmark = pytest.mark.django_db


def _agency(world, code, parent, sort_order=100):
    return services.agency_create(actor=None, name=f"机构{code}", code=code, kind="department", area=world.county,
                                  parent=parent, sort_order=sort_order)


def test_the_tenth_sibling_follows_the_ninth(world):
    """Twelve siblings entered in their order: as path text "/…/10/" would come before "/…/9/"
    wherever the ids have different numbers of digits."""
    root = world.county_gov
    for n in range(1, 13):
        _agency(world, f"SIB{n:02d}X", root, sort_order=n)
    ordered = [a.code for a in in_tree_order(Agency.objects.filter(path__startswith=root.path))]
    assert ordered == [root.code, *(f"SIB{n:02d}X" for n in range(1, 13)), world.agency_b.code, world.agency_a.code]


def test_each_agency_comes_before_its_children_and_siblings_go_by_sort_order_then_code(world):
    root = world.county_gov
    late = _agency(world, "BBB001", root, sort_order=5)
    early = _agency(world, "ZZZ001", root, sort_order=1)
    child_of_late = _agency(world, "AAA002", late)
    child_of_early = _agency(world, "AAA001", early)
    ordered = in_tree_order(Agency.objects.filter(path__startswith=root.path))
    assert [a.code for a in ordered] == [root.code, "ZZZ001", "AAA001", "BBB001", "AAA002",
                                         world.agency_b.code, world.agency_a.code]
    assert ordered.index(child_of_early) < ordered.index(late) and ordered.index(child_of_late) > ordered.index(late)


def test_agencies_whose_parent_is_missing_head_branches_of_their_own(world):
    a1 = _agency(world, "CCC001", world.agency_a)
    b1 = _agency(world, "CCC002", world.agency_b)
    ordered = in_tree_order(Agency.objects.filter(pk__in=[world.agency_a.pk, world.agency_b.pk, a1.pk, b1.pk]))
    assert ordered == [world.agency_b, b1, world.agency_a, a1]
