"""Who sees which agencies: own agency only, supervisors down the tree, system admins everywhere."""

import pytest

from gongkai.orgs import access, services
from gongkai.orgs.roles import Perm

pytestmark = pytest.mark.django_db


def names(queryset):
    return sorted(a.name for a in queryset)


def test_staff_see_only_their_own_agency(world):
    assert names(access.agencies_visible_to(world.drafter_a)) == ["测试县财政局"]
    assert names(access.agencies_visible_to(world.admin_b)) == ["测试县教育局"]


def test_supervisor_sees_own_agency_and_everything_below(world):
    grandchild = services.agency_create(actor=None, name="测试县财政局国库中心", code="TESTFIN02", kind="dispatched",
                                        area=world.county, parent=world.agency_a)
    visible = names(access.agencies_visible_to(world.supervisor))
    assert visible == sorted(["测试县人民政府", "测试县财政局", "测试县教育局", grandchild.name])
    assert access.can(world.supervisor, Perm.VIEW_WORK, grandchild)
    assert not access.can(world.supervisor, Perm.MANAGE_PEOPLE, world.agency_a)  # read access only


def test_supervisor_of_a_department_does_not_see_siblings(world):
    person = world.person("dept_supervisor", world.agency_a, "supervisor")
    assert names(access.agencies_visible_to(person)) == ["测试县财政局"]


def test_system_admin_sees_everything(world):
    assert access.agencies_visible_to(world.sysadmin).count() == 3
    assert access.can(world.sysadmin, Perm.MANAGE_CALENDAR)


def test_leader_is_read_only(world):
    assert access.can(world.leader_a, Perm.VIEW_WORK, world.agency_a)
    for perm in (Perm.DRAFT, Perm.EDIT_AGENCY, Perm.MANAGE_PEOPLE, Perm.VIEW_AUDIT):
        assert not access.can(world.leader_a, perm, world.agency_a)


def test_deactivated_staff_see_nothing(world):
    services.user_set_active(actor=None, user=world.drafter_a, active=False)
    world.drafter_a.refresh_from_db()
    assert access.agencies_visible_to(world.drafter_a).count() == 0
    assert not access.can(world.drafter_a, Perm.VIEW_WORK, world.agency_a)
