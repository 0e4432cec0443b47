import datetime as dt

import pytest
from django.db import connection

from gongkai.applications.models import Application
from gongkai.applications.models import Channel as ApplicationChannel
from gongkai.audit.models import Action, AuditEntry
from gongkai.conftest import on
from gongkai.enquiries import services
from gongkai.enquiries.models import Enquiry, Faq, Status
from gongkai.enquiries.tests.conftest import ask, message
from gongkai.errors import PermissionDeniedError, ServiceError

pytestmark = [pytest.mark.django_db, on(dt.date(2026, 3, 2))]  # a Monday


def audit_actions(obj):
    return list(AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
                .order_by("id").values_list("action", flat=True))


def test_submission_stores_contact_encrypted_and_a_hashed_secret(world):
    enquiry, secret = ask(world.agency_a)
    assert services.find_by_code(enquiry.tracking_code.lower(), secret.lower()) == enquiry
    assert services.find_by_code(enquiry.tracking_code, "WRONGPW2") is None
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, email, secret_hash FROM enquiries_enquiry WHERE id = %s", [enquiry.pk])
        phone, email, secret_hash = cursor.fetchone()
    assert "13800138000" not in phone and "liming" not in email and secret not in secret_hash
    assert Enquiry.objects.get(pk=enquiry.pk).phone == "13800138000"
    assert audit_actions(enquiry) == [Action.CREATE]
    entry = AuditEntry.objects.get(object_type="enquiries.enquiry", object_id=str(enquiry.pk))
    assert "13800138000" not in str(entry.after) and entry.actor_label == services.ASKER_LABEL


@pytest.mark.parametrize(("overrides", "code", "field"), [
    ({"subject": ""}, "ENQUIRY_FIELD_REQUIRED", "subject"),
    ({"body": "   "}, "ENQUIRY_FIELD_REQUIRED", "body"),
    ({"body": "问题" * 1001}, "ENQUIRY_FIELD_TOO_LONG", "body"),
    ({"subject": "问"}, "ENQUIRY_FIELD_TOO_SHORT", "subject"),
    ({"body": "请问<script>alert(1)</script>怎么办理？"}, "SCRIPT_NOT_ALLOWED", "body"),
    ({"subject": '<img src=x onerror="alert(1)">'}, "SCRIPT_NOT_ALLOWED", "subject"),
    ({"kind": "petition"}, "ENQUIRY_KIND_INVALID", "kind"),
    ({"phone": "", "email": ""}, "CONTACT_REQUIRED", "phone"),
    ({"phone": "12345"}, "PHONE_INVALID", "phone"),
    ({"email": "not-an-address"}, "EMAIL_INVALID", "email"),
])
def test_bad_input_is_refused_with_its_own_code_and_nothing_is_saved(world, overrides, code, field):
    with pytest.raises(ServiceError) as refused:
        ask(world.agency_a, **overrides)
    assert (refused.value.code, refused.value.field) == (code, field)
    assert not Enquiry.objects.exists() and not AuditEntry.objects.filter(object_type="enquiries.enquiry").exists()


def test_answer_is_published_unless_the_asker_said_no(world):
    public, _ = ask(world.agency_a)
    private, _ = ask(world.agency_a, allow_publish=False)
    public = services.answer(actor=world.drafter_a, enquiry=public, text="集中缴费期为每年9月至12月。")
    private = services.answer(actor=world.drafter_a, enquiry=private, text="见附件。")
    assert (public.status, public.answered_on, public.published_on) == (Status.ANSWERED, dt.date(2026, 3, 2),
                                                                      dt.date(2026, 3, 2))
    assert private.published_on is None
    assert audit_actions(public) == [Action.CREATE, Action.ENQUIRY_ANSWER]


def test_a_personal_answer_needs_a_reason_and_is_not_published(world):
    enquiry, _ = ask(world.agency_a)
    with pytest.raises(ServiceError) as refused:
        services.answer(actor=world.drafter_a, enquiry=enquiry, text="您的补贴已发放。", personal=True)
    assert refused.value.field == "personal_reason"
    assert Enquiry.objects.get(pk=enquiry.pk).status == Status.RECEIVED
    enquiry = services.answer(actor=world.drafter_a, enquiry=enquiry, text="您的补贴已发放。", personal=True,
                              personal_reason="涉及本人补贴发放情况")
    assert enquiry.published_on is None and enquiry.personal_reason == "涉及本人补贴发放情况"


