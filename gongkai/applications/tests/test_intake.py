"""Receiving applications: validation, tracking codes, encryption at rest, double submits."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection

from gongkai.applications import intake
from gongkai.applications.models import Application, Letter, OutgoingMail, Status
from gongkai.applications.tests.conftest import applicant, register, resident_id
from gongkai.audit.models import AuditEntry
from gongkai.conftest import on
from gongkai.errors import PermissionDeniedError, ServiceError

pytestmark = pytest.mark.django_db


def test_online_submission_gets_a_code_secret_receipt_and_email(world, run_tasks):
    application, secret = intake.submit_online(agency=world.agency_a, data=applicant(), submission_key="k1")
    run_tasks()
    assert len(application.tracking_code) == 10 and secret
    assert intake.find_by_code(application.tracking_code.lower(), secret) == application
    assert intake.find_by_code(application.tracking_code, "WRONGPASS") is None
    assert application.status == Status.RECEIVED and application.due_on is not None
    receipt = Letter.objects.get(application=application)
    assert receipt.kind == "receipt" and receipt.issued_at is not None
    assert len(mail.outbox) == 1 and application.tracking_code in mail.outbox[0].body and secret in mail.outbox[0].body
    entry = AuditEntry.objects.get(object_type="applications.application", action="create")
    assert entry.actor is None and entry.actor_label == "申请人（网上）"
    assert "id_number" not in entry.after and "phone" not in entry.after


def test_identity_number_phone_and_address_are_encrypted_at_rest(world):
    application, _ = intake.submit_online(agency=world.agency_a, data=applicant(), submission_key="k2")
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone, address FROM applications_application WHERE id = %s", [application.pk])
        raw = cursor.fetchone()
    assert resident_id(7) not in raw[0] and "13912345678" not in raw[1] and "人民路" not in raw[2]
    assert Application.objects.get(pk=application.pk).id_number == resident_id(7)


def test_a_double_submit_creates_exactly_one_application(world):
    first, secret = intake.submit_online(agency=world.agency_a, data=applicant(), submission_key="same-key")
    again, no_secret = intake.submit_online(agency=world.agency_a, data=applicant(description="换了内容再次提交"),
                                            submission_key="same-key")  # the key alone names the submission
    assert again.pk == first.pk and no_secret is None and secret
    assert Application.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [({"id_number": resident_id(7)[:-1] + ("0" if resident_id(7)[-1] != "0" else "1")}, "ID_NUMBER_INVALID", "id_number"),
     ({"applicant_name": ""}, "APPLICATION_FIELD_REQUIRED", "applicant_name"),
     ({"description": ""}, "APPLICATION_FIELD_REQUIRED", "description"),
     ({"phone": "12345"}, "PHONE_INVALID", "phone"),
     ({"email": "", "provision_form": "email"}, "EMAIL_REQUIRED", "email"),
     ({"email": "zxm@example..cn"}, "EMAIL_INVALID", "email"),
     ({"email": "zxm@exa_mple.cn"}, "EMAIL_INVALID", "email"),
     ({"email": "zxm@example.cn>,<x@evil.cn"}, "EMAIL_INVALID", "email"),
     ({"address": "", "provision_form": "post"}, "ADDRESS_REQUIRED", "address"),
     ({"description": "<script>alert(1)</script>请公开"}, "SCRIPT_NOT_ALLOWED", "description"),
     ({"applicant_type": "alien"}, "APPLICANT_TYPE_INVALID", "applicant_type")],
)
def test_bad_input_is_refused_with_its_field_and_nothing_is_stored(world, overrides, code, field):
    with pytest.raises(ServiceError) as caught:
        intake.submit_online(agency=world.agency_a, data=applicant(**overrides), submission_key="bad")
    assert (caught.value.code, caught.value.field) == (code, field)
    assert Application.objects.count() == 0 and Letter.objects.count() == 0


def test_passports_are_accepted_without_a_checksum(world):
    application, _ = intake.submit_online(agency=world.agency_a, data=applicant(id_type="passport", id_number="E12345678"))
    assert application.id_type == "passport"


def test_staff_register_other_channels_with_the_receipt_date(office):
    application = register(office, received_on=dt.date(2026, 3, 7))  # a Saturday, e.g. signed for by post
    assert application.channel == "in_person" and application.handler == office.drafter_a
    assert application.due_on == dt.date(2026, 4, 3)


def test_registering_in_another_agency_is_refused(world):
    with pytest.raises(PermissionDeniedError):
        intake.register(actor=world.drafter_b, agency=world.agency_a, data=applicant(), channel="post",
                        received_on=dt.date(2026, 3, 2))


@on(dt.date(2026, 3, 4))
def test_future_receipt_date_is_refused(world):
    with pytest.raises(ServiceError) as caught:
        intake.register(actor=world.drafter_a, agency=world.agency_a, data=applicant(), channel="post",
                        received_on=dt.date(2026, 3, 7))
    assert caught.value.code == "RECEIVED_ON_INVALID"


def test_full_personal_data_only_for_handler_and_head_and_every_view_audited(office):
    application = register(office)
    leader = office.leader_a
    assert not intake.may_see_personal_data(leader, application)
    with pytest.raises(PermissionDeniedError):
        intake.reveal_personal_data(actor=leader, application=application)
    data = intake.reveal_personal_data(actor=office.admin_a, application=application)
    assert data["id_number"] == resident_id(7)
    assert AuditEntry.objects.filter(action="view_personal", actor=office.admin_a).count() == 1


def test_similar_applications_are_found(office):
    from gongkai.applications.queries import similar_to

    first = register(office)
    second = register(office, applicant_name="李四")
    assert first in list(similar_to(second))  # same opening words of the description
    by_id = register(office, applicant_name="张 晓明", description="申请获取2024年县城污水处理厂运行费用明细。")
    namesake = register(office, id_number=resident_id(8), description="申请获取2023年县道养护资金使用情况。")
    assert first in list(similar_to(by_id))  # same identity document, name typed differently
    assert first not in list(similar_to(namesake))  # same name, another person, another request


def test_a_key_answers_with_its_own_application_even_when_the_content_matches_another(world):
    first, _secret = intake.submit_online(agency=world.agency_a, data=applicant(description="请公开甲文件。"),
                                          submission_key="key-a")
    second, _secret = intake.submit_online(agency=world.agency_a, data=applicant(description="请公开乙文件。"),
                                           submission_key="key-b")
    again, none = intake.submit_online(agency=world.agency_a, data=applicant(description="请公开乙文件。"),
                                       submission_key="key-a")  # key-a resent with key-b's request
    assert again.pk == first.pk != second.pk and none is None


def test_the_same_request_from_two_tabs_is_one_application(world):
    first, secret = intake.submit_online(agency=world.agency_a, data=applicant(), submission_key="tab-1")
    second, none = intake.submit_online(agency=world.agency_a, data=applicant(description="  " + applicant()["description"]),
                                        submission_key="tab-2")
    assert second.pk == first.pk and secret and none is None
    other, other_secret = intake.submit_online(agency=world.agency_a, data=applicant(description="另一项请求：请公开某文件。"),
                                               submission_key="tab-3")
    assert other.pk != first.pk and other_secret
    # The repeats left nothing behind: no receipt, audit row, e-mail or 文号 of their own.
    from gongkai.applications.models import Letter, OutgoingMail
    from gongkai.audit.models import AuditEntry

    receipts = Letter.objects.filter(kind="receipt").order_by("id")
    assert [r.application_id for r in receipts] == [first.pk, other.pk]
    assert receipts[1].number.endswith("〕2号")
    assert AuditEntry.objects.filter(object_type="applications.application").count() == 2
    assert OutgoingMail.objects.count() == 2  # still in the outbox: the test transaction never commits


def test_staff_registration_issues_a_receipt_and_the_secret_works(world):
    application, secret = intake.register(actor=world.drafter_a, agency=world.agency_a, data=applicant(), channel="post",
                                          received_on=dt.date(2026, 3, 2))
    assert application.letters.get().kind == "receipt"
    assert intake.find_by_code(application.tracking_code, secret) == application


def test_overlong_contact_person_is_refused_before_the_database_sees_it(world):
    with pytest.raises(ServiceError) as caught:
        intake.submit_online(agency=world.agency_a, data=applicant(applicant_type="commercial", contact_person="联" * 60))
    assert (caught.value.code, caught.value.field) == ("APPLICATION_FIELD_TOO_LONG", "contact_person")


def test_the_consulted_third_party_is_not_named_to_the_applicant(world, client):
    from django.urls import reverse

    from gongkai.applications import handling

    application, secret = intake.submit_online(agency=world.agency_a, data=applicant())
    letter = handling.start_consultation(actor=world.drafter_a, application=application, party="某某建筑公司")
    handling.issue_letter(actor=world.drafter_a, letter=letter)
    client.post(reverse("apply:track"), {"code": application.tracking_code, "secret": secret})
    page = client.get(reverse("apply:status", args=[application.tracking_code])).content.decode()
    assert "某某建筑公司" not in page and "征求第三方意见" in page


def test_issued_letters_refuse_bulk_updates(world):
    application, _ = intake.submit_online(agency=world.agency_a, data=applicant())
    with pytest.raises(RuntimeError):
        Letter.objects.filter(application=application).update(body="篡改")


def test_a_retry_the_rules_would_now_refuse_still_answers_with_the_first_application(world):
    first, secret = intake.submit_online(agency=world.agency_a, data=applicant(), submission_key="kept-key")
    again, none = intake.submit_online(agency=world.agency_a, data=applicant(id_number="320102198501010000"),
                                       submission_key="kept-key")
    assert secret and none is None and again.pk == first.pk
    assert again.tracking_code == first.tracking_code and again.id_number == first.id_number  # lazily loaded


def test_codes_and_secrets_use_the_alphabet_evenly():
    from collections import Counter

    codes = [intake._new_code() for _ in range(4000)]
    assert all(len(c) == 10 for c in codes) and len(set(codes)) == len(codes)
    assert all(len(intake._new_secret()) == 8 for _ in range(100))
    seen = Counter("".join(codes))
    assert set(seen) == set(intake.CODE_ALPHABET)  # never 0, O, 1 or I; every other character used
    expected = 40_000 / len(intake.CODE_ALPHABET)  # 1,250 each; a biased draw would stray far further
    assert all(abs(n - expected) < 0.15 * expected for n in seen.values())


def test_the_outbox_refuses_an_address_that_was_not_validated(world):
    from gongkai.applications import mailing

    with pytest.raises(ServiceError) as caught:
        mailing.queue_message("a@b.cn\nBcc: everyone@example.cn", "主题", "正文")
    assert caught.value.code == "EMAIL_INVALID"
    assert not OutgoingMail.objects.exists()
