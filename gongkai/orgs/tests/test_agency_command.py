"""`gongkai agency`: the command line sees what the acting user may see, and errors carry codes."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.orgs.models import Agency

pytestmark = pytest.mark.django_db


def run(*args, capsys):
    call_command("agency", *args)
    return capsys.readouterr().out


def test_list_as_a_department_user_shows_only_that_department(world, capsys):
    rows = json.loads(run("list", "--as", "drafter_a", "--json", capsys=capsys))
    assert [r["code"] for r in rows] == [world.agency_a.code]


def test_list_as_supervisor_reaches_down_the_tree(world, capsys):
    rows = json.loads(run("list", "--as", "supervisor", "--json", capsys=capsys))
    assert {r["code"] for r in rows} == {world.county_gov.code, world.agency_a.code, world.agency_b.code}


def test_list_as_operator_sees_everything(world, capsys):
    assert len(json.loads(run("list", "--json", capsys=capsys))) == 3


def test_show_another_agency_is_refused_like_an_unknown_code(world, capsys):
    with pytest.raises(CommandError, match="AGENCY_NOT_FOUND") as other:
        run("show", world.agency_b.code, "--as", "drafter_a", capsys=capsys)
    with pytest.raises(CommandError, match="AGENCY_NOT_FOUND") as unknown:
        run("show", "NOSUCH001", "--as", "drafter_a", capsys=capsys)
    assert str(other.value).replace(world.agency_b.code, "X") == str(unknown.value).replace("NOSUCH001", "X")


def test_show_own_agency_prints_office_contacts(world, capsys):
    data = json.loads(run("show", world.agency_a.code.lower(), "--as", "admin_a", "--json", capsys=capsys))
    assert data["office"]["phone"] == "0999-1000001"


def test_create_needs_a_system_admin(world, capsys):
    with pytest.raises(CommandError, match="PERMISSION_DENIED"):
        run("create", "--code", "NEWCODE01", "--name", "新机构", "--area", world.county.code, "--as", "admin_a",
            capsys=capsys)
    assert not Agency.objects.filter(code="NEWCODE01").exists()


@pytest.mark.parametrize(
    ("extra", "code"),
    [(["--code", "TESTFIN01", "--area", "980121"], "AGENCY_CODE_DUPLICATE"),
     (["--code", "NEWCODE01", "--area", "000000"], "AREA_NOT_FOUND"),
     (["--code", "NEWCODE01", "--area", "980121", "--parent", "NOSUCH001"], "AGENCY_NOT_FOUND"),
     (["--code", "bad code!", "--area", "980121"], "AGENCY_CODE_INVALID")],
)
def test_create_with_bad_input_reports_the_code_and_saves_nothing(world, capsys, extra, code):
    count = Agency.objects.count()
    with pytest.raises(CommandError) as caught:
        run("create", "--name", "新机构", "--json", *extra, capsys=capsys)
    assert json.loads(str(caught.value))["error"]["code"] == code
    assert Agency.objects.count() == count


def test_create_as_system_admin_is_audited_to_that_person(world, capsys):
    from gongkai.audit.models import AuditEntry

    run("create", "--code", "NEWCODE01", "--name", "新机构", "--area", "980121", "--parent", "TESTGOV01",
        "--as", "sysadmin", capsys=capsys)
    agency = Agency.objects.get(code="NEWCODE01")
    assert agency.parent == world.county_gov
    assert AuditEntry.objects.get(object_type="orgs.agency", object_id=str(agency.pk)).actor == world.sysadmin


def test_unknown_acting_user_is_an_error(world, capsys):
    with pytest.raises(CommandError, match="USER_NOT_FOUND"):
        run("list", "--as", "nobody", capsys=capsys)
