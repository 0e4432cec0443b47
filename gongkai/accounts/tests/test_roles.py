"""三权分立: 系统管理员, 审计管理员 and 安全管理员 are three people, each with their own powers."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from gongkai.errors import PermissionDeniedError, ServiceError
from gongkai.orgs import access, services
from gongkai.orgs.models import Membership


@pytest.mark.parametrize("second", ["system_admin", "audit_admin"])
def test_no_account_holds_two_of_the_three_administrator_roles(world, second):
    with pytest.raises(ServiceError) as caught:
        services.role_grant(actor=world.secadmin, user=world.auditor if second == "system_admin" else world.sysadmin,
                            agency=None, role=second)
    assert caught.value.code == "ROLE_DUTIES_SEPARATED" and "三权分立" in caught.value.message


def test_the_database_refuses_a_second_administrator_role_too(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=world.sysadmin, agency=None, role="audit_admin")


def test_only_the_security_admin_grants_the_platform_roles(world):
    person = world.person("new_auditor", world.agency_a, "drafter")
    with pytest.raises(PermissionDeniedError) as caught:
        services.role_grant(actor=world.sysadmin, user=person, agency=None, role="audit_admin")
    assert "安全管理员" in caught.value.message
    services.role_grant(actor=world.secadmin, user=person, agency=None, role="audit_admin")
    assert access.can(person, "view_audit", world.agency_b)


def test_the_security_admin_cannot_grant_themselves_another_role(world):
    with pytest.raises(PermissionDeniedError) as caught:
        services.role_grant(actor=world.secadmin, user=world.secadmin, agency=world.agency_a, role="office_admin")
    assert "自己" in caught.value.message


def test_each_administrator_holds_only_their_own_powers(world):
    assert access.can(world.sysadmin, "create_agency") and access.can(world.sysadmin, "manage_people", world.agency_a)
    assert not access.can(world.sysadmin, "view_audit", world.agency_a)
    assert not access.can(world.sysadmin, "grant_roles")
    assert access.can(world.auditor, "view_audit", world.agency_a) and access.can(world.auditor, "view_audit")
    assert not any(access.can(world.auditor, perm, world.agency_a)
                   for perm in ("view_work", "manage_people", "draft", "head_applications", "grant_roles"))
    assert access.can(world.secadmin, "grant_roles") and access.can(world.secadmin, "manage_security")
    assert not any(access.can(world.secadmin, perm, world.agency_a)
                   for perm in ("view_audit", "manage_people", "create_agency", "head_applications"))


def test_the_audit_admin_reads_any_agencys_audit_log_and_nothing_else(world, login):
    client = login(world.auditor)
    assert client.get(reverse("staff:audit", args=[world.agency_b.code])).status_code == 200
    assert client.get(reverse("staff:people", args=[world.agency_b.code])).status_code == 403
    assert client.get(reverse("applications_staff:workbench", args=[world.agency_b.code])).status_code == 403


def test_the_security_admin_grants_roles_through_the_people_pages(world, login):
    client = login(world.secadmin)
    url = reverse("staff:person_grant", args=[world.agency_b.code, world.drafter_b.pk])
    assert client.post(url, {"role": "first_reviewer"}).status_code == 302
    assert Membership.objects.filter(user=world.drafter_b, agency=world.agency_b, role="first_reviewer").exists()
    # but people management (accounts, passwords) stays with the 系统管理员 and office admins
    reset = reverse("staff:person_password", args=[world.agency_b.code, world.drafter_b.pk])
    assert client.post(reset, {"password": "Another-Pass-77"}).status_code == 403
