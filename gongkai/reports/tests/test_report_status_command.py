"""`gongkai report status`: the 本级 office's overview of who has filed, from the command line."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.reports.filing import filing
from gongkai.reports.tests.test_filing import YEAR, ready

pytestmark = pytest.mark.django_db


def test_status_lists_each_subordinate_with_its_state(world, capsys):
    filing.submit(actor=world.leader_a, report=filing.send_for_review(actor=world.drafter_a, report=ready(world)))
    call_command("report", "status", "--office", world.county_gov.code, "--year", str(YEAR), "--as", "supervisor",
                 "--json")
    out = json.loads(capsys.readouterr().out)
    rows = {row["agency"]: row for row in out["agencies"]}
    assert out["deadline"] == f"{YEAR + 1}-01-31"
    assert rows["测试县财政局"]["status"] == "submitted" and rows["测试县财政局"]["violations"] == 0
    assert rows["测试县教育局"]["status"] is None and rows["测试县教育局"]["on_platform"]


def test_status_needs_the_right_to_accept_reports(world, capsys):
    with pytest.raises(CommandError) as refused:
        call_command("report", "status", "--office", world.agency_a.code, "--as", "admin_a")
    assert "PERMISSION_DENIED" in str(refused.value)
    with pytest.raises(CommandError) as hidden:
        call_command("report", "status", "--office", world.agency_b.code, "--as", "admin_a")
    assert "AGENCY_NOT_FOUND" in str(hidden.value)
