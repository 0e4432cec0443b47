"""Organisation services: validation, nothing half-saved, one audit row per write."""

import pytest
from django.contrib.auth import get_user_model

from gongkai.audit.models import AuditEntry
from gongkai.conftest import PASSWORD
from gongkai.errors import PermissionDeniedError, ServiceError
from gongkai.orgs import access, services
from gongkai.orgs.models import Agency, DisclosureOffice, InternalUnit, Membership

User = get_user_model()
pytestmark = pytest.mark.django_db


def audit_rows(**filters):
    return list(AuditEntry.objects.filter(**filters).order_by("id"))


def test_agency_create_writes_agency_office_path_and_one_audit_row(world):
    count_before = AuditEntry.objects.count()
    agency = services.agency_create(
        actor=world.sysadmin, name="测试县审计局", code="test-aud-01", kind="department", area=world.county,
        parent=world.county_gov, office={"phone": "0999-1234567", "hours": "工作日"},
    )
    assert agency.code == "TESTAUD01"  # hyphens dropped, upper-cased (目录系统实施指引)
    assert agency.path == f"{world.county_gov.path}{agency.pk}/"
    assert agency.office.phone == "0999-1234567"
    rows = AuditEntry.objects.all()[: AuditEntry.objects.count() - count_before]
    assert len(rows) == 1
    row = rows[0]
    assert (row.action, row.actor, row.agency, row.before) == ("create", world.sysadmin, agency, None)
    assert row.after["code"] == "TESTAUD01" and row.after["office"]["phone"] == "0999-1234567"


@pytest.mark.parametrize(
    ("code", "error"),
    [("TESTFIN01", "AGENCY_CODE_DUPLICATE"), ("testfin01", "AGENCY_CODE_DUPLICATE"), ("AB", "AGENCY_CODE_INVALID"),
     ("含中文的代码", "AGENCY_CODE_INVALID"), ("", "AGENCY_CODE_INVALID")],
)
def test_bad_or_duplicate_agency_codes_are_refused_and_nothing_is_saved(world, code, error):
    agencies, offices, audits = Agency.objects.count(), DisclosureOffice.objects.count(), AuditEntry.objects.count()
    with pytest.raises(ServiceError) as caught:
        services.agency_create(actor=world.sysadmin, name="新机构", code=code, kind="department", area=world.county)
    assert caught.value.code == error and caught.value.field == "code"
    assert (Agency.objects.count(), DisclosureOffice.objects.count(), AuditEntry.objects.count()) == (agencies, offices, audits)


def test_duplicate_agency_name_is_refused(world):
    with pytest.raises(ServiceError) as caught:
        services.agency_create(actor=None, name="测试县财政局", code="NEWCODE01", kind="department", area=world.county)
    assert caught.value.code == "AGENCY_NAME_DUPLICATE"


def test_bad_office_postcode_leaves_no_agency_behind(world):
    with pytest.raises(ServiceError) as caught:
        services.agency_create(actor=None, name="新机构", code="NEWCODE01", kind="department", area=world.county,
                               office={"postcode": "12"})
    assert caught.value.code == "OFFICE_POSTCODE_INVALID"
    assert not Agency.objects.filter(code="NEWCODE01").exists()


def test_only_system_admins_create_agencies(world):
    with pytest.raises(PermissionDeniedError):
        services.agency_create(actor=world.admin_a, name="新机构", code="NEWCODE01", kind="department", area=world.county)


def test_agency_update_records_before_and_after(world):
    services.agency_update(actor=world.admin_a, agency=world.agency_a, changes={"short_name": "财政局"},
                           office={"phone": "0999-2222222"})
    row = audit_rows(action="agency_update", agency=world.agency_a)[-1]
    assert row.before["short_name"] == "" and row.after["short_name"] == "财政局"
    assert row.before["office"]["phone"] == "0999-1000001" and row.after["office"]["phone"] == "0999-2222222"
    assert set(row.changed_fields()) == {"short_name", "office"}


