"""Comments from the public: only during the period, checked before anything is written,
contact data encrypted at rest, moderation with reasons."""

import datetime as dt

import pytest
from django.db import connection

from gongkai.audit.models import Action, AuditEntry
from gongkai.conftest import on
from gongkai.consultations import services
from gongkai.consultations.models import Channel, Comment, Moderation
from gongkai.consultations.tests.conftest import comment, opened
from gongkai.errors import PermissionDeniedError, ServiceError

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation(world):
    return opened(world)


@on(dt.date(2026, 3, 2))
def test_a_comment_on_the_first_day_is_stored_with_a_receipt_code_and_audited(consultation):
    made = comment(consultation, name="李四", phone="13912345678", email="ls@example.cn")
    assert len(made.receipt_code) == 10 and made.received_on == dt.date(2026, 3, 2)
    assert made.moderation == Moderation.PENDING and made.channel == Channel.ONLINE
    row = AuditEntry.objects.get(object_type="consultations.comment")
    assert row.actor is None and row.actor_label == "公众（网上）" and row.after["receipt_code"] == made.receipt_code
    assert "13912345678" not in str(row.after)


@on(dt.date(2026, 3, 2))
def test_contact_data_is_encrypted_at_rest(consultation):
    made = comment(consultation, phone="13912345678", email="ls@example.cn")
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, email FROM consultations_comment WHERE id = %s", [made.pk])
        phone, email = cursor.fetchone()
    assert "13912345678" not in phone and "ls@example.cn" not in email
    stored = Comment.objects.get(pk=made.pk)
    assert (stored.phone, stored.email) == ("13912345678", "ls@example.cn")