def test_a_message_is_answered_once(world):
    enquiry, _ = ask(world.agency_a)
    services.answer(actor=world.drafter_a, enquiry=enquiry, text="已答复。")
    with pytest.raises(ServiceError) as refused:
        services.answer(actor=world.drafter_a, enquiry=enquiry, text="再答复一次。")
    assert refused.value.code == "ENQUIRY_CLOSED"


def test_staff_of_another_agency_and_unprivileged_roles_cannot_act(world):
    enquiry, _ = ask(world.agency_a)
    for outsider in (world.drafter_b, world.admin_b, world.leader_a):
        with pytest.raises(PermissionDeniedError):
            services.answer(actor=outsider, enquiry=enquiry, text="不是我机关的留言。")
    with pytest.raises(ServiceError) as refused:
        services.assign(actor=world.admin_a, enquiry=enquiry, handler=world.drafter_b)
    assert refused.value.code == "HANDLER_NOT_ALLOWED"
    assert Enquiry.objects.get(pk=enquiry.pk).status == Status.RECEIVED


def test_assignment_is_audited(world):
    enquiry, _ = ask(world.agency_a)
    enquiry = services.assign(actor=world.admin_a, enquiry=enquiry, handler=world.drafter_a)
    assert (enquiry.status, enquiry.handler) == (Status.ASSIGNED, world.drafter_a)
    entry = AuditEntry.objects.get(action=Action.ENQUIRY_ASSIGN)
    assert (entry.before["handler"], entry.after["handler"]) == (None, world.drafter_a.pk)


@pytest.mark.parametrize(("reason", "text", "shown"), [
    ("duplicate", "", "重复留言"),
    ("abusive", "", "含辱骂等不当内容"),
    ("out_of_scope", "请向市场监管部门反映", "超出受理范围：请向市场监管部门反映"),
    ("other", "留言人已撤回", "留言人已撤回"),
])
def test_refusal_keeps_its_reason(world, reason, text, shown):
    enquiry, _ = ask(world.agency_a)
    enquiry = services.refuse(actor=world.drafter_a, enquiry=enquiry, reason=reason, text=text)
    assert (enquiry.status, enquiry.refusal_label) == (Status.REFUSED, shown)
    assert audit_actions(enquiry)[-1] == Action.ENQUIRY_REFUSE


def test_refusal_without_a_listed_reason_or_other_without_words_is_refused(world):
    enquiry, _ = ask(world.agency_a)
    for reason, text in (("", ""), ("dislike", ""), ("other", "  ")):
        with pytest.raises(ServiceError):
            services.refuse(actor=world.drafter_a, enquiry=enquiry, reason=reason, text=text)
    assert Enquiry.objects.get(pk=enquiry.pk).status == Status.RECEIVED


def test_transfer_moves_the_message_and_restarts_the_limit_for_the_receiving_agency(world, travel):
    enquiry, _ = ask(world.agency_a)  # Mon 2 Mar: due Mon 9 Mar
    assert enquiry.due_on == dt.date(2026, 3, 9)
    travel(dt.date(2026, 3, 4))
    enquiry = services.transfer(actor=world.drafter_a, enquiry=enquiry, to_agency=world.agency_b, note="属教育局职责")
    assert (enquiry.agency, enquiry.transferred_from, enquiry.transferred_on) == (world.agency_b, world.agency_a,
                                                                                 dt.date(2026, 3, 4))
    assert (enquiry.received_on, enquiry.clock_from, enquiry.due_on) == (dt.date(2026, 3, 2), dt.date(2026, 3, 4),
                                                                        dt.date(2026, 3, 11))
    assert set(AuditEntry.objects.filter(action=Action.TRANSFER).values_list("agency", flat=True)) == {
        world.agency_a.pk, world.agency_b.pk}
    with pytest.raises(PermissionDeniedError):  # no longer the first agency's to answer
        services.answer(actor=world.drafter_a, enquiry=enquiry, text="答复")
    services.answer(actor=world.drafter_b, enquiry=enquiry, text="答复")


def test_transfer_to_itself_is_refused(world):
    enquiry, _ = ask(world.agency_a)
    with pytest.raises(ServiceError) as refused:
        services.transfer(actor=world.drafter_a, enquiry=enquiry, to_agency=world.agency_a)
    assert refused.value.code == "TRANSFER_TARGET_INVALID"


