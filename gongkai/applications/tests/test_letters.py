"""Letters (文书): wording with legal basis and remedy, agency templates kept safe, 文号, DOCX and PDF.

PDF rendering takes a noticeable fraction of a second, so only two tests render real PDFs; the
others that issue letters stub it.
"""

import datetime as dt
import io
import threading

import docx
import pypdf
import pytest
from django.db import close_old_connections, connection
from django.utils import timezone

from gongkai.applications import fees, handling, intake, letters
from gongkai.applications import letter_defaults as defaults
from gongkai.applications.letters import issuing, numbering
from gongkai.applications.models import Letter, LetterKind, LetterTemplate
from gongkai.applications.replies import RULES, ReplyType
from gongkai.audit.models import Action, AuditEntry
from gongkai.conftest import on
from gongkai.errors import PermissionDeniedError, ServiceError
from gongkai.pii.detectors import id_check_char

TODAY = dt.date(2026, 3, 4)  # a Wednesday after register()'s default receipt
pytestmark = on(TODAY)
LATER = TODAY + dt.timedelta(days=20)

EXTRAS = {
    LetterKind.RECEIPT: {},
    LetterKind.CORRECTION: {"items": "1. 请写明所需文件的文号；\n2. 请写明文件形成的年份。", "deadline": LATER},
    LetterKind.EXTENSION: {"days": 15, "reason": "所需信息分散在多个档案卷宗中", "due": LATER},
    LetterKind.DELAY: {"until": LATER, "reason": "本月申请数量超过合理范围"},
    LetterKind.THIRD_PARTY: {"party": "清河县恒通建材有限公司", "answer_by": LATER},
    LetterKind.FEE: {"quote": fees.quote_per_page(250), "pay_by": LATER},
}


def resident_id() -> str:
    first17 = "32010219850304123"
    return first17 + id_check_char(first17)


def register(world, **overrides):
    data = {
        "applicant_type": "natural", "applicant_name": "李文静", "id_type": "resident_id", "id_number": resident_id(),
        "phone": "13812345678", "email": "lwj@example.cn", "address": "测试县人民路8号", "postcode": "999100",
        "description": "请公开2025年度测试县财政局部门决算说明。", "provision_form": "email",
    }
    data.update(overrides)
    application, _secret = intake.register(actor=world.admin_a, agency=world.agency_a, data=data, channel="in_person",
                                           received_on=TODAY - dt.timedelta(days=3))
    return application


def reply_draft(world, reply_type) -> Letter:
    rule = RULES[reply_type]
    return handling.decide_reply(actor=world.admin_a, application=register(world), reply_type=reply_type,
                                 reason_code=rule.reason_codes[0] if rule.reason_codes else "",
                                 reason="该信息属于依法不予公开的情形，具体理由见说明。" if rule.needs_reason else "")


def issue_draft(letter, actor):
    return letters.issue(letter.application, letter.kind, actor=actor, draft=letter)


@pytest.fixture
def fast_pdf(monkeypatch):
    monkeypatch.setattr(issuing, "render_pdf", lambda letter: b"%PDF-1.7 stub")


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(EXTRAS))
def test_every_notice_cites_the_regulation_and_its_article(world, kind):
    application = register(world)
    letter = letters.compose(application, kind, extra=EXTRAS[kind])
    assert letter.pk and letter.issued_at is None and letter.number == ""
    assert letter.title == defaults.TITLES[kind]
    assert defaults.LAW + defaults.NOTICE_ARTICLES[kind] in letter.body
    salutation = "清河县恒通建材有限公司：" if kind == LetterKind.THIRD_PARTY else "李文静："
    assert letter.body.startswith(salutation + "\n\n")
    assert "{{" not in letter.body and "{%" not in letter.body


@pytest.mark.django_db
def test_third_party_letter_does_not_name_the_applicant(world):
    letter = letters.compose(register(world), LetterKind.THIRD_PARTY, extra=EXTRAS[LetterKind.THIRD_PARTY])
    assert "李文静" not in letter.body and f"{LATER.year}年{LATER.month}月{LATER.day}日" in letter.body


@pytest.mark.django_db
def test_receipt_states_receipt_day_rule_tracking_code_and_due_date(world):
    application = register(world)
    body = letters.compose(application, LetterKind.RECEIPT).body
    received = application.received_on
    assert f"{received.year}年{received.month}月{received.day}日" in body
    assert application.tracking_code in body and "当面提交的申请，以提交之日为收到申请之日" in body
    assert "20个工作日" in body and f"{application.due_on.year}年{application.due_on.month}月{application.due_on.day}日" in body


