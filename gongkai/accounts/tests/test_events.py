"""Security events: each a row with outcome, source address and request id."""

from django.urls import reverse

from gongkai.accounts import twofactor
from gongkai.audit.models import Action, AuditEntry


def last(action, **filters):
    return AuditEntry.objects.filter(action=action, **filters).order_by("-id").first()


def test_a_refused_page_is_recorded(world, login):
    response = login(world.drafter_a).get(reverse("staff:people", args=[world.agency_a.code]))
    assert response.status_code == 403
    row = last(Action.ACCESS_DENIED, actor=world.drafter_a)
    assert row.outcome == "refused" and "/people/" in row.note and "管理人员与角色" in row.note
    assert row.source_ip == "127.0.0.1" and row.request_id == response["X-Request-ID"]


def test_every_audit_row_written_in_a_request_carries_its_id(world, login):
    response = login(world.admin_a).post(reverse("staff:unit_add", args=[world.agency_a.code]), {"name": "新科室"})
    assert response.status_code == 302
    row = last(Action.CREATE, object_type="orgs.internalunit")
    assert row.request_id == response["X-Request-ID"] and row.source_ip == "127.0.0.1"


def test_rows_written_from_the_command_line_have_no_request(world):
    row = last(Action.CREATE, object_type="orgs.agency")
    assert (row.request_id, row.source_ip, row.outcome) == ("", None, "success")


def test_exporting_the_audit_log_is_itself_recorded(world, login):
    response = login(world.admin_a).get(reverse("staff:audit_export", args=[world.agency_a.code]), {"format": "csv"})
    assert response.status_code == 200
    row = last(Action.EXPORT, actor=world.admin_a)
    assert row.agency == world.agency_a and "审计日志" in row.note


def test_downloading_an_applicants_material_is_recorded(world, login, settings, tmp_path):
    import datetime as dt

    from gongkai.applications import intake
    from gongkai.applications.tests.conftest import applicant

    settings.MEDIA_ROOT = tmp_path
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    application, _secret = intake.register(actor=world.drafter_a, agency=world.agency_a, data=applicant(),
                                           channel="in_person", received_on=dt.date(2026, 3, 2),
                                           files=[("身份证.pdf", pdf)], issue_receipt=False)
    stored = application.files.get()
    url = reverse("applications_staff:file", args=[world.agency_a.code, application.pk, stored.pk])
    assert login(world.drafter_a).get(url).status_code == 200
    row = last(Action.DOWNLOAD_PERSONAL, actor=world.drafter_a)
    assert row.object_id == str(application.pk) and "身份证.pdf" in row.note and row.agency == world.agency_a


def test_resetting_someones_second_factor_is_for_the_security_admin_and_audited(world, login):
    login(world.drafter_a)  # gives drafter_a an authenticator
    assert twofactor.is_enrolled(world.drafter_a)
    url = reverse("accounts:reset_second_factor", args=[world.agency_a.code, world.drafter_a.pk])
    assert login(world.admin_a).post(url).status_code == 403
    assert login(world.secadmin).post(url).status_code == 302
    assert not twofactor.is_enrolled(world.drafter_a)
    row = last(Action.TWO_FACTOR, actor=world.secadmin)
    assert row.object_id == str(world.drafter_a.pk) and "重置" in row.note