def test_an_answered_message_becomes_an_faq_entry_without_personal_details(world):
    enquiry, _ = ask(world.agency_a)
    with pytest.raises(ServiceError) as early:
        services.faq_add(actor=world.drafter_a, enquiry=enquiry, question="缴费时间？", answer="9月至12月。")
    assert early.value.code == "ENQUIRY_NOT_ANSWERED"
    services.answer(actor=world.drafter_a, enquiry=enquiry, text="李明您好，集中缴费期为每年9月至12月。")
    with pytest.raises(ServiceError) as personal:
        services.faq_add(actor=world.drafter_a, enquiry=enquiry, question="医保缴费时间",
                         answer="请致电13800138000咨询。")
    assert (personal.value.code, personal.value.field) == ("FAQ_PERSONAL_DATA", "faq_answer")
    assert "手机号码" in personal.value.message and not Faq.objects.exists()
    faq = services.faq_add(actor=world.drafter_a, enquiry=enquiry, question="城乡居民医保什么时候缴费？",
                           answer="集中缴费期为每年9月至12月。")
    assert (faq.agency, faq.source) == (world.agency_a, enquiry)
    assert AuditEntry.objects.filter(action=Action.FAQ_ADD, object_id=str(faq.pk)).exists()


CONVERT = {"applicant_type": "natural", "id_type": "resident_id", "id_number": "11010519491231002X",
           "provision_form": "email"}


def test_conversion_registers_an_application_received_on_the_message_day(world, travel):
    enquiry, _ = ask(world.agency_a, subject="申请公开2025年道路维修合同",
                     body="请公开2025年县城道路维修工程的中标合同及验收报告。")
    travel(dt.date(2026, 3, 12))  # converted ten days later
    application, secret = services.convert(actor=world.drafter_a, enquiry=enquiry, data=CONVERT)
    application.refresh_from_db()
    # 第31条: received when the message arrived (Mon 2 Mar); 20 working days (第33条) end Mon 30 Mar.
    assert (application.received_on, application.due_on) == (dt.date(2026, 3, 2), dt.date(2026, 3, 30))
    assert (application.channel, application.applicant_name, application.phone) == (
        ApplicationChannel.ONLINE, "李明", "13800138000")
    assert "中标合同" in application.description
    enquiry.refresh_from_db()
    assert (enquiry.status, enquiry.application, application.source_enquiry) == (Status.CONVERTED, application, enquiry)
    assert audit_actions(enquiry)[-1] == Action.ENQUIRY_CONVERT
    assert AuditEntry.objects.filter(action=Action.CREATE, object_type="applications.application").exists()
    from gongkai.applications.models import OutgoingMail
    told = OutgoingMail.objects.filter(subject__contains=application.tracking_code).get()
    assert told.recipient == "liming@example.cn" and secret in told.body


def test_conversion_without_the_applicant_details_saves_nothing(world):
    enquiry, _ = ask(world.agency_a)
    with pytest.raises(ServiceError) as refused:
        services.convert(actor=world.drafter_a, enquiry=enquiry, data={**CONVERT, "id_number": ""})
    assert refused.value.field == "id_number"
    assert not Application.objects.exists()
    assert Enquiry.objects.get(pk=enquiry.pk).status == Status.RECEIVED


def test_a_message_for_a_closed_agency_is_refused(world):
    from gongkai.orgs import services as org_services

    org_services.agency_update(actor=world.sysadmin, agency=world.agency_b, changes={"is_active": False})
    world.agency_b.refresh_from_db()
    with pytest.raises(ServiceError) as refused:
        services.submit_online(agency=world.agency_b, data=message())
    assert refused.value.code == "AGENCY_NOT_ACCEPTING"


def test_staff_register_a_hotline_message_with_its_day(world, travel):
    travel(dt.date(2026, 3, 6))
    enquiry, secret = services.register(actor=world.drafter_a, agency=world.agency_a, data=message(),
                                        received_on=dt.date(2026, 3, 2), channel="phone")
    assert (enquiry.received_on, enquiry.due_on, enquiry.channel) == (dt.date(2026, 3, 2), dt.date(2026, 3, 9), "phone")
    assert services.find_by_code(enquiry.tracking_code, secret) == enquiry
    assert AuditEntry.objects.get(object_type="enquiries.enquiry").actor == world.drafter_a
    for day, channel in ((dt.date(2026, 3, 7), "phone"), (dt.date(2026, 3, 2), "online"), (dt.date(2026, 3, 2), "fax")):
        with pytest.raises(ServiceError):
            services.register(actor=world.drafter_a, agency=world.agency_a, data=message(), received_on=day,
                              channel=channel)
    with pytest.raises(PermissionDeniedError):
        services.register(actor=world.drafter_b, agency=world.agency_a, data=message(), received_on=dt.date(2026, 3, 2),
                          channel="letter")
    application, _ = services.convert(actor=world.drafter_a, enquiry=enquiry, data=CONVERT)
    assert (application.channel, application.received_on) == (ApplicationChannel.ORAL, dt.date(2026, 3, 2))