@pytest.mark.django_db
def test_fee_notice_states_the_fee_rules_and_amount(world):
    body = letters.compose(register(world), LetterKind.FEE, extra=EXTRAS[LetterKind.FEE]).body
    assert defaults.FEE_RULES in body and "合计4,700元" in body


@pytest.mark.django_db
@pytest.mark.parametrize("reply_type", ReplyType.values)
def test_every_reply_type_names_its_article_and_the_remedy(world, reply_type):
    letter = reply_draft(world, reply_type)
    rule = RULES[reply_type]
    article = rule.article or defaults.REPLY_FALLBACK_ARTICLES[reply_type]
    assert letter.kind == LetterKind.REPLY and letter.title == "政府信息公开申请答复书"
    assert defaults.LAW in letter.body and article in letter.body
    # 行政复议 within 60 days before the county government, or 行政诉讼 within 6 months.
    assert "60日内向测试县人民政府申请行政复议" in letter.body and "6个月内" in letter.body and "行政诉讼" in letter.body
    if rule.needs_reason:
        assert "该信息属于依法不予公开的情形" in letter.body


ADMIN_QUERY_REASON = "不动产登记资料的查询依照《不动产登记暂行条例》第二十七条的规定，向不动产登记机构申请查询。"


@pytest.mark.django_db
def test_admin_query_reply_is_counted_in_row_three_three_eight_by_default(world):
    letter = handling.decide_reply(actor=world.admin_a, application=register(world),
                                   reply_type=ReplyType.WITHHELD_ADMIN_QUERY, reason=ADMIN_QUERY_REASON)
    application = letter.application
    application.refresh_from_db()
    assert application.reply_type == ReplyType.WITHHELD_ADMIN_QUERY
    assert RULES[application.reply_type].report_row == "3.3.8"
    entry = AuditEntry.objects.filter(action=Action.REPLY).latest("pk")
    assert entry.note == ""


@pytest.mark.django_db
def test_admin_query_letter_cites_article_36_7_and_no_withholding_ground(world):
    letter = handling.decide_reply(actor=world.admin_a, application=register(world),
                                   reply_type=ReplyType.WITHHELD_ADMIN_QUERY, reason=ADMIN_QUERY_REASON)
    body = letter.body
    assert f"根据{defaults.LAW}第三十六条第（七）项的规定，请您依照有关法律、行政法规的规定" in body
    # Not a 不予公开 decision: no 第十四～十六条 ground, no 第36条第（三）项, no 「不予公开」.
    for word in ("第十四条", "第十五条", "第十六条", "第三十六条第（三）项", "不予公开"):
        assert word not in body, word
    # The query channel's law comes before 「特此告知」, which closes the decision.
    assert body.index("《不动产登记暂行条例》") < body.index("特此告知")


@pytest.mark.django_db
def test_admin_query_setting_records_it_as_other_handling(world, settings):
    settings.GONGKAI_ADMIN_QUERY_REPLY = "other"
    letter = handling.decide_reply(actor=world.admin_a, application=register(world),
                                   reply_type=ReplyType.WITHHELD_ADMIN_QUERY, reason=ADMIN_QUERY_REASON)
    application = letter.application
    application.refresh_from_db()
    assert application.reply_type == ReplyType.OTHER
    assert RULES[application.reply_type].report_row == "3.6.3"
    assert "第三十六条第（七）项" in letter.body and "《不动产登记暂行条例》" in letter.body
    assert "不予公开" not in letter.body
    entry = AuditEntry.objects.filter(action=Action.REPLY).latest("pk")
    assert entry.after["reply_type"] == "other" and "行政查询事项" in entry.note


def test_the_reply_form_names_where_an_admin_query_is_counted(settings):
    from gongkai.applications.forms import ReplyForm

    label = dict(ReplyForm().fields["reply_type"].choices)[ReplyType.WITHHELD_ADMIN_QUERY]
    assert "第三十六条第（七）项" in label and "表三（三）8" in label and "不予公开" not in label
    settings.GONGKAI_ADMIN_QUERY_REPLY = "other"
    assert "表三（六）3" in dict(ReplyForm().fields["reply_type"].choices)[ReplyType.WITHHELD_ADMIN_QUERY]


