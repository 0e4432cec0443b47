"""Every staff view refuses another agency's records.

The table below names every URL of the staff app. A new view that is not listed makes
``test_every_staff_url_is_covered`` fail, so nothing escapes the scoping check.
"""

import pytest
from django.urls import get_resolver, reverse

from gongkai.orgs.models import Membership

pytestmark = pytest.mark.django_db

# name -> (method, how to build kwargs from the world for *agency B*)
AGENCY_SCOPED = {
    "agency": ("get", lambda w: {"code": w.agency_b.code}),
    "agency_edit": ("get", lambda w: {"code": w.agency_b.code}),
    "unit_add": ("post", lambda w: {"code": w.agency_b.code}),
    "unit_delete": ("post", lambda w: {"code": w.agency_b.code, "unit_id": w.unit_b.pk}),
    "people": ("get", lambda w: {"code": w.agency_b.code}),
    "person_new": ("get", lambda w: {"code": w.agency_b.code}),
    "person": ("get", lambda w: {"code": w.agency_b.code, "user_id": w.drafter_b.pk}),
    "person_grant": ("post", lambda w: {"code": w.agency_b.code, "user_id": w.drafter_b.pk}),
    "person_revoke": ("post", lambda w: {"code": w.agency_b.code, "user_id": w.drafter_b.pk,
                                        "membership_id": Membership.objects.get(user=w.drafter_b).pk}),
    "person_active": ("post", lambda w: {"code": w.agency_b.code, "user_id": w.drafter_b.pk}),
    "person_password": ("post", lambda w: {"code": w.agency_b.code, "user_id": w.drafter_b.pk}),
    "audit": ("get", lambda w: {"code": w.agency_b.code}),
    "audit_export": ("get", lambda w: {"code": w.agency_b.code}),
}
# Pages that are not about one agency; each has its own scoping test further down.
PLATFORM_PAGES = {"login", "logout", "home", "switch_agency", "password", "agency_list", "agency_new", "area_new",
                  "calendar", "notice_new", "notice_delete", "platform_audit", "platform_audit_export",
                  "platform_roles", "platform_role_revoke"}  # the last two: staff/tests/test_platform_roles.py


def b_item(w):
    """An item of agency B (made on demand, so tables stay cheap for tests that do not need it)."""
    from gongkai.disclosure import services
    from gongkai.disclosure.catalogue import ensure_catalogue
    from gongkai.disclosure.tests.conftest import item_data

    ensure_catalogue(w.agency_b)
    if not hasattr(w, "_b_item"):
        data = item_data(w.agency_b)
        data["catalogue_node"] = w.agency_b.catalogue_nodes.get(code="yjs")
        w._b_item = services.item_create(actor=w.drafter_b, agency=w.agency_b, data=data)
    return w._b_item


def b_conference(w):
    """A 新闻发布会 record of agency B (on demand)."""
    import datetime as dt

    from gongkai.disclosure import conferences

    if not hasattr(w, "_b_conference"):
        w._b_conference = conferences.conference_create(actor=None, agency=w.agency_b, data={
            "topic": "教育局新闻发布会", "held_at": dt.datetime(2026, 10, 13, 10, tzinfo=dt.UTC), "speakers": "局长"})
    return w._b_conference


def b_node(w):
    from gongkai.disclosure.catalogue import ensure_catalogue

    ensure_catalogue(w.agency_b)
    return w.agency_b.catalogue_nodes.get(code="qt")


# Proactive-disclosure pages of agency B (namespace disclosure_staff).
DISCLOSURE_SCOPED = {
    "items": ("get", lambda w: {"code": w.agency_b.code}),
    "item_new": ("get", lambda w: {"code": w.agency_b.code}),
    "timeliness": ("get", lambda w: {"code": w.agency_b.code}),
    "catalogue": ("get", lambda w: {"code": w.agency_b.code}),
    "catalogue_node": ("post", lambda w: {"code": w.agency_b.code, "node_id": b_node(w).pk}),
    "catalogue_node_delete": ("post", lambda w: {"code": w.agency_b.code, "node_id": b_node(w).pk}),
    "guide": ("get", lambda w: {"code": w.agency_b.code}),
    **{name: (method, lambda w: {"code": w.agency_b.code, "item_id": b_item(w).pk}) for name, method in [
        ("item", "get"), ("item_edit", "get"), ("item_submit", "post"), ("item_approve", "post"), ("item_return", "post"),
        ("item_mask", "post"), ("item_clear_pii", "post"), ("item_withdraw", "post"), ("item_validity", "post"),
        ("item_reopen", "post"),
    ]},
    "item_attachment": ("get", lambda w: {"code": w.agency_b.code, "item_id": b_item(w).pk, "attachment_id": 1}),
    "conferences": ("get", lambda w: {"code": w.agency_b.code}),
    "conference_new": ("get", lambda w: {"code": w.agency_b.code}),
    "conference_edit": ("get", lambda w: {"code": w.agency_b.code, "conference_id": b_conference(w).pk}),
    "conference_delete": ("post", lambda w: {"code": w.agency_b.code, "conference_id": b_conference(w).pk}),
    "import_upload": ("get", lambda w: {"code": w.agency_b.code}),
    "import_preview": ("get", lambda w: {"code": w.agency_b.code, "digest": "0" * 64}),
    "import_confirm": ("post", lambda w: {"code": w.agency_b.code, "digest": "0" * 64}),
}