def test_agency_update_without_changes_writes_no_audit_row(world):
    before = AuditEntry.objects.count()
    services.agency_update(actor=world.admin_a, agency=world.agency_a, changes={"name": "测试县财政局"})
    assert AuditEntry.objects.count() == before


def test_agency_code_cannot_change(world):
    with pytest.raises(ServiceError) as caught:
        services.agency_update(actor=world.sysadmin, agency=world.agency_a, changes={"code": "OTHER0001"})
    assert caught.value.code == "AGENCY_CODE_IMMUTABLE"


def test_office_admin_cannot_edit_another_agency(world):
    with pytest.raises(PermissionDeniedError):
        services.agency_update(actor=world.admin_a, agency=world.agency_b, changes={"short_name": "x"})
    assert Agency.objects.get(pk=world.agency_b.pk).short_name == ""


def test_unit_create_and_delete_are_audited(world):
    unit = services.unit_create(actor=world.admin_a, agency=world.agency_a, name="预算股")
    with pytest.raises(ServiceError) as caught:
        services.unit_create(actor=world.admin_a, agency=world.agency_a, name="预算股")
    assert caught.value.code == "UNIT_NAME_DUPLICATE"
    unit_id = unit.pk
    services.unit_delete(actor=world.admin_a, unit=unit)
    assert not InternalUnit.objects.filter(pk=unit_id).exists()
    actions = [r.action for r in audit_rows(object_type="orgs.internalunit", object_id=str(unit_id))]
    assert actions == ["create", "delete"]


def test_user_create_grants_roles_with_one_row_each(world):
    before = AuditEntry.objects.count()
    person = services.user_create(actor=world.admin_a, agency=world.agency_a, username="new_user", full_name="新同事",
                                  password=PASSWORD, roles=["drafter", "first_reviewer"])
    rows = list(AuditEntry.objects.order_by("id"))[before:]
    assert [r.action for r in rows] == ["create", "role_grant", "role_grant"]
    assert rows[0].after == {"username": "new_user", "first_name": "新同事", "email": "", "is_active": True}
    assert "password" not in rows[0].after
    assert {r.after["role"] for r in rows[1:]} == {"drafter", "first_reviewer"}
    assert access.roles_in(person, world.agency_a) == {"drafter", "first_reviewer"}


@pytest.mark.parametrize(
    ("username", "password", "code"),
    [("admin_a", PASSWORD, "USERNAME_TAKEN"), ("ADMIN_A", PASSWORD, "USERNAME_TAKEN"), ("x", PASSWORD, "USERNAME_INVALID"),
     ("good_name", "12345678", "PASSWORD_WEAK")],
)
def test_bad_user_input_creates_nothing(world, username, password, code):
    users = User.objects.count()
    with pytest.raises(ServiceError) as caught:
        services.user_create(actor=world.admin_a, agency=world.agency_a, username=username, full_name="某人",
                             password=password, roles=["drafter"])
    assert caught.value.code == code
    assert User.objects.count() == users


def test_office_admin_cannot_make_a_system_admin(world):
    with pytest.raises(PermissionDeniedError):
        services.role_grant(actor=world.admin_a, user=world.drafter_a, agency=None, role="system_admin")
    with pytest.raises(ServiceError) as caught:
        services.role_grant(actor=world.admin_a, user=world.drafter_a, agency=world.agency_a, role="system_admin")
    assert caught.value.code == "ROLE_SCOPE_INVALID"


def test_role_grant_twice_is_refused(world):
    with pytest.raises(ServiceError) as caught:
        services.role_grant(actor=world.admin_a, user=world.drafter_a, agency=world.agency_a, role="drafter")
    assert caught.value.code == "ROLE_ALREADY_HELD"


def test_role_revoke_is_audited_and_takes_effect(world):
    membership = Membership.objects.get(user=world.drafter_a, agency=world.agency_a, role="drafter")
    services.role_revoke(actor=world.admin_a, membership=membership)
    row = audit_rows(action="role_revoke")[-1]
    assert row.before == {"role": "drafter", "agency": world.agency_a.pk} and row.after is None
    assert row.object_id == str(world.drafter_a.pk)
    fresh = User.objects.get(pk=world.drafter_a.pk)
    assert access.roles_in(fresh, world.agency_a) == set()