@pytest.mark.django_db
def test_partial_reply_cites_the_exemption_of_the_withheld_part(world):
    letter = handling.decide_reply(actor=world.admin_a, application=register(world), reply_type=ReplyType.PARTIAL,
                                   reason_code="X16-2", reason="其中的讨论记录属于过程性信息。")
    assert "第三十七条、第十六条第二款" in letter.body
    # The ground reads as a sentence, not as a screen label with the article in brackets.
    assert "部分内容属于行政机关在履行行政管理职能过程中形成的过程性信息，依法不予公开" in letter.body
    assert "（第十六条第二款）" not in letter.body and "理由：" not in letter.body


@pytest.mark.django_db
def test_reply_without_a_decision_is_refused(world):
    with pytest.raises(ServiceError) as caught:
        letters.compose(register(world), LetterKind.REPLY)
    assert caught.value.code == "REPLY_TYPE_MISSING"


@pytest.mark.django_db
def test_docx_has_title_agency_number_and_chinese_fonts(world, fast_pdf, run_tasks):
    letter = issue_draft(reply_draft(world, ReplyType.WITHHELD_PROCESS), world.admin_a)
    run_tasks()
    letter.refresh_from_db()
    document = docx.Document(io.BytesIO(letters.render_docx(letter)))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "测试县财政局" and texts[1] == letter.number and texts[2] == "政府信息公开申请答复书"
    assert texts[3] == "李文静：" and any("申请行政复议" in t for t in texts)
    date = timezone.localtime(letter.issued_at).date()
    assert texts[-2:] == ["测试县财政局", f"{date.year}年{date.month}月{date.day}日"]
    assert "0999-1000001" in document.sections[0].footer.paragraphs[0].text
    body_run = document.paragraphs[4].runs[0]._element
    assert body_run.rPr.rFonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "仿宋"
    assert letter.docx.name.endswith(".docx")
    with letter.docx.open("rb") as stored:
        assert docx.Document(stored).paragraphs[2].text == "政府信息公开申请答复书"


@pytest.mark.django_db
def test_pdf_has_a_page_with_the_chinese_text(world):
    letter = letters.compose(register(world), LetterKind.CORRECTION, extra=EXTRAS[LetterKind.CORRECTION])
    pdf = letters.render_pdf(letter)
    assert pdf.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 1
    text = "".join(page.extract_text() for page in reader.pages)
    assert "补正告知书" in text.replace(" ", "") and "测试县财政局" in text.replace(" ", "")


@pytest.mark.django_db
def test_online_submission_gets_an_issued_numbered_receipt(world, run_tasks):
    application, _secret = intake.submit_online(agency=world.agency_a, data={
        "applicant_type": "natural", "applicant_name": "王海", "id_type": "resident_id", "id_number": resident_id(),
        "phone": "13812345678", "description": "请公开本局2025年政府采购项目目录。", "provision_form": "paper"})
    receipt = application.letters.get()
    assert receipt.kind == LetterKind.RECEIPT and receipt.issued_at and receipt.issued_by is None
    assert receipt.number == f"测试县财政局依申公收〔{timezone.localtime(receipt.issued_at).year}〕1号"
    assert not receipt.pdf and not letters.files_ready(receipt)  # rendered by the worker, not while the applicant waits
    run_tasks()
    receipt.refresh_from_db()
    assert letters.files_ready(receipt)
    with receipt.pdf.open("rb") as stored:
        assert stored.read(4) == b"%PDF"
    with receipt.docx.open("rb") as stored:
        assert docx.Document(stored).paragraphs[1].text == receipt.number


@pytest.mark.django_db
def test_issue_numbers_letters_in_sequence_and_refuses_reissue(world, fast_pdf, run_tasks):
    year = timezone.localdate().year
    first = issue_draft(reply_draft(world, ReplyType.PUBLIC_PROVIDED), world.admin_a)
    run_tasks()
    first.refresh_from_db()
    second = issue_draft(reply_draft(world, ReplyType.UNAVAILABLE_NOT_EXIST), world.admin_a)
    notice = issue_draft(letters.compose(register(world), LetterKind.DELAY, extra=EXTRAS[LetterKind.DELAY]),
                         world.admin_a)
    assert first.number == f"测试县财政局依申公复〔{year}〕1号"
    assert second.number == f"测试县财政局依申公复〔{year}〕2号"
    assert notice.number == f"测试县财政局依申公告〔{year}〕1号"  # notices run their own series
    assert first.issued_by == world.admin_a and first.docx and first.pdf
    with pytest.raises(ServiceError) as caught:
        issue_draft(first, world.admin_a)
    assert caught.value.code == "LETTER_ALREADY_ISSUED"
    stale = Letter.objects.get(pk=second.pk)
    stale.issued_at = None  # a stale copy of an issued letter, as a second browser tab would hold
    with pytest.raises(ServiceError):
        issue_draft(stale, world.admin_a)
    assert Letter.objects.get(pk=second.pk).number == second.number


