"""Publishing a final assessment's results and ranking on the portal (issue 18: 「optionally published」)."""

import datetime as dt

import pytest
from django.urls import reverse

from gongkai.audit.models import Action, AuditEntry
from gongkai.errors import PermissionDeniedError, ServiceError
from gongkai.supervision import assessment as svc
from gongkai.supervision.models import Scheme, SchemeIndicator

pytestmark = pytest.mark.django_db
D = dt.date


def assessed(world):
    svc.presets_load(actor=None)
    scheme = Scheme.objects.get(preset="openness_2024")
    a = svc.assessment_start(actor=world.supervisor, scheme=scheme, office=world.county_gov, title="2026年第三季度政务公开考核",
                             start=D(2026, 7, 1), end=D(2026, 9, 30), respond_by=D(2026, 10, 20), assessor="县政务公开办")
    manual = SchemeIndicator.objects.get(area__scheme=scheme, name__startswith="重大决策未预公开")
    svc.finding_add(actor=world.supervisor, assessment=a, agency=world.agency_b, rule=manual, subject="县教育局门户",
                    evidence="8月重大行政决策未向社会征求意见（内部核查记录第12号）")
    return a, manual


def test_results_go_on_the_portal_only_when_final_and_published_without_the_evidence(world, client):
    a, manual = assessed(world)
    page = reverse("supervision_public:results", args=[world.county_gov.code, a.pk])
    with pytest.raises(ServiceError) as early:
        svc.assessment_publish(actor=world.supervisor, assessment=a)
    assert early.value.code == "ASSESSMENT_NOT_FINAL" and "定稿" in early.value.message
    svc.assessment_finalise(actor=world.supervisor, assessment=a, today=D(2026, 10, 21))
    assert client.get(page).status_code == 404  # final, not yet published
    assert a.title not in client.get(reverse("supervision_public:index")).content.decode()

    svc.assessment_publish(actor=world.supervisor, assessment=a)
    html = client.get(page).content.decode()
    assert a.title in html and world.agency_a.name in html and world.agency_b.name in html
    assert f"{manual.area.name}扣分" in html and "合格" in html
    assert "内部核查记录" not in html and "县教育局门户" not in html  # the evidence stays on the staff side
    listing = client.get(reverse("supervision_public:index")).content.decode()
    assert a.title in listing and page in listing
    entry = AuditEntry.objects.get(action=Action.ASSESSMENT_PUBLISH)
    assert (entry.before, entry.after) == ({"published": False}, {"published": True})

    svc.assessment_publish(actor=world.supervisor, assessment=a, publish=False)
    assert client.get(page).status_code == 404
    assert AuditEntry.objects.filter(action=Action.ASSESSMENT_PUBLISH).count() == 2


def test_only_the_office_above_publishes(world):
    a, _manual = assessed(world)
    svc.assessment_finalise(actor=world.supervisor, assessment=a, today=D(2026, 10, 21))
    with pytest.raises(PermissionDeniedError):
        svc.assessment_publish(actor=world.admin_a, assessment=a)
    assert not AuditEntry.objects.filter(action=Action.ASSESSMENT_PUBLISH).exists()


def test_the_office_publishes_from_the_assessment_page(world, login):
    a, _manual = assessed(world)
    svc.assessment_finalise(actor=world.supervisor, assessment=a, today=D(2026, 10, 21))
    office = login(world.supervisor)
    url = reverse("supervision_staff:assessment", args=[world.county_gov.code, a.pk])
    assert "在门户网站公开结果" in office.get(url).content.decode()
    page = office.post(url, {"do": "publish"}, follow=True).content.decode()
    assert "考核结果已在门户网站公开" in page and "查看公开页面" in page
    a.refresh_from_db()
    assert a.published_at is not None