def b_application(w):
    if not hasattr(w, "_b_application"):
        from gongkai.applications import intake
        from gongkai.applications.tests.conftest import applicant

        w._b_application, _ = intake.register(actor=w.drafter_b, agency=w.agency_b, data=applicant(), issue_receipt=False,
                                              channel="post", received_on=__import__("datetime").date(2026, 3, 2))
    return w._b_application


def _case_kwargs(w, **extra):
    return {"code": w.agency_b.code, "application_id": b_application(w).pk, **extra}


APPLICATION_SCOPED = {
    "workbench": ("get", lambda w: {"code": w.agency_b.code}),
    "register": ("get", lambda w: {"code": w.agency_b.code}),
    "ledger": ("get", lambda w: {"code": w.agency_b.code}),
    "case": ("get", _case_kwargs),
    "reveal": ("post", _case_kwargs),
    "act": ("post", lambda w: _case_kwargs(w, action="note")),
    "issue": ("post", lambda w: _case_kwargs(w, letter_id=1)),
    "letter": ("get", lambda w: _case_kwargs(w, letter_id=1, fmt="pdf")),
    "templates": ("get", lambda w: {"code": w.agency_b.code}),
    "file": ("get", lambda w: _case_kwargs(w, file_id=1)),
    "template": ("post", lambda w: {"code": w.agency_b.code, "kind": "reply"}),
    "letter_style": ("post", lambda w: {"code": w.agency_b.code}),
}

def b_report(w):
    """Agency B's annual report for 2025 (its working copy), made on demand."""
    from gongkai.reports.filing.filing import open_report

    if not hasattr(w, "_b_report"):
        w._b_report = open_report(actor=w.drafter_b, agency=w.agency_b, year=2025)
    return w._b_report


def _report_kwargs(w, **extra):
    return {"code": w.agency_b.code, "pk": b_report(w).pk, **extra}


# Annual-report pages of agency B (namespace reports_staff).
REPORT_SCOPED = {
    "index": ("get", lambda w: {"code": w.agency_b.code}),
    "download": ("get", lambda w: {"code": w.agency_b.code, "year": 2025, "fmt": "json"}),
    "build": ("post", lambda w: {"code": w.agency_b.code, "year": 2025}),
    "start": ("post", lambda w: {"code": w.agency_b.code}),
    "overview": ("get", lambda w: {"code": w.agency_b.code}),
    "filing": ("get", _report_kwargs),
    "filing_text": ("post", _report_kwargs),
    "filing_cells": ("post", _report_kwargs),
    "filing_step": ("post", lambda w: _report_kwargs(w, name="review")),
    "filing_download": ("get", lambda w: _report_kwargs(w, fmt="json")),
}

# Statistics pages of agency B (namespace stats_staff).
STATS_SCOPED = {
    "index": ("get", lambda w: {"code": w.agency_b.code}),
    "ranking": ("get", lambda w: {"code": w.agency_b.code}),
    "ranking_xlsx": ("get", lambda w: {"code": w.agency_b.code, "year": 2025, "quarter": 3}),
}


def b_external(w):
    """A report of an agency not on the platform, recorded with agency B as its office (on demand)."""
    from gongkai.reports.external.external import record_typed

    if not hasattr(w, "_b_external"):
        w._b_external = record_typed(actor=None, office=w.agency_b, agency_name="测试县某某镇人民政府", year=2025,
                                     fmt="2021", cells={})
    return w._b_external


# Reports of agencies not on the platform recorded by agency B (namespace reports_external).
EXTERNAL_REPORT_SCOPED = {
    "list": ("get", lambda w: {"code": w.agency_b.code}),
    "new": ("post", lambda w: {"code": w.agency_b.code}),
    "upload": ("post", lambda w: {"code": w.agency_b.code}),
    "report": ("post", lambda w: {"code": w.agency_b.code, "pk": b_external(w).pk}),
}

# The office's pages of gongkai.supervision added here; agency A's staff do not supervise the county.
SUPERVISION_SCOPED = {
    "plan_lookback": ("get", lambda w: {"code": w.county_gov.code, "year": 2025}),
    "plan_lookback_xlsx": ("get", lambda w: {"code": w.county_gov.code, "year": 2025}),
}