@pytest.mark.django_db
def test_agency_prefix_numbers_its_own_series(world, fast_pdf):
    letters.template_update(actor=world.admin_a, agency=world.agency_a, kind=LetterKind.REPLY, body="",
                            number_prefix="测财公复")
    letter = issue_draft(reply_draft(world, ReplyType.PUBLIC_ALREADY), world.admin_a)
    assert letter.number == f"测财公复〔{timezone.localdate().year}〕1号"
    assert "60日内" in letter.body  # an empty body keeps the default wording


@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_get_distinct_numbers(taxonomy, world, monkeypatch):
    monkeypatch.setattr(issuing, "render_pdf", lambda letter: b"%PDF-1.7 stub")
    real_docx = issuing.render_docx

    def slow_docx(letter):  # widen the window between reading the last number and saving the new one
        threading.Event().wait(0.2)
        return real_docx(letter)

    monkeypatch.setattr(issuing, "render_docx", slow_docx)
    drafts = [letters.compose(register(world), LetterKind.DELAY, extra=EXTRAS[LetterKind.DELAY]) for _ in range(3)]
    errors, barrier = [], threading.Barrier(len(drafts))

    def issue(letter):
        close_old_connections()
        try:
            barrier.wait(timeout=10)
            handling.issue_letter(actor=world.admin_a, letter=letter)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(d,)) for d in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    numbers = sorted(Letter.objects.filter(kind=LetterKind.DELAY).values_list("number", flat=True))
    year = timezone.localdate().year
    assert numbers == [f"测试县财政局依申公告〔{year}〕{n}号" for n in (1, 2, 3)]


@pytest.mark.django_db
def test_agency_template_overrides_the_default_for_that_agency_only(world):
    body = ("{{ application.name }}：\n\n本局已收到您的申请，查询码{{ application.tracking_code }}。"
            "依据{{ basis }}，{% if application.due_on %}将于{{ application.due_on }}前答复{% endif %}。")
    saved = letters.template_update(actor=world.admin_a, agency=world.agency_a, kind=LetterKind.RECEIPT, body=body)
    application = register(world)
    letter = letters.compose(application, LetterKind.RECEIPT)
    assert letter.body.startswith(f"李文静：\n\n本局已收到您的申请，查询码{application.tracking_code}。")
    assert letter.title == defaults.TITLES[LetterKind.RECEIPT]  # LetterTemplate has no title column
    entry = AuditEntry.objects.filter(object_type="applications.lettertemplate", object_id=str(saved.pk)).get()
    assert entry.action == Action.TEMPLATE_UPDATE and entry.before is None and entry.after["body"] == body
    other = letters.preview(world.agency_b, LetterKind.RECEIPT)
    assert "本局已收到您的申请" not in other and "受理回执" in other


@pytest.mark.django_db
@pytest.mark.parametrize(("body", "code"), [
    ("{{ application.name }：根据{{ basis }}", "LETTER_TEMPLATE_SYNTAX"),
    ("{% if application.name %}根据{{ basis }}", "LETTER_TEMPLATE_SYNTAX"),
    ("{% debug %}根据{{ basis }}", "LETTER_TEMPLATE_TAG_NOT_ALLOWED"),
    ("{% load static %}根据{{ basis }}", "LETTER_TEMPLATE_TAG_NOT_ALLOWED"),
    ('{% include "applications/letter.html" %}根据{{ basis }}', "LETTER_TEMPLATE_TAG_NOT_ALLOWED"),
    ("{% for a in law %}{% for b in law %}{% endfor %}{% endfor %}{{ basis }}", "LETTER_TEMPLATE_TAG_NOT_ALLOWED"),
    ('{{ application.name|center:"999999999" }}{{ basis }}', "LETTER_TEMPLATE_FILTER_NOT_ALLOWED"),
    ("<script>alert(1)</script>{{ basis }}", "SCRIPT_NOT_ALLOWED"),
    ("{{ application.name }}：本局已收到您的申请。", "LETTER_TEMPLATE_BASIS_MISSING"),
])
def test_unsafe_or_broken_templates_are_refused(world, body, code):
    with pytest.raises(ServiceError) as caught:
        letters.template_update(actor=world.admin_a, agency=world.agency_a, kind=LetterKind.RECEIPT, body=body)
    assert caught.value.code == code and caught.value.field == "body"
    assert not LetterTemplate.objects.exists()


