import datetime as dt

import pytest
from django.urls import reverse

from gongkai.applications.tests.conftest import register
from gongkai.audit.models import Action, AuditEntry
from gongkai.errors import PermissionDeniedError, ServiceError
from gongkai.orgs import services as org_services
from gongkai.supervision import oversight
from gongkai.workdays.calendar import WorkdayCalendar

pytestmark = pytest.mark.django_db
D = dt.date


def other_county(world):
    area = org_services.area_create(actor=None, name="邻县", code="980122", level="county", parent=world.city)
    gov = org_services.agency_create(actor=None, name="邻县人民政府", code="NEXTGOV01", kind="government", area=area)
    dept = org_services.agency_create(actor=None, name="邻县财政局", code="NEXTFIN01", kind="department", area=area,
                                      parent=gov)
    return gov, dept


def test_the_office_sees_its_subordinates_cases_only(county):
    _gov, next_dept = other_county(county)
    mine = register(county, received_on=D(2026, 9, 10))
    from gongkai.applications import intake
    from gongkai.applications.tests.conftest import applicant

    theirs, _ = intake.register(actor=None, agency=next_dept, data=applicant(), channel="in_person",
                                received_on=D(2026, 9, 10))
    for user in (county.supervisor, county.gov_admin):
        rows = oversight.cases(user, county.county_gov, today=D(2026, 10, 1))
        assert [r.application.pk for r in rows] == [mine.pk]
    # A department's office admin supervises nobody; a 监督 reaches only below where it is held.
    assert not oversight.may_oversee(county.admin_a, county.agency_a)
    with pytest.raises(PermissionDeniedError):
        oversight.cases(county.admin_a, county.county_gov)
    assert theirs.pk not in [r.application.pk for r in oversight.cases(None, county.county_gov, today=D(2026, 10, 1))]
    with pytest.raises(ServiceError):
        oversight.case_for(county.supervisor, county.county_gov, theirs.pk)


def test_filters_by_agency_state_and_days_left_with_the_holiday_counted(county):
    a_case = register(county, received_on=D(2026, 9, 10))
    from gongkai.applications import intake
    from gongkai.applications.tests.conftest import applicant

    b_case, _ = intake.register(actor=county.drafter_b, agency=county.agency_b, data=applicant(), channel="in_person",
                                received_on=D(2026, 9, 28))
    calendar = WorkdayCalendar.load()
    today = calendar.add_working_days(a_case.due_on, 2).due  # A's case two working days overdue
    rows = oversight.cases(county.supervisor, county.county_gov, today=today)
    assert [(r.application.pk, r.overdue) for r in rows][0] == (a_case.pk, True)
    assert rows[0].days_left == -2
    overdue = oversight.cases(county.supervisor, county.county_gov, filters=oversight.CaseFilter(state="overdue"),
                              today=today)
    assert [r.application.pk for r in overdue] == [a_case.pk]
    only_b = oversight.cases(county.supervisor, county.county_gov, filters=oversight.CaseFilter(agency_code="testedu01"),
                             today=today)
    assert [r.application.pk for r in only_b] == [b_case.pk]
    assert oversight.cases(county.supervisor, county.county_gov, filters=oversight.CaseFilter(max_days_left=-3),
                           today=today) == []
    with pytest.raises(ServiceError) as refused:
        oversight.cases(county.supervisor, county.county_gov, filters=oversight.CaseFilter(agency_code="TESTGOV01"))
    assert refused.value.code == "AGENCY_NOT_SUBORDINATE"


def test_urge_is_issued_read_by_the_agency_and_both_audited(county):
    application = register(county, received_on=D(2026, 9, 10))
    with pytest.raises(ServiceError) as empty:
        oversight.urge_issue(actor=county.supervisor, office=county.county_gov, application=application, note=" ")
    assert empty.value.code == "URGE_NOTE_REQUIRED"
    with pytest.raises(PermissionDeniedError):
        oversight.urge_issue(actor=county.admin_b, office=county.agency_b, application=application, note="快办")
    urge = oversight.urge_issue(actor=county.supervisor, office=county.county_gov, application=application,
                                note="请于本周内答复。")
    assert urge.read_at is None
    with pytest.raises(PermissionDeniedError):  # another department cannot sign for it
        oversight.urge_read(actor=county.admin_b, urge=urge)
    read = oversight.urge_read(actor=county.drafter_a, urge=urge)
    assert read.read_by == county.drafter_a and read.read_at is not None
    again = oversight.urge_read(actor=county.admin_a, urge=urge)
    assert again.read_by == county.drafter_a  # the first reading stays
    actions = list(AuditEntry.objects.filter(object_type="supervision.urge").values_list("action", flat=True))
    assert sorted(actions) == sorted([Action.URGE_ISSUE, Action.URGE_READ])


def test_case_page_hides_personal_data_and_shows_the_reading(county, login):
    application = register(county, received_on=D(2026, 9, 10))
    client = login(county.supervisor)
    url = reverse("supervision_staff:case", args=[county.county_gov.code, application.pk])
    page = client.get(url).content.decode()
    assert "13912345678" not in page and "人民路5号" not in page and "张晓明" not in page
    assert "查看完整信息" not in page
    assert client.post(url, {"do": "reveal"}).status_code == 403
    client.post(url, {"do": "urge", "note": "请尽快答复。"})
    assert "对方尚未签收" in client.get(url).content.decode()
    agency_client = login(county.drafter_a)
    inbox = agency_client.get(reverse("supervision_staff:index", args=[county.agency_a.code])).content.decode()
    assert "请尽快答复。" in inbox
    urge = application.urges.get()
    agency_client.post(reverse("supervision_staff:urge_read", args=[county.agency_a.code, urge.pk]))
    client = login(county.supervisor)
    assert "测试drafter_a" in client.get(url).content.decode()


def test_list_page_permissions(county, login):
    register(county, received_on=D(2026, 9, 10))
    url = reverse("supervision_staff:cases", args=[county.county_gov.code])
    assert login(county.gov_admin).get(url).status_code == 200
    assert login(county.admin_a).get(url).status_code == 404  # the government is not even visible to a department
    own = reverse("supervision_staff:cases", args=[county.agency_a.code])
    assert login(county.admin_a).get(own).status_code == 403


def test_case_list_queries_do_not_grow_with_the_cases(county, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(county.supervisor)
    url = reverse("supervision_staff:cases", args=[county.county_gov.code])
    register(county, received_on=D(2026, 9, 10))
    client.get(url)  # the first page of a session also stores the chosen agency
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for day in range(11, 17):
        register(county, received_on=D(2026, 9, day), applicant_name=f"申请人{day}")
    with CaptureQueriesContext(connection) as seven:
        page = client.get(url).content.decode()
    assert page.count("/supervision/cases/") >= 7
    assert len(seven.captured_queries) == len(one.captured_queries)