def answered_faq(world):
    enquiry, _ = ask(world.agency_a)
    services.answer(actor=world.drafter_a, enquiry=enquiry, text="集中缴费期为每年9月至12月。")
    return services.faq_add(actor=world.drafter_a, enquiry=enquiry, question="医保什么时候缴费？", answer="每年9月至12月。")


def test_an_faq_entry_is_corrected_with_before_and_after_in_the_audit(world):
    faq = answered_faq(world)
    faq = services.faq_update(actor=world.drafter_a, faq=faq, question="城乡居民医保什么时候缴费？",
                              answer="集中缴费期为每年9月1日至12月31日。")
    assert Faq.objects.get(pk=faq.pk).answer == "集中缴费期为每年9月1日至12月31日。"
    entry = AuditEntry.objects.get(action=Action.FAQ_UPDATE, object_id=str(faq.pk))
    assert entry.before["question"] == "医保什么时候缴费？" and entry.before["answer"] == "每年9月至12月。"
    assert entry.after["question"] == "城乡居民医保什么时候缴费？" and entry.agency == world.agency_a
    with pytest.raises(ServiceError) as unchanged:
        services.faq_update(actor=world.drafter_a, faq=faq, question=faq.question, answer=faq.answer)
    assert unchanged.value.code == "FAQ_UNCHANGED"


@pytest.mark.parametrize(("question", "answer", "code", "field"), [
    ("医保什么时候缴费？", "请致电李明13800138000咨询。", "FAQ_PERSONAL_DATA", "faq_answer"),
    ("身份证110101199003071234的缴费？", "每年9月。", "FAQ_PERSONAL_DATA", "question"),
    ("", "每年9月。", "ENQUIRY_FIELD_REQUIRED", "question"),
    ("医保缴费", "<script>alert(1)</script>", "SCRIPT_NOT_ALLOWED", "faq_answer"),
])
def test_an_faq_correction_is_screened_like_a_new_entry(world, question, answer, code, field):
    faq = answered_faq(world)
    with pytest.raises(ServiceError) as refused:
        services.faq_update(actor=world.drafter_a, faq=faq, question=question, answer=answer)
    assert (refused.value.code, refused.value.field) == (code, field)
    assert Faq.objects.get(pk=faq.pk).answer == "每年9月至12月。"
    assert not AuditEntry.objects.filter(action=Action.FAQ_UPDATE).exists()


def test_an_faq_entry_is_removed_with_a_reason_kept_in_the_audit(world):
    faq = answered_faq(world)
    with pytest.raises(ServiceError) as no_reason:
        services.faq_remove(actor=world.drafter_a, faq=faq, reason=" ")
    assert no_reason.value.field == "reason" and Faq.objects.filter(pk=faq.pk).exists()
    services.faq_remove(actor=world.drafter_a, faq=faq, reason="缴费政策已调整")
    assert not Faq.objects.filter(pk=faq.pk).exists()
    entry = AuditEntry.objects.get(action=Action.FAQ_REMOVE, object_id=str(faq.pk))
    assert entry.before["answer"] == "每年9月至12月。" and entry.after is None and entry.note == "缴费政策已调整"


@pytest.mark.parametrize("who", ["drafter_b", "leader_a"])
def test_only_the_agencys_message_staff_edit_or_remove_its_faq(world, who):
    faq = answered_faq(world)
    with pytest.raises(PermissionDeniedError):
        services.faq_update(actor=getattr(world, who), faq=faq, question="改动的问题", answer="改动的解答")
    with pytest.raises(PermissionDeniedError):
        services.faq_remove(actor=getattr(world, who), faq=faq, reason="试图删除")
    assert Faq.objects.get(pk=faq.pk).question == "医保什么时候缴费？"
    assert not AuditEntry.objects.filter(action__in=[Action.FAQ_UPDATE, Action.FAQ_REMOVE]).exists()