@pytest.mark.django_db
def test_reply_template_without_remedy_is_refused(world):
    with pytest.raises(ServiceError) as caught:
        letters.template_update(actor=world.admin_a, agency=world.agency_a, kind=LetterKind.REPLY,
                                body="{{ application.name }}：\n\n{{ reply.decision }}")
    assert caught.value.code == "LETTER_TEMPLATE_REMEDY_MISSING"


@pytest.mark.django_db
def test_templates_see_no_personal_data_or_accounts(world):
    body = ("{{ basis }}|{{ application.id_number }}|{{ application.phone }}|{{ application.secret_hash }}|"
            "{{ application.handler.password }}|{{ agency.memberships }}|{{ application.name }}")
    letters.template_update(actor=world.admin_a, agency=world.agency_a, kind=LetterKind.RECEIPT, body=body)
    letter = letters.compose(register(world), LetterKind.RECEIPT)
    assert letter.body.endswith("|||||李文静")


@pytest.mark.django_db
def test_template_editing_needs_the_agency_right(world):
    with pytest.raises(PermissionDeniedError):
        letters.template_update(actor=world.drafter_a, agency=world.agency_a, kind=LetterKind.RECEIPT, body="{{ basis }}")
    with pytest.raises(PermissionDeniedError):
        letters.template_update(actor=world.admin_b, agency=world.agency_a, kind=LetterKind.RECEIPT, body="{{ basis }}")


@pytest.mark.django_db
def test_title_and_prefix_input_are_checked(world):
    with pytest.raises(ServiceError) as caught:
        letters.template_update(actor=world.admin_a, agency=world.agency_a, kind=LetterKind.FEE, body="", title="收费单")
    assert caught.value.code == "LETTER_TITLE_NOT_SUPPORTED"
    with pytest.raises(ServiceError) as caught:
        letters.template_update(actor=world.admin_a, agency=world.agency_a, kind=LetterKind.FEE, body="",
                                number_prefix="测财〔公〕")
    assert caught.value.code == "LETTER_NUMBER_PREFIX_INVALID"


@pytest.mark.django_db
def test_clearing_body_and_prefix_restores_the_default(world):
    letters.template_update(actor=world.admin_a, agency=world.agency_a, kind=LetterKind.DELAY, body="{{ basis }}。",
                            number_prefix="测财告")
    assert letters.template_update(actor=world.admin_a, agency=world.agency_a, kind=LetterKind.DELAY, body="") is None
    assert not LetterTemplate.objects.exists()
    assert numbering.prefix_for(world.agency_a, LetterKind.DELAY) == "测试县财政局依申公告"
    assert AuditEntry.objects.filter(object_type="applications.lettertemplate").count() == 2


@pytest.mark.django_db
def test_a_stored_template_that_no_longer_compiles_falls_back_to_the_default(world):
    # Written directly: template_update would refuse it, but rows saved before a rule tightened exist.
    LetterTemplate.objects.create(agency=world.agency_a, kind=LetterKind.RECEIPT, body="{% debug %}{{ basis }}")
    letter = letters.compose(register(world), LetterKind.RECEIPT)
    assert "20个工作日" in letter.body and "sys.modules" not in letter.body


@pytest.mark.django_db
def test_preview_shows_a_sample_letter_and_checks_an_unsaved_text(world):
    text = letters.preview(world.agency_a, LetterKind.REPLY, reply_type=ReplyType.WITHHELD_INTERNAL)
    assert text.startswith("政府信息公开申请答复书\n\n张三：") and "第十六条第一款" in text and "行政诉讼" in text
    assert "试写的正文" in letters.preview(world.agency_a, LetterKind.EXTENSION, body="试写的正文。{{ basis }}")
    with pytest.raises(ServiceError):
        letters.preview(world.agency_a, LetterKind.EXTENSION, body="{% now %}")
    with pytest.raises(ServiceError) as caught:
        letters.preview(world.agency_a, LetterKind.REPLY, reply_type="granted")
    assert caught.value.code == "REPLY_TYPE_INVALID"