@pytest.mark.parametrize(("day", "code"), [
    (dt.date(2026, 3, 1), "CONSULTATION_NOT_STARTED"),
    (dt.date(2026, 4, 1), "CONSULTATION_CLOSED"),
])
def test_a_comment_outside_the_period_is_refused(world, day, code, time_machine):
    time_machine.move_to(dt.datetime(2026, 2, 20, 9, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    consultation = opened(world)
    time_machine.move_to(dt.datetime.combine(day, dt.time(9), tzinfo=dt.timezone(dt.timedelta(hours=8))))
    with pytest.raises(ServiceError) as refused:
        comment(consultation)
    assert refused.value.code == code
    assert ("2026年3月2日" if code == "CONSULTATION_NOT_STARTED" else "2026年3月31日") in refused.value.message
    assert not Comment.objects.exists()


@on(dt.date(2026, 3, 31), dt.time(23, 59))
def test_the_last_day_is_open_until_midnight(consultation):
    assert comment(consultation).received_on == dt.date(2026, 3, 31)


@on(dt.date(2026, 3, 2))
@pytest.mark.parametrize(("data", "code", "field"), [
    ({"body": ""}, "COMMENT_EMPTY", "body"),
    ({"body": "   \n "}, "COMMENT_EMPTY", "body"),
    ({"body": "好"}, "COMMENT_TOO_SHORT", "body"),
    ({"body": "建" * 3001}, "COMMENT_TOO_LONG", "body"),
    ({"body": "建议增加养老床位<script>alert(1)</script>"}, "SCRIPT_NOT_ALLOWED", "body"),
    ({"body": "建议增加养老床位<img src=x onerror=alert(1)>"}, "SCRIPT_NOT_ALLOWED", "body"),
    ({"body": "建议增加养老床位", "name": "<svg/onload=alert(1)>"}, "SCRIPT_NOT_ALLOWED", "name"),
    ({"body": "建议增加养老床位", "phone": "call me"}, "PHONE_INVALID", "phone"),
    ({"body": "建议增加养老床位", "email": "not-an-address"}, "EMAIL_INVALID", "email"),
    ({"body": "建议增加养老床位", "name": "名" * 51}, "NAME_TOO_LONG", "name"),
])
def test_bad_input_is_refused_with_its_own_message_and_nothing_saved(consultation, data, code, field):
    with pytest.raises(ServiceError) as refused:
        services.comment_submit(consultation=consultation, data=data)
    assert (refused.value.code, refused.value.field) == (code, field)
    assert refused.value.message
    assert not Comment.objects.exists()
    assert not AuditEntry.objects.filter(object_type="consultations.comment").exists()


@on(dt.date(2026, 3, 2))
def test_plain_angle_brackets_are_text_not_markup(consultation):
    made = comment(consultation, body="建议床位数 >= 500，且每千人 < 10 张的乡镇优先。")
    assert made.body == "建议床位数 >= 500，且每千人 < 10 张的乡镇优先。"


@on(dt.date(2026, 3, 2))
def test_a_name_is_required_only_when_the_consultation_asks_for_it(world):
    named = opened(world, requires_name=True)
    with pytest.raises(ServiceError) as refused:
        comment(named)
    assert refused.value.code == "NAME_REQUIRED"
    assert comment(named, name="测试县老年协会").name == "测试县老年协会"
    assert comment(opened(world)).name == ""


@on(dt.date(2026, 3, 2))
def test_an_offline_only_consultation_refuses_online_comments(world):
    offline = opened(world, accepts_online=False)
    with pytest.raises(ServiceError) as refused:
        comment(offline)
    assert refused.value.code == "ONLINE_NOT_ACCEPTED"


@on(dt.date(2026, 3, 10))
def test_staff_register_a_letter_within_the_period_only(world, consultation):
    letter = services.comment_register(actor=world.drafter_a, consultation=consultation, channel="letter",
                                       received_on=dt.date(2026, 3, 5), data={"body": "建议明确养老设施用地指标。"})
    assert letter.channel == Channel.LETTER and letter.received_on == dt.date(2026, 3, 5)
    with pytest.raises(ServiceError) as refused:
        services.comment_register(actor=world.drafter_a, consultation=consultation, channel="letter",
                                  received_on=dt.date(2026, 3, 1), data={"body": "建议明确养老设施用地指标。"})
    assert refused.value.code == "RECEIVED_OUTSIDE_PERIOD"
    with pytest.raises(PermissionDeniedError):
        services.comment_register(actor=world.drafter_b, consultation=consultation, channel="letter",
                                  received_on=dt.date(2026, 3, 5), data={"body": "建议明确养老设施用地指标。"})
    assert Comment.objects.count() == 1


@on(dt.date(2026, 3, 2))
def test_publishing_masks_personal_data_and_holding_needs_a_reason(world, consultation):
    made = comment(consultation, body="我家在人民路，电话13912345678，建议就近建设日间照料中心。")
    with pytest.raises(ServiceError) as refused:
        services.comment_moderate(actor=world.drafter_a, comment=made, publish=False, reason="")
    assert refused.value.code == "HOLD_REASON_MISSING"
    assert Comment.objects.get().moderation == Moderation.PENDING
    services.comment_moderate(actor=world.drafter_a, comment=made, publish=True)
    stored = Comment.objects.get()
    assert stored.moderation == Moderation.PUBLISHED and "13912345678" not in stored.public_body
    assert "日间照料中心" in stored.public_body
    services.comment_moderate(actor=world.drafter_a, comment=made, publish=False, reason="含有个人信息，已电话联系本人。")
    stored = Comment.objects.get()
    assert stored.moderation == Moderation.HELD and stored.public_body == ""
    rows = AuditEntry.objects.filter(action=Action.COMMENT_MODERATE).order_by("id")
    assert [(r.before["moderation"], r.after["moderation"]) for r in rows] == [("pending", "published"),
                                                                             ("published", "held")]


@on(dt.date(2026, 3, 2))
def test_moderation_by_another_agency_is_refused(world, consultation):
    made = comment(consultation)
    with pytest.raises(PermissionDeniedError):
        services.comment_moderate(actor=world.admin_b, comment=made, publish=True)
    assert Comment.objects.get().moderation == Moderation.PENDING

