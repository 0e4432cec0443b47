"""The 安全管理员's platform-roles page: grants and revocations through orgs.services, audited;
the 系统管理员 and the 审计管理员 cannot use it, and nobody grants or revokes their own role."""

from django.urls import reverse

from gongkai.audit.models import Action, AuditEntry
from gongkai.orgs import access
from gongkai.orgs.models import Membership

PAGE = "staff:platform_roles"


def _grants(user):
    return list(AuditEntry.objects.filter(action=Action.ROLE_GRANT, object_id=str(user.pk)).order_by("id"))


def test_only_the_security_admin_opens_the_page(world, login):
    assert login(world.sysadmin).get(reverse(PAGE)).status_code == 403
    assert login(world.auditor).get(reverse(PAGE)).status_code == 403
    assert login(world.admin_a).get(reverse(PAGE)).status_code == 403
    page = login(world.secadmin).get(reverse(PAGE))
    text = page.content.decode()
    assert page.status_code == 200 and "平台角色（三权分立）" in text
    assert "sysadmin" in text and "auditor" in text and "secadmin" in text
    assert 'href="/staff/platform-roles/"' in text  # in the side menu


def test_the_security_admin_grants_a_platform_role_with_an_audit_row(world, login):
    client = login(world.secadmin)
    response = client.post(reverse(PAGE), {"username": "DRAFTER_A", "role": "audit_admin"})
    assert response.status_code == 302
    assert Membership.objects.filter(user=world.drafter_a, agency=None, role="audit_admin").exists()
    assert access.can(world.drafter_a, "view_audit")
    row = _grants(world.drafter_a)[-1]
    assert row.actor == world.secadmin and row.after == {"role": "audit_admin", "agency": None}


def test_the_system_admin_cannot_grant_even_by_posting(world, login):
    response = login(world.sysadmin).post(reverse(PAGE), {"username": "drafter_a", "role": "system_admin"})
    assert response.status_code == 403
    assert not Membership.objects.filter(user=world.drafter_a, role="system_admin").exists()
    assert AuditEntry.objects.filter(action=Action.ACCESS_DENIED, actor=world.sysadmin).exists()


def test_nobody_grants_themselves_a_platform_role(world, login):
    before = _grants(world.secadmin)
    response = login(world.secadmin).post(reverse(PAGE), {"username": "secadmin", "role": "audit_admin"})
    assert response.status_code == 403 and "不能给自己授予角色" in response.content.decode()
    assert _grants(world.secadmin) == before
    assert list(Membership.objects.filter(user=world.secadmin).values_list("role", flat=True)) == ["security_admin"]


def test_a_second_platform_role_is_refused_with_the_reason(world, login):
    response = login(world.secadmin).post(reverse(PAGE), {"username": "sysadmin", "role": "audit_admin"})
    assert response.status_code == 200 and "三权分立：sysadmin 已是系统管理员" in response.content.decode()
    assert not Membership.objects.filter(user=world.sysadmin, role="audit_admin").exists()


def test_an_unknown_user_name_is_named(world, login):
    response = login(world.secadmin).post(reverse(PAGE), {"username": "nobody", "role": "audit_admin"})
    assert response.status_code == 200 and "没有用户名为“nobody”的账号" in response.content.decode()


def test_the_security_admin_revokes_others_but_not_their_own(world, login):
    client = login(world.secadmin)
    held = Membership.objects.get(user=world.auditor, role="audit_admin")
    assert client.post(reverse("staff:platform_role_revoke", args=[held.pk])).status_code == 302
    assert not Membership.objects.filter(pk=held.pk).exists()
    assert AuditEntry.objects.filter(action=Action.ROLE_REVOKE, object_id=str(world.auditor.pk),
                                     before={"role": "audit_admin", "agency": None}).exists()
    own = Membership.objects.get(user=world.secadmin, role="security_admin")
    client.post(reverse("staff:platform_role_revoke", args=[own.pk]))
    assert Membership.objects.filter(pk=own.pk).exists()
    other = Membership.objects.get(user=world.sysadmin, role="system_admin")
    assert login(world.sysadmin).post(reverse("staff:platform_role_revoke", args=[other.pk])).status_code == 403
    assert Membership.objects.filter(pk=other.pk).exists()
