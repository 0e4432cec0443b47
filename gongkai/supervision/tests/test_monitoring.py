import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from gongkai.applications.models import OutgoingMail
from gongkai.audit.models import Action, AuditEntry
from gongkai.errors import PermissionDeniedError
from gongkai.supervision.models import Finding, FindingState
from gongkai.supervision.monitoring import monitor_run
from gongkai.supervision.tests.conftest import publish

pytestmark = pytest.mark.django_db
D = dt.date


def news_finding(world):
    return Finding.objects.get(agency=world.agency_a, indicator="column_stale", subject_repr="工作动态")


def test_run_opens_deduplicates_closes_and_reopens(county):
    publish(county, written_on=D(2026, 9, 28), published_on=D(2026, 9, 28), node="gzdt")
    agencies = [county.agency_a]
    first = monitor_run(on=D(2026, 10, 13), agencies=agencies)
    assert first.opened > 0
    finding = news_finding(county)
    assert finding.state == FindingState.OPEN and finding.first_seen == D(2026, 10, 13)
    rows = AuditEntry.objects.count()
    again = monitor_run(on=D(2026, 10, 13), agencies=agencies)
    assert again.opened == 0 and again.closed == 0
    assert AuditEntry.objects.count() == rows  # the second run of the day changes nothing
    assert Finding.objects.filter(indicator="column_stale", subject_repr="工作动态").count() == 1

    publish(county, written_on=D(2026, 10, 14), published_on=D(2026, 10, 14), node="gzdt", title="新动态")
    monitor_run(on=D(2026, 10, 14), agencies=agencies)
    finding.refresh_from_db()
    assert finding.state == FindingState.CLOSED and finding.closed_on == D(2026, 10, 14)
    assert AuditEntry.objects.filter(action=Action.FINDING_CLOSE, object_id=str(finding.pk)).exists()

    monitor_run(on=D(2026, 10, 29), agencies=agencies)
    finding.refresh_from_db()
    assert finding.state == FindingState.OPEN and finding.times_reopened == 1 and finding.first_seen == D(2026, 10, 13)
    assert AuditEntry.objects.filter(action=Action.FINDING_REOPEN, object_id=str(finding.pk)).exists()


def test_new_findings_are_mailed_to_the_office_admin(county):
    county.admin_a.email = "admin_a@example.cn"
    county.admin_a.save()
    summary = monitor_run(on=D(2026, 10, 13), agencies=[county.agency_a])
    assert summary.notified == 1
    mail = OutgoingMail.objects.get(recipient="admin_a@example.cn")
    assert "电子监察" in mail.subject and "达到单项否决线 5 个" in mail.body


def test_only_the_operator_or_a_system_administrator_runs_it(county):
    with pytest.raises(PermissionDeniedError):
        monitor_run(actor=county.supervisor, on=D(2026, 10, 13))
    assert monitor_run(actor=county.sysadmin, on=D(2026, 10, 13)).agencies == 3


def test_command_prints_json_and_refuses_a_bad_date(county):
    out = StringIO()
    call_command("monitor", "run", "--date", "2026-10-13", "--json", stdout=out)
    assert json.loads(out.getvalue())["on"] == "2026-10-13"
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="DATE_INVALID"):
        call_command("monitor", "run", "--date", "13/10/2026")


def test_agency_sees_its_own_findings_and_the_office_its_subordinates(county, login):
    monitor_run(on=D(2026, 10, 13))
    own = login(county.drafter_a).get(reverse("supervision_staff:index", args=[county.agency_a.code])).content.decode()
    assert "空白栏目" in own and "达到单项否决线 5 个" in own
    assert login(county.drafter_a).get(
        reverse("supervision_staff:index", args=[county.agency_b.code])).status_code == 404
    office = login(county.supervisor)
    overview = office.get(reverse("supervision_staff:monitor", args=[county.county_gov.code])).content.decode()
    assert county.agency_a.name in overview and county.agency_b.name in overview
    detail = office.get(reverse("supervision_staff:agency_findings",
                                args=[county.county_gov.code, county.agency_b.code])).content.decode()
    assert "空白栏目" in detail
    live = office.get(reverse("supervision_staff:monitor", args=[county.county_gov.code]),
                      {"start": "2026-01-01", "end": "2026-10-13"}).content.decode()
    assert "即时计算" in live
    bad = office.get(reverse("supervision_staff:monitor", args=[county.county_gov.code]), {"start": "2026-13-01"})
    assert "YYYY-MM-DD" in bad.content.decode()


def test_the_daily_run_queued_in_the_background_is_run_by_the_worker(county, run_tasks):
    publish(county, written_on=D(2026, 9, 28), published_on=D(2026, 9, 28), node="gzdt")
    out = StringIO()
    call_command("monitor", "run", "--date", "2026-10-13", "--background", "--json", stdout=out)
    assert json.loads(out.getvalue())["queued"] is True
    assert not Finding.objects.exists()  # nothing evaluated until the worker takes the task
    assert run_tasks() == 1
    assert news_finding(county).first_seen == D(2026, 10, 13)