@pytest.mark.django_db
def test_a_letter_whose_files_fail_to_render_stays_issued_and_the_sweep_renders_it_again(world, monkeypatch,
                                                                                       run_tasks):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    def broken(letter):
        raise RuntimeError("font missing")

    monkeypatch.setattr(issuing, "render_pdf", broken)
    draft = reply_draft(world, ReplyType.PUBLIC_PROVIDED)
    letter = handling.issue_letter(actor=world.admin_a, letter=draft)
    assert run_tasks() == 2  # the reply, and the receipt issued when the case was registered
    assert {row.status for row in DBTaskResult.objects.all()} == {"FAILED"}
    assert all("font missing" in row.traceback for row in DBTaskResult.objects.all())
    letter = Letter.objects.get(pk=letter.pk)
    assert letter.issued_at and letter.number and not letter.pdf and not letter.docx
    monkeypatch.setattr(issuing, "render_pdf", lambda letter: b"%PDF-1.7 stub")
    call_command("retry_mail")  # cron's sweep: unsent mail and unrendered letters go back on the queue
    call_command("retry_mail")  # already waiting: not queued twice
    assert run_tasks() == 2
    rendered = Letter.objects.get(pk=letter.pk)
    assert rendered.pdf and rendered.docx and rendered.body == letter.body and rendered.number == letter.number
    assert issuing.render_files(letter.pk)["rendered"] is False  # rendered once, then kept


@pytest.mark.django_db
def test_numbers_continue_a_series_already_issued(world, fast_pdf):
    from gongkai.applications.models import LetterNumberSeries

    year = timezone.localdate().year
    LetterNumberSeries.objects.create(agency=world.agency_a, stem=f"测试县财政局依申公复〔{year}〕", last_serial=41)
    letter = issue_draft(reply_draft(world, ReplyType.PUBLIC_PROVIDED), world.admin_a)
    assert letter.number == f"测试县财政局依申公复〔{year}〕42号"
    assert LetterNumberSeries.objects.get(stem=f"测试县财政局依申公复〔{year}〕").last_serial == 42


@pytest.mark.django_db
def test_a_receipt_composed_before_its_application_is_saved_is_issued_with_it(world, run_tasks):
    from gongkai.applications.models import Application

    application = Application(agency=world.agency_a, channel="online", received_on=timezone.localdate(),
                              tracking_code="ABCDEFGHJK", secret_hash="x", applicant_name="王海", applicant_type="natural",
                              description="请公开本局2025年政府采购项目目录。")
    draft = letters.compose(application, LetterKind.RECEIPT, save=False)  # text before the write transaction
    assert draft.pk is None and "ABCDEFGHJK" in draft.body
    application.save()
    letter = letters.issue(application, LetterKind.RECEIPT, actor=None, draft=draft)
    stored = Letter.objects.get(application=application)
    assert stored.pk == letter.pk and stored.number == f"测试县财政局依申公收〔{timezone.localdate().year}〕1号"
    assert stored.body == draft.body and stored.issued_at
    run_tasks()
    assert letters.files_ready(Letter.objects.get(pk=letter.pk))


@pytest.mark.django_db
@on(dt.date(2027, 1, 6))
def test_a_reply_signed_in_december_and_recorded_in_january_carries_its_own_date_and_year(world):
    application, _secret = intake.register(
        actor=world.admin_a, agency=world.agency_a, channel="in_person", received_on=dt.date(2026, 12, 10),
        data={"applicant_type": "natural", "applicant_name": "李文静", "id_type": "resident_id",
              "id_number": resident_id(), "phone": "13812345678", "address": "测试县人民路8号",
              "description": "请公开测试县财政局2026年部门预算。", "provision_form": "post"})
    draft = handling.decide_reply(actor=world.admin_a, application=application, reply_type=ReplyType.PUBLIC_PROVIDED)
    with pytest.raises(ServiceError) as future:
        handling.issue_letter(actor=world.admin_a, letter=draft, on=dt.date(2027, 1, 7))
    assert future.value.code == "STEP_DATE_IN_FUTURE"
    letter = handling.issue_letter(actor=world.admin_a, letter=draft, on=dt.date(2026, 12, 28))
    assert "〔2026〕" in letter.number and timezone.localtime(letter.issued_at).date() == dt.date(2026, 12, 28)
    application.refresh_from_db()
    assert application.replied_on == application.closed_on == dt.date(2026, 12, 28)
    assert "2026年12月28日" in letters.render_html(letter)
    entry = AuditEntry.objects.filter(action=Action.ISSUE, object_id=str(letter.pk)).get()
    assert entry.after["issued_on"] == "2026-12-28"
