"""The applicant's pages and the workbench, through the HTTP layer."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gongkai.applications import handling
from gongkai.applications.models import Application, Letter
from gongkai.applications.replies import ReplyType
from gongkai.applications.tests.conftest import applicant, register
from gongkai.audit.models import AuditEntry
from gongkai.conftest import on

TODAY = dt.date(2026, 3, 4)  # a Wednesday after register()'s default receipt
pytestmark = [pytest.mark.django_db, on(TODAY)]


def post_application(client, world, **overrides):
    page = client.get(reverse("apply:form", args=[world.agency_a.code]))
    key = page.context["form"].initial["submission_key"]
    data = {**applicant(**overrides), "submission_key": key}
    return client.post(reverse("apply:form", args=[world.agency_a.code]), data), key


def test_apply_then_track_with_code_and_secret(world, client):
    response, _key = post_application(client, world)
    application = Application.objects.get()
    assert response.status_code == 302
    done = client.get(response["Location"])
    secret = done.context["secret"]
    assert secret and application.tracking_code in done.content.decode()
    visitor = type(client)()
    assert visitor.get(reverse("apply:status", args=[application.tracking_code])).status_code == 404
    wrong = visitor.post(reverse("apply:track"), {"code": application.tracking_code, "secret": "NOPE2345"})
    assert "查询码或查询密码不正确" in wrong.content.decode()
    ok = visitor.post(reverse("apply:track"), {"code": application.tracking_code, "secret": secret}, follow=True)
    page = ok.content.decode()
    assert "受理回执" in page and "期限如何计算" in page and "第三十三条" in page


def test_resubmitting_the_same_form_creates_one_application(world, client):
    _response, key = post_application(client, world)
    client.post(reverse("apply:form", args=[world.agency_a.code]), {**applicant(), "submission_key": key})
    assert Application.objects.count() == 1


def test_form_errors_are_shown_in_chinese_and_nothing_is_stored(world, client):
    response, _ = post_application(client, world, id_number="320102198501010000")
    assert response.status_code == 200 and "居民身份证号码有误" in response.content.decode()
    assert Application.objects.count() == 0


def test_public_submissions_are_rate_limited(world, client, settings):
    settings.GONGKAI_APPLY_PER_HOUR = 2
    for n in range(2):
        post_application(client, world, description=f"第{n}份申请：请公开相关文件。")
    response, _ = post_application(client, world, description="第三份申请：请公开相关文件。")
    assert "提交过于频繁" in response.content.decode()
    assert Application.objects.count() == 2


def test_applicant_submits_a_correction_on_the_status_page(world, client):
    response, _ = post_application(client, world)
    application = Application.objects.get()
    letter = handling.request_correction(actor=world.drafter_a, application=application, items="请写明文号",
                                         deadline=TODAY + dt.timedelta(days=10))
    handling.issue_letter(actor=world.drafter_a, letter=letter)
    page = client.get(reverse("apply:status", args=[application.tracking_code])).content.decode()
    assert "提交补正" in page and "补正告知书" in page
    client.post(reverse("apply:correction", args=[application.tracking_code]), {"text": "文号为清民发〔2025〕3号"})
    assert Application.objects.get().status == "in_progress"


def test_issued_letters_download_for_the_applicant_only(world, client, run_tasks):
    post_application(client, world)
    application = Application.objects.get()
    receipt = application.letters.get()
    url = reverse("apply:letter", args=[application.tracking_code, receipt.pk, "pdf"])
    pending = client.get(url)  # the worker has not rendered it yet: say so, and write nothing
    assert pending.status_code == 503 and pending["Retry-After"] == "5"
    assert "文书文件正在生成" in pending.content.decode() and not Letter.objects.get(pk=receipt.pk).pdf
    run_tasks()
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert type(client)().get(url).status_code == 404
    assert client.get(reverse("apply:letter", args=[application.tracking_code, receipt.pk, "exe"])).status_code == 404


def test_workbench_lists_and_case_page(world, login):
    application = register(world, received_on=TODAY)
    client = login(world.drafter_a)
    page = client.get(reverse("applications_staff:workbench", args=[world.agency_a.code])).content.decode()
    assert application.tracking_code in page
    case = client.get(reverse("applications_staff:case", args=[world.agency_a.code, application.pk])).content.decode()
    assert "答复期限" in case and "第三十三条" in case
    assert application.id_number not in case  # masked for a handler viewing the list page


def test_workbench_actions_through_the_page(world, login):
    application = register(world, received_on=TODAY)
    client = login(world.drafter_a)
    url = reverse("applications_staff:act", args=[world.agency_a.code, application.pk, "reply"])
    client.post(url, {"reply_type": ReplyType.PUBLIC_PROVIDED, "reason_code": "", "reason": ""})
    letter = application.letters.get(kind="reply")
    client.post(reverse("applications_staff:issue", args=[world.agency_a.code, application.pk, letter.pk]),
                {"body": letter.body})
    assert Application.objects.get(pk=application.pk).status == "replied"
    assert client.post(reverse("applications_staff:act", args=[world.agency_a.code, application.pk, "nope"])).status_code == 404


def test_reveal_full_personal_data_is_audited(world, login):
    application = register(world)
    page = login(world.admin_a).post(reverse("applications_staff:reveal", args=[world.agency_a.code, application.pk]))
    assert application.id_number in page.content.decode()
    assert AuditEntry.objects.filter(action="view_personal").count() == 1
    assert login(world.leader_a).post(reverse("applications_staff:reveal", args=[world.agency_a.code, application.pk])).status_code == 403


def test_ledger_exports_xlsx(world, login):
    register(world)
    response = login(world.admin_a).get(reverse("applications_staff:ledger", args=[world.agency_a.code]), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(1, 1).value == "查询码" and sheet.max_row == 2
    # Printable as the office prints it: bold frozen header with filters, dates wide enough, landscape
    # A4 fitted to the width with the header row on every page.
    assert sheet.cell(1, 1).font.b and sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:M2"
    assert sheet.column_dimensions["B"].width >= 11 and sheet.column_dimensions["F"].width >= 40
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.print_title_rows == "$1:$1"


def test_workbench_query_count_is_bounded(world, login):
    """No query per row (the handler's name comes with the page), and nine in all: session, user,
    memberships, agency, calendar signature, the tabs' counts, the page, the agency switcher, and the
    session's second-factor device (accounts/middleware.py)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(world.drafter_a)
    url = reverse("applications_staff:workbench", args=[world.agency_a.code])

    def queries_for_page():
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    for n in range(3):
        register(world, applicant_name=f"申请人{n}")
    few = queries_for_page()
    for n in range(3, 30):
        register(world, applicant_name=f"申请人{n}")  # registered by the handler: each row has one
    assert few == queries_for_page() <= 9


def test_letter_template_editor_previews_saves_and_refuses_a_template_without_remedy(world, login):
    from gongkai.applications.models import LetterTemplate

    client = login(world.admin_a)
    assert client.get(reverse("applications_staff:templates", args=[world.agency_a.code])).status_code == 200
    url = reverse("applications_staff:template", args=[world.agency_a.code, "reply"])
    page = client.get(url)
    body = page.context["body"]
    assert "行政复议" in page.content.decode()
    preview = client.post(url, {"body": body.replace("经审查", "经认真审查"), "preview": "1"})
    assert "经认真审查" in preview.context["preview"] and not LetterTemplate.objects.exists()
    client.post(url, {"body": body.replace("经审查", "经认真审查"), "number_prefix": "测财依复", "save": "1"})
    assert LetterTemplate.objects.get(agency=world.agency_a, kind="reply").number_prefix == "测财依复"
    refused = client.post(url, {"body": "您好，已答复。", "save": "1"})
    assert refused.context["error"] and "经认真审查" in LetterTemplate.objects.get().body
    assert login(world.drafter_a).get(url).status_code == 403


def test_staff_download_of_an_issued_letter_waits_for_the_worker_and_never_renders(world, login, run_tasks):
    application = register(world, received_on=dt.date.today(), issue_receipt=True)
    receipt = application.letters.get()
    client = login(world.drafter_a)
    url = reverse("applications_staff:letter", args=[world.agency_a.code, application.pk, receipt.pk, "docx"])
    pending = client.get(url)
    assert pending.status_code == 503 and "文书文件正在生成" in pending.content.decode()
    assert not Letter.objects.get(pk=receipt.pk).docx  # the GET wrote nothing
    run_tasks()
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"PK")


@on(dt.date(2026, 12, 7))  # the day after the receipt below
def test_a_due_date_in_a_year_without_a_notice_is_marked_provisional_where_the_applicant_sees_it(world, client):
    from gongkai.applications.public_views import TRACKED

    # Received 4 December 2026: the 20th working day falls in January 2027, a year with no notice entered.
    application = register(world, received_on=dt.date(2026, 12, 4))
    assert application.due_on.year == 2027 and application.due_confirmed is False
    session = client.session
    session[TRACKED] = [application.pk]
    session.save()
    for name in ("apply:submitted", "apply:status"):
        page = client.get(reverse(name, args=[application.tracking_code])).content.decode()
        assert "（暂定）" in page and 'id="due-unconfirmed"' in page and "法定节假日" in page, name


def test_a_due_date_inside_a_known_year_is_not_marked_provisional(world, client):
    from gongkai.applications.public_views import TRACKED

    application = register(world, received_on=dt.date(2026, 3, 2))
    session = client.session
    session[TRACKED] = [application.pk]
    session.save()
    page = client.get(reverse("apply:submitted", args=[application.tracking_code])).content.decode()
    assert "（暂定）" not in page and "due-unconfirmed" not in page