def b_faq(w):
    """An answered message of agency B turned into an FAQ entry (on demand)."""
    from gongkai.enquiries import services
    from gongkai.enquiries.tests.conftest import ask

    if not hasattr(w, "_b_faq"):
        enquiry, _ = ask(w.agency_b)
        services.answer(actor=None, enquiry=enquiry, text="集中缴费期为每年9月至12月。")
        w._b_faq = services.faq_add(actor=None, enquiry=enquiry, question="医保什么时候缴费？", answer="每年9月至12月。")
    return w._b_faq


# Message pages of agency B (namespace enquiries_staff).
ENQUIRY_SCOPED = {
    "inbox": ("get", lambda w: {"code": w.agency_b.code}),
    "register": ("get", lambda w: {"code": w.agency_b.code}),
    "message": ("get", lambda w: {"code": w.agency_b.code, "pk": b_faq(w).source_id}),
    "act": ("post", lambda w: {"code": w.agency_b.code, "pk": b_faq(w).source_id, "action": "faq"}),
    "faqs": ("get", lambda w: {"code": w.agency_b.code}),
    "faq_edit": ("post", lambda w: {"code": w.agency_b.code, "faq_id": b_faq(w).pk}),
    "faq_remove": ("post", lambda w: {"code": w.agency_b.code, "faq_id": b_faq(w).pk}),
}


def url_names(module):
    return {pattern.name for pattern in get_resolver(module).url_patterns}


def test_every_staff_url_is_covered():
    assert url_names("gongkai.staff.urls") == set(AGENCY_SCOPED) | PLATFORM_PAGES
    assert url_names("gongkai.disclosure.staff_urls") == set(DISCLOSURE_SCOPED)
    assert url_names("gongkai.applications.staff_urls") == set(APPLICATION_SCOPED)
    assert url_names("gongkai.reports.staff_urls") == set(REPORT_SCOPED)
    assert url_names("gongkai.reports.external.urls") == set(EXTERNAL_REPORT_SCOPED)
    assert url_names("gongkai.stats.staff_urls") == set(STATS_SCOPED)
    assert set(SUPERVISION_SCOPED) <= url_names("gongkai.supervision.urls")
    assert url_names("gongkai.enquiries.staff_urls") == set(ENQUIRY_SCOPED)


POST_DATA = {"role": "drafter", "active": "0", "password": "stolen-pass-2026", "name": "入侵科室", "comment": "x",
             "reason": "x", "note": "x", "validity": "repealed", "on_date": "2026-01-01", "sort_order": "1", "text": "x",
             "question": "入侵者改的问题", "faq_answer": "入侵者改的解答"}


SCOPED = (
    {f"staff:{k}": v for k, v in AGENCY_SCOPED.items()}
    | {f"disclosure_staff:{k}": v for k, v in DISCLOSURE_SCOPED.items()}
    | {f"applications_staff:{k}": v for k, v in APPLICATION_SCOPED.items()}
    | {f"reports_staff:{k}": v for k, v in REPORT_SCOPED.items()}
    | {f"reports_external:{k}": v for k, v in EXTERNAL_REPORT_SCOPED.items()}
    | {f"stats_staff:{k}": v for k, v in STATS_SCOPED.items()}
    | {f"supervision_staff:{k}": v for k, v in SUPERVISION_SCOPED.items()}
    | {f"enquiries_staff:{k}": v for k, v in ENQUIRY_SCOPED.items()}
)


@pytest.mark.parametrize("name", sorted(SCOPED))
@pytest.mark.parametrize("who", ["admin_a", "drafter_a", "leader_a"])
def test_staff_of_agency_a_cannot_reach_agency_b(world, login, name, who):
    method, kwargs = SCOPED[name]
    url = reverse(name, kwargs=kwargs(world))
    client = login(getattr(world, who))
    response = getattr(client, method)(url, POST_DATA)
    assert response.status_code in (403, 404)
    # and nothing changed in B
    world.drafter_b.refresh_from_db()
    assert world.drafter_b.is_active and world.drafter_b.check_password("test-pass-2026!")
    assert set(world.agency_b.units.values_list("name", flat=True)) == {"基础教育股"}
    assert Membership.objects.filter(user=world.drafter_b, agency=world.agency_b).count() == 1
    if hasattr(world, "_b_item"):
        item = type(world._b_item).objects.get(pk=world._b_item.pk)
        assert (item.status, item.title) == ("draft", world._b_item.title)
    if hasattr(world, "_b_report"):
        report = type(world._b_report).objects.get(pk=world._b_report.pk)
        assert (report.status, report.data) == ("draft", world._b_report.data)
    if hasattr(world, "_b_external"):
        external = type(world._b_external).objects.get(pk=world._b_external.pk)
        assert (external.status, external.data) == ("submitted", world._b_external.data)
    assert not type(world.agency_b).objects.get(pk=world.agency_b.pk).reports_filed_with.exclude(
        pk=getattr(getattr(world, "_b_external", None), "pk", None)).exists()
    if hasattr(world, "_b_faq"):
        from gongkai.enquiries.models import Faq

        assert list(Faq.objects.filter(agency=world.agency_b).values_list("question", "answer")) == [
            ("医保什么时候缴费？", "每年9月至12月。")]
    if hasattr(world, "_b_application"):
        assert not world._b_application.notes.exists()
    nodes = world.agency_b.catalogue_nodes
    assert not nodes.exists() or nodes.filter(code="qt", name="其他").exists()