def test_admin_cannot_revoke_own_admin_role(world):
    membership = Membership.objects.get(user=world.admin_a, role="office_admin")
    with pytest.raises(ServiceError) as caught:
        services.role_revoke(actor=world.admin_a, membership=membership)
    assert caught.value.code == "ROLE_REVOKE_SELF"


def test_office_admin_cannot_touch_a_person_who_also_works_elsewhere(world):
    services.role_grant(actor=None, user=world.drafter_a, agency=world.agency_b, role="drafter")
    with pytest.raises(PermissionDeniedError):
        services.user_set_active(actor=world.admin_a, user=world.drafter_a, active=False)
    assert User.objects.get(pk=world.drafter_a.pk).is_active


def test_deactivate_and_password_reset_are_audited_without_secrets(world):
    services.user_set_active(actor=world.admin_a, user=world.drafter_a, active=False, agency=world.agency_a)
    row = audit_rows(action="deactivate")[-1]
    assert row.before["is_active"] is True and row.after["is_active"] is False
    services.user_set_password(actor=world.admin_a, user=world.drafter_a, password="another-pass-2026", agency=world.agency_a)
    row = audit_rows(action="password_set")[-1]
    assert row.before is None and row.after is None
    assert User.objects.get(pk=world.drafter_a.pk).check_password("another-pass-2026")


def test_area_levels_must_step_down_one_at_a_time(world):
    with pytest.raises(ServiceError) as caught:
        services.area_create(actor=None, name="某镇", code="980101001", level="township", parent=world.city)
    assert caught.value.code == "AREA_LEVEL_MISMATCH"
    with pytest.raises(ServiceError) as caught:
        services.area_create(actor=None, name="重复", code="980121", level="county", parent=world.city)
    assert caught.value.code == "AREA_CODE_DUPLICATE"


def test_office_admin_cannot_grant_supervisor_even_to_themselves(world):
    # Supervisor reaches into subordinate agencies; an office admin granting it would widen their own reach.
    county_admin = world.person("county_admin", world.county_gov, "office_admin")
    with pytest.raises(PermissionDeniedError) as caught:
        services.role_grant(actor=county_admin, user=county_admin, agency=world.county_gov, role="supervisor")
    assert "自己" in caught.value.message
    colleague = world.person("county_colleague", world.county_gov, "drafter")
    with pytest.raises(PermissionDeniedError) as caught:
        services.role_grant(actor=county_admin, user=colleague, agency=world.county_gov, role="supervisor")
    assert "安全管理员" in caught.value.message
    assert not access.can(county_admin, "view_work", world.agency_a)
    services.role_grant(actor=world.secadmin, user=county_admin, agency=world.county_gov, role="supervisor")
    access.forget_cached_roles(county_admin)
    assert access.can(county_admin, "view_work", world.agency_a)


def test_only_system_admins_deactivate_an_agency(world):
    with pytest.raises(PermissionDeniedError):
        services.agency_update(actor=world.admin_a, agency=world.agency_a, changes={"is_active": False})
    services.agency_update(actor=world.sysadmin, agency=world.agency_a, changes={"is_active": False})
    assert not Agency.objects.get(pk=world.agency_a.pk).is_active


def test_overlong_agency_name_is_a_service_error(world):
    with pytest.raises(ServiceError) as caught:
        services.agency_update(actor=world.sysadmin, agency=world.agency_a, changes={"name": "局" * 101})
    assert caught.value.code == "AGENCY_FIELD_INVALID" and caught.value.field == "name"


def test_createadmin_makes_a_working_system_admin(db, monkeypatch, capsys):
    from django.core.management import call_command

    monkeypatch.setenv("GONGKAI_ADMIN_PASSWORD", "first-admin-pass-1")
    call_command("createadmin", "--username", "root_admin")
    user = User.objects.get(username="root_admin")
    assert access.is_system_admin(user) and user.check_password("first-admin-pass-1")
