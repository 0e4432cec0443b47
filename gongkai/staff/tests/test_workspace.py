"""The staff workspace as its users drive it: forms, messages, audit log and its export."""

import csv
import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from openpyxl import load_workbook

from gongkai.audit.models import AuditEntry
from gongkai.conftest import BEIJING
from gongkai.orgs.models import Agency, Membership

User = get_user_model()
pytestmark = pytest.mark.django_db


def test_sign_in_with_a_wrong_password_shows_a_chinese_error(world, client):
    response = client.post(reverse("staff:login"), {"username": "admin_a", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_sign_in_lands_on_the_dashboard_of_ones_agency(world, client):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from gongkai.accounts.testing import current_code

    response = client.post(reverse("staff:login"), {"username": "admin_a", "password": "test-pass-2026!"}, follow=True)
    assert response.request["PATH_INFO"] == reverse("accounts:enrol")  # the second factor comes first
    device = TOTPDevice.objects.get(user=world.admin_a)
    client.post(reverse("accounts:enrol"), {"token": current_code(device), "next": "/staff/"})
    response = client.get(reverse("staff:home"))
    page = response.content.decode()
    assert "测试县财政局" in page and "工作机构管理员" in page


def test_creating_an_agency_through_the_form(world, login):
    client = login(world.sysadmin)
    response = client.post(reverse("staff:agency_new"), {
        "name": "测试县统计局", "code": "TESTSTA01", "kind": "department", "area": world.county.pk,
        "parent": world.county_gov.pk, "short_name": "", "description": "",
    })
    agency = Agency.objects.get(code="TESTSTA01")
    assert response.status_code == 302 and response["Location"] == reverse("staff:agency", args=[agency.code])
    assert agency.parent == world.county_gov


def test_duplicate_agency_code_in_the_form_is_shown_next_to_the_field(world, login):
    client = login(world.sysadmin)
    response = client.post(reverse("staff:agency_new"), {
        "name": "另一个机构", "code": world.agency_a.code, "kind": "department", "area": world.county.pk,
    })
    assert response.status_code == 200
    assert response.context["form"].errors["code"] == [f"机构代码“{world.agency_a.code}”已被其他机构使用。"]
    assert not Agency.objects.filter(name="另一个机构").exists()


def test_unknown_agency_code_in_a_url_is_404(world, login):
    assert login(world.sysadmin).get(reverse("staff:agency", args=["NOSUCH001"])).status_code == 404


def test_office_admin_edits_the_disclosure_office(world, login):
    client = login(world.admin_a)
    response = client.post(reverse("staff:agency_edit", args=[world.agency_a.code]), {
        "name": world.agency_a.name, "office_phone": "0999-5555555", "office_postcode": "999100",
        "office_hours": "工作日 9:00—17:00", "office_email": "gk@example.cn",
    })
    assert response.status_code == 302
    world.agency_a.office.refresh_from_db()
    assert world.agency_a.office.phone == "0999-5555555"
    assert AuditEntry.objects.filter(action="agency_update", agency=world.agency_a).count() == 1


def test_bad_postcode_in_the_edit_form_is_explained(world, login):
    response = login(world.admin_a).post(reverse("staff:agency_edit", args=[world.agency_a.code]), {
        "name": world.agency_a.name, "office_postcode": "12ab"})
    assert response.status_code == 200
    assert "邮政编码应为6位数字" in response.content.decode()


def test_office_admin_creates_a_person_and_grants_a_second_role(world, login):
    client = login(world.admin_a)
    response = client.post(reverse("staff:person_new", args=[world.agency_a.code]), {
        "username": "li_si", "full_name": "李四", "email": "", "password": "a-decent-pass-1", "roles": ["drafter"],
    })
    person = User.objects.get(username="li_si")
    assert response.status_code == 302
    client.post(reverse("staff:person_grant", args=[world.agency_a.code, person.pk]), {"role": "first_reviewer"})
    assert set(Membership.objects.filter(user=person).values_list("role", flat=True)) == {"drafter", "first_reviewer"}
    page = client.get(reverse("staff:people", args=[world.agency_a.code])).content.decode()
    assert "li_si" in page and "初审" in page


def test_people_list_query_count_does_not_grow_with_people(world, login, django_assert_max_num_queries):
    for n in range(15):
        world.person(f"extra{n}", world.agency_a, "drafter")
    client = login(world.admin_a)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("staff:people", args=[world.agency_a.code])).status_code == 200


def test_audit_log_shows_and_filters_entries(world, login):
    client = login(world.admin_a)
    page = client.get(reverse("staff:audit", args=[world.agency_a.code])).content.decode()
    assert "授予角色" in page and "新建" in page
    filtered = client.get(reverse("staff:audit", args=[world.agency_a.code]), {"action": "role_grant"})
    assert all(e.action == "role_grant" for e in filtered.context["page"])


def test_audit_export_csv_contains_before_and_after(world, login):
    from gongkai.orgs import services

    services.agency_update(actor=world.admin_a, agency=world.agency_a, changes={"short_name": "财政局"})
    response = login(world.admin_a).get(reverse("staff:audit_export", args=[world.agency_a.code]), {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["时间", "操作人", "动作"]
    edit = [r for r in rows if r[2] == "修改机构信息"][0]
    assert "testadmin_a" in edit[1] or "admin_a" in edit[1]
    assert '"short_name": ""' in edit[7] and '"short_name": "财政局"' in edit[8]
    # only agency A's rows
    assert all("教育局" not in r[5] for r in rows[1:])


def test_audit_export_xlsx_opens(world, login):
    response = login(world.admin_a).get(reverse("staff:audit_export", args=[world.agency_a.code]), {"format": "xlsx"})
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.active
    assert sheet.cell(1, 1).value == "时间"
    assert sheet.max_row == 1 + AuditEntry.objects.filter(agency=world.agency_a).count()


def test_calendar_page_warns_for_an_unannounced_year(world, login):
    client = login(world.drafter_a)
    page = client.get(reverse("staff:calendar"), {"start": "2026-12-20", "working_days": "20"}).content.decode()
    assert "2027年1月18日" in page and "2027年节假日安排尚未录入" in page  # 1 January 2027 is 元旦 by law
    confirmed = client.get(reverse("staff:calendar"), {"start": "2026-09-28", "working_days": "20"}).content.decode()
    assert "2026年10月30日" in confirmed and "notice-ok" in confirmed


def test_admin_enters_a_2027_notice_in_the_form(world, login):
    client = login(world.sysadmin)
    response = client.post(reverse("staff:notice_new"), {
        "year": "2027", "title": "国务院办公厅关于2027年部分节假日安排的通知", "document_number": "",
        "ranges": "放假 2027-02-06 2027-02-14 春节\n上班 2027-02-20 春节\n",
    })
    assert response.status_code == 302
    page = client.get(reverse("staff:calendar"), {"start": "2027-02-05", "working_days": "1"}).content.decode()
    assert "2027年2月15日" in page and "notice-ok" in page


@pytest.mark.parametrize(
    ("ranges", "message"),
    [("放假 2027-02-14 2027-02-06 春节", "起始日晚于结束日"),
     ("放假 2027-02-06 2027-02-10\n上班 2027-02-09", "日期重叠"),
     ("休假 2027-02-06", "应以“放假”或“上班”开头"),
     ("放假 2027-02-31", "日期应写作 YYYY-MM-DD")],
)
def test_bad_notice_lines_are_explained_and_nothing_is_saved(world, login, ranges, message):
    from gongkai.workdays.models import HolidayNotice

    response = login(world.sysadmin).post(reverse("staff:notice_new"), {"year": "2027", "title": "通知", "ranges": ranges})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert HolidayNotice.objects.count() == 0


@pytest.mark.parametrize("today, announced", [
    (dt.date(2025, 12, 1), True),  # 2026 is in the chinese-calendar package
    (dt.date(2026, 12, 1), False),  # 2027: neither the package nor an entered notice
])
def test_dashboard_warns_exactly_when_next_year_is_unannounced(world, login, time_machine, today, announced):
    time_machine.move_to(dt.datetime.combine(today, dt.time(9), tzinfo=BEIJING))
    page = login(world.drafter_a).get(reverse("staff:home")).content.decode()
    assert (f"{today.year + 1}年节假日安排尚未录入" in page) is (not announced)


def test_dashboard_stops_warning_once_next_year_is_entered(world, login, time_machine):
    from gongkai.workdays import services

    time_machine.move_to(dt.datetime(2026, 12, 1, 9, tzinfo=BEIJING))
    services.notice_create(actor=world.sysadmin, year=2027, title="2027年通知", ranges=[
        services.RangeInput("holiday", dt.date(2027, 1, 1), dt.date(2027, 1, 1), "元旦")])
    assert "2027年节假日安排尚未录入" not in login(world.drafter_a).get(reverse("staff:home")).content.decode()


def test_dashboard_shows_the_cards_the_listed_apps_give_and_no_others(world, login, settings):
    client = login(world.admin_a)
    assert 'id="annual-report-card"' in client.get(reverse("staff:home")).content.decode()
    settings.GONGKAI_DASHBOARD_PANELS = []
    page = client.get(reverse("staff:home")).content.decode()
    assert 'id="annual-report-card"' not in page and "今日收到的申请答复期限" in page


def test_platform_audit_log_lists_calendar_changes(world, login):
    import datetime as dt

    from gongkai.workdays import services

    services.notice_create(actor=world.sysadmin, year=2027, title="2027年通知", ranges=[
        services.RangeInput("holiday", dt.date(2027, 1, 1), dt.date(2027, 1, 1), "元旦")])
    response = login(world.auditor).get(reverse("staff:platform_audit"))
    assert "2027年通知" in response.content.decode()
    entries = list(response.context["page"])
    assert entries and all(entry.agency_id is None for entry in entries)


@pytest.mark.parametrize(
    "line",
    ["放假 2027-10-01 至 2027-10-07 国庆节", "放假 2027-10-01-2027-10-07 国庆节", "放假　2027-10-1 ~ 2027-10-7 国庆节"],
)
def test_notice_lines_accept_common_range_separators(world, login, line):
    from gongkai.workdays.models import NoticeRange

    response = login(world.sysadmin).post(reverse("staff:notice_new"), {"year": "2027", "title": "通知", "ranges": line})
    assert response.status_code == 302
    saved = NoticeRange.objects.get()
    assert (saved.start.isoformat(), saved.end.isoformat(), saved.label) == ("2027-10-01", "2027-10-07", "国庆节")


def test_notice_line_with_a_half_written_date_is_refused(world, login):
    response = login(world.sysadmin).post(reverse("staff:notice_new"), {
        "year": "2027", "title": "通知", "ranges": "放假 2027-10-01 2027-10 国庆节"})
    assert response.status_code == 200 and "无法识别" in response.content.decode()


def test_agency_list_is_in_tree_order_siblings_by_sort_order(world, login):
    from gongkai.orgs import services

    first = services.agency_create(actor=None, name="测试县发展和改革局", code="TESTDEV01", kind="department",
                                   area=world.county, parent=world.county_gov, sort_order=1)
    page = login(world.sysadmin).get(reverse("staff:agency_list")).content.decode()
    codes = [world.county_gov.code, first.code, world.agency_b.code, world.agency_a.code]
    positions = [page.index(f"<td>{code}</td>") for code in codes]
    assert positions == sorted(positions)


def test_agency_switcher_is_in_tree_order(world, login):
    from gongkai.orgs import services

    first = services.agency_create(actor=None, name="测试县发展和改革局", code="TESTDEV02", kind="department",
                                   area=world.county, parent=world.county_gov, sort_order=1)
    page = login(world.sysadmin).get(reverse("staff:agency_list")).content.decode()
    switcher = page[page.index("<select"):page.index("</select>")]
    ids = [world.county_gov.pk, first.pk, world.agency_b.pk, world.agency_a.pk]
    positions = [switcher.index(f'<option value="{pk}"') for pk in ids]
    assert positions == sorted(positions)