@pytest.mark.parametrize("name", sorted(SCOPED))
def test_anonymous_visitors_are_sent_to_sign_in(world, client, name):
    method, kwargs = SCOPED[name]
    response = getattr(client, method)(reverse(name, kwargs=kwargs(world)))
    assert response.status_code == 302 and "/staff/login/" in response["Location"]


@pytest.mark.parametrize("name", ["agency", "agency_edit", "people", "person", "audit", "audit_export"])
def test_agency_b_admin_reaches_the_same_pages(world, login, name):
    method, kwargs = AGENCY_SCOPED[name]
    response = login(world.admin_b).get(reverse(f"staff:{name}", kwargs=kwargs(world)))
    assert response.status_code == 200


@pytest.mark.parametrize(("name", "status"), [("agency", 200), ("people", 403), ("audit", 403), ("agency_edit", 403)])
def test_supervisor_reads_subordinates_but_does_not_administer_them(world, login, name, status):
    response = login(world.supervisor).get(reverse(f"staff:{name}", kwargs={"code": world.agency_b.code}))
    assert response.status_code == status


def test_agency_list_shows_only_own_agency(world, login):
    page = login(world.admin_a).get(reverse("staff:agency_list")).content.decode()
    assert "测试县财政局" in page and "测试县教育局" not in page and "测试县人民政府" not in page


def test_switching_to_an_agency_one_does_not_work_in_is_refused(world, login):
    client = login(world.admin_a)
    assert client.post(reverse("staff:switch_agency"), {"agency": world.agency_b.pk}).status_code == 404
    assert client.post(reverse("staff:switch_agency"), {"agency": "x"}).status_code == 404
    response = client.post(reverse("staff:switch_agency"), {"agency": world.agency_a.pk})
    assert response.status_code == 302 and world.agency_a.code in response["Location"]


def test_switcher_lists_every_agency_of_a_person_with_two(world, login):
    from gongkai.orgs import services

    services.role_grant(actor=None, user=world.drafter_a, agency=world.agency_b, role="drafter")
    page = login(world.drafter_a).get(reverse("staff:home")).content.decode()
    assert 'id="agency-switch"' in page and "测试县教育局" in page and "测试县财政局" in page
    single = login(world.admin_b).get(reverse("staff:home")).content.decode()
    assert 'id="agency-switch"' not in single


@pytest.mark.parametrize("name", ["agency_new", "area_new", "notice_new"])
def test_platform_administration_is_for_system_admins_only(world, login, name):
    assert login(world.admin_a).get(reverse(f"staff:{name}")).status_code == 403
    assert login(world.auditor).get(reverse(f"staff:{name}")).status_code == 403
    assert login(world.sysadmin).get(reverse(f"staff:{name}")).status_code == 200


@pytest.mark.parametrize("name", ["platform_audit", "platform_audit_export"])
def test_platform_audit_trail_is_for_the_audit_admin_only(world, login, name):
    # 三权分立: the 系统管理员 whose actions the trail records does not read it.
    for other in (world.admin_a, world.sysadmin, world.secadmin):
        assert login(other).get(reverse(f"staff:{name}")).status_code == 403
    assert login(world.auditor).get(reverse(f"staff:{name}")).status_code == 200


def test_notice_delete_is_for_system_admins_only(world, login):
    import datetime as dt

    from gongkai.workdays import services
    from gongkai.workdays.models import HolidayNotice

    notice = services.notice_create(actor=None, year=2027, title="2027年通知", ranges=[
        services.RangeInput("holiday", dt.date(2027, 1, 1), dt.date(2027, 1, 1), "元旦")])
    assert login(world.admin_a).post(reverse("staff:notice_delete", args=[notice.pk])).status_code == 403
    assert HolidayNotice.objects.filter(pk=notice.pk).exists()


@pytest.mark.parametrize("name", ["home", "calendar", "password", "agency_list"])
def test_platform_pages_open_for_any_staff_member(world, login, name):
    assert login(world.drafter_b).get(reverse(f"staff:{name}")).status_code == 200
