import datetime as dt

import pytest
from django.urls import reverse

from gongkai.applications.tests.conftest import register
from gongkai.supervision import assessment as svc
from gongkai.supervision.models import Assessment, AssessmentFinding, ResponseState, Scheme

pytestmark = pytest.mark.django_db


def test_office_runs_an_assessment_and_the_agency_responds(world, login):
    svc.presets_load(actor=None)
    register(world, received_on=dt.date(2026, 9, 10))
    office = login(world.supervisor)
    url = reverse("supervision_staff:assessments", args=[world.county_gov.code])
    bad = office.post(url, {"scheme": Scheme.objects.get(preset="openness_2024").pk, "title": "四季度",
                            "start": "2026-10-01", "end": "2026-12-31", "respond_by": "2027/01/10"})
    assert "申辩截止日期应写作 YYYY-MM-DD" in bad.content.decode()
    done = office.post(url, {"scheme": Scheme.objects.get(preset="openness_2024").pk, "title": "四季度",
                             "start": "2026-10-01", "end": "2026-12-31", "respond_by": "2099-01-10"})
    assessment = Assessment.objects.get()
    assert done.status_code == 302
    page = office.get(reverse("supervision_staff:assessment", args=[world.county_gov.code, assessment.pk])).content.decode()
    assert world.agency_a.name in page and "下载 Excel" in page
    xlsx = office.get(reverse("supervision_staff:assessment_xlsx", args=[world.county_gov.code, assessment.pk]))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")

    agency = login(world.admin_a)
    mine = reverse("supervision_staff:agency_assessment", args=[world.agency_a.code, assessment.pk, world.agency_a.code])
    text = agency.get(mine).content.decode()
    assert "逾期答复" in text and "提出申辩" in text
    entry = AssessmentFinding.objects.get(agency=world.agency_a, rule__indicator="application_overdue")
    agency.post(mine, {"do": "respond", "entry": entry.pk, "text": "已于12月答复，见送达回证。"})
    entry.refresh_from_db()
    assert entry.response_state == ResponseState.PENDING
    # The other department cannot open A's page.
    other = reverse("supervision_staff:agency_assessment", args=[world.agency_b.code, assessment.pk, world.agency_a.code])
    assert login(world.admin_b).get(other).status_code == 404
    office = login(world.supervisor)
    office.post(reverse("supervision_staff:agency_assessment", args=[world.county_gov.code, assessment.pk,
                                                                     world.agency_a.code]),
                {"do": "reject", "entry": entry.pk, "note": "答复晚于期限"})
    entry.refresh_from_db()
    assert entry.response_state == ResponseState.REJECTED
    inbox = login(world.admin_a).get(reverse("supervision_staff:index", args=[world.agency_a.code])).content.decode()
    assert "四季度" in inbox


def test_scheme_page_shows_rows_and_only_a_system_administrator_edits(world, login):
    from decimal import Decimal

    from gongkai.supervision.models import SchemeIndicator

    svc.presets_load(actor=None)
    rule = SchemeIndicator.objects.get(name__startswith="逾期答复")
    url = reverse("supervision_staff:schemes", args=[world.county_gov.code])
    page = login(world.supervisor).get(url).content.decode()
    assert "逾期答复（每件扣6分）" in page and "只有系统管理员可以修改方案" in page
    assert login(world.supervisor).post(url, {"rule": rule.pk, "points": "1", "per_finding": "1",
                                              "veto_at": "1"}).status_code == 403
    admin = login(world.sysadmin)
    bad = admin.post(url, {"rule": rule.pk, "points": "x", "per_finding": "1", "veto_at": "1"}).content.decode()
    assert "分值应为数字" in bad
    admin.post(url, {"rule": rule.pk, "points": "12", "per_finding": "4", "veto_at": "1"})
    rule.refresh_from_db()
    assert (rule.points, rule.per_finding) == (Decimal(12), Decimal(4))
