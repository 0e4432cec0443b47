"""采纳情况反馈: counts from the comments, what must be filled in, the two-way link to the final
document, overdue feedback and the statistics."""

import datetime as dt

import pytest

from gongkai.audit.models import Action, AuditEntry
from gongkai.consultations import queries, services
from gongkai.consultations.models import Consultation, Status
from gongkai.consultations.tests.conftest import comment, opened
from gongkai.disclosure import services as disclosure_services
from gongkai.disclosure.tests.conftest import item_data
from gongkai.errors import PermissionDeniedError, ServiceError

pytestmark = pytest.mark.django_db
BEIJING = dt.timezone(dt.timedelta(hours=8))


def at(time_machine, day):
    time_machine.move_to(dt.datetime.combine(day, dt.time(9), tzinfo=BEIJING))


@pytest.fixture
def answered(world, time_machine):
    """A consultation run in March 2026 with three comments: two published, one held; now 1 April."""
    at(time_machine, dt.date(2026, 3, 2))
    consultation = opened(world)
    first = comment(consultation, body="建议在城东新区增设一处社区养老服务中心。")
    second = comment(consultation, body="建议把农村互助养老点纳入规划。")
    third = comment(consultation, body="与本规划无关的广告内容，请访问某某网站。")
    services.comment_moderate(actor=world.drafter_a, comment=first, publish=True)
    services.comment_moderate(actor=world.drafter_a, comment=second, publish=True)
    services.comment_moderate(actor=world.drafter_a, comment=third, publish=False, reason="与征集内容无关")
    at(time_machine, dt.date(2026, 4, 1))
    return consultation, first, second, third


def test_feedback_cannot_be_written_while_the_period_runs(world, time_machine):
    at(time_machine, dt.date(2026, 3, 2))
    consultation = opened(world)
    with pytest.raises(ServiceError) as refused:
        services.feedback_publish(actor=world.drafter_a, consultation=consultation, summary="已研究。", dispositions={})
    assert refused.value.code == "CONSULTATION_NOT_CLOSED"


def test_feedback_needs_every_public_comment_disposed_and_reasons_for_the_rest(world, answered):
    consultation, first, second, _third = answered
    with pytest.raises(ServiceError) as refused:
        services.feedback_publish(actor=world.drafter_a, consultation=consultation, summary="",
                                  dispositions={first.pk: ("adopted", "")})
    assert refused.value.code == "FEEDBACK_SUMMARY_MISSING"
    with pytest.raises(ServiceError) as refused:
        services.feedback_publish(actor=world.drafter_a, consultation=consultation, summary="共收到意见3条。",
                                  dispositions={first.pk: ("adopted", "")})
    assert refused.value.code == "DISPOSITION_MISSING" and second.receipt_code in refused.value.message
    with pytest.raises(ServiceError) as refused:
        services.feedback_publish(actor=world.drafter_a, consultation=consultation, summary="共收到意见3条。",
                                  dispositions={first.pk: ("adopted", ""), second.pk: ("not_adopted", "")})
    assert refused.value.code == "DISPOSITION_REASON_MISSING"
    # Nothing of the refused attempts stayed: no disposition, no status change.
    stored = Consultation.objects.get()
    assert stored.status == Status.OPENED and not stored.comments.exclude(disposition="").exists()


def test_pending_comments_block_the_feedback(world, time_machine):
    at(time_machine, dt.date(2026, 3, 2))
    consultation = opened(world)
    made = comment(consultation)
    at(time_machine, dt.date(2026, 4, 1))
    with pytest.raises(ServiceError) as refused:
        services.feedback_publish(actor=world.drafter_a, consultation=consultation, summary="已研究。",
                                  dispositions={made.pk: ("adopted", "")})
    assert refused.value.code == "COMMENTS_PENDING"


def test_published_feedback_counts_come_from_the_dispositions_and_are_audited(world, answered):
    consultation, first, second, _third = answered
    services.feedback_save(actor=world.drafter_a, consultation=consultation, summary="草稿说明",
                           dispositions={first.pk: ("partly", "用地紧张，先在城东新区预留用地。")})
    assert Consultation.objects.get().status == Status.OPENED
    services.feedback_publish(actor=world.drafter_a, consultation=consultation, summary="共收到意见3条，采纳情况如下。",
                              dispositions={second.pk: ("not_adopted", "农村互助养老点另行规划。")})
    stored = Consultation.objects.get()
    assert stored.status == Status.FEEDBACK_PUBLISHED and stored.feedback_published_on == dt.date(2026, 4, 1)
    assert queries.feedback_counts(stored) == queries.FeedbackCounts(received=3, published=2, held=1, adopted=0,
                                                                     partly=1, not_adopted=1)
    row = AuditEntry.objects.get(action=Action.FEEDBACK_PUBLISH)
    assert row.before["status"] == "opened" and row.after["feedback_published_on"] == "2026-04-01"
    disposition_rows = AuditEntry.objects.filter(object_type="consultations.comment", action=Action.COMMENT_DISPOSE)
    assert sorted(r.after["disposition"] for r in disposition_rows) == ["not_adopted", "partly"]
    with pytest.raises(ServiceError) as refused:
        services.feedback_publish(actor=world.drafter_a, consultation=consultation, summary="再发一次", dispositions={})
    assert refused.value.code == "FEEDBACK_ALREADY_PUBLISHED"
    with pytest.raises(ServiceError) as refused:  # the published counts stand
        services.comment_moderate(actor=world.drafter_a, comment=first, publish=False, reason="事后撤下")
    assert refused.value.code == "FEEDBACK_ALREADY_PUBLISHED"
    assert queries.feedback_counts(Consultation.objects.get()).published == 2


def test_feedback_by_another_agency_is_refused(world, answered):
    consultation, first, second, _third = answered
    with pytest.raises(PermissionDeniedError):
        services.feedback_publish(actor=world.admin_b, consultation=consultation, summary="x",
                                  dispositions={first.pk: ("adopted", ""), second.pk: ("adopted", "")})
    assert Consultation.objects.get().status == Status.OPENED


def _publish_item(desk, **overrides):
    item = disclosure_services.item_create(actor=desk.drafter_a, agency=desk.agency_a,
                                           data=item_data(desk.agency_a, **overrides))
    disclosure_services.item_submit(actor=desk.drafter_a, item=item)
    disclosure_services.item_approve(actor=desk.first_a, item=item)
    return disclosure_services.item_approve(actor=desk.second_a, item=item)


def test_the_final_document_is_linked_both_ways(desk, answered, client):
    consultation = answered[0]
    item = _publish_item(desk, title="测试县养老服务设施布局规划（2026—2030年）")
    services.final_item_link(actor=desk.drafter_a, consultation=consultation, item=item)
    assert list(queries.consultations_for_item(item)) == [consultation]
    page = client.get(f"/agencies/{desk.agency_a.code}/consultations/{consultation.pk}/").content.decode()
    assert "正式文件已发布" in page and f"/agencies/{desk.agency_a.code}/items/{item.pk}/" in page
    item_page = client.get(f"/agencies/{desk.agency_a.code}/items/{item.pk}/").content.decode()
    assert "本文件曾公开征求意见" in item_page
    assert f"/agencies/{desk.agency_a.code}/consultations/{consultation.pk}/" in item_page
    row = AuditEntry.objects.filter(object_type="consultations.consultation", action=Action.FINAL_ITEM_LINK).latest("id")
    assert row.before["final_item"] is None and row.after["final_item"] == item.pk


def test_a_final_document_must_be_public_and_of_the_same_agency(desk, answered):
    consultation = answered[0]
    draft = disclosure_services.item_create(actor=desk.drafter_a, agency=desk.agency_a, data=item_data(desk.agency_a))
    with pytest.raises(ServiceError) as refused:
        services.final_item_link(actor=desk.drafter_a, consultation=consultation, item=draft)
    assert refused.value.code == "FINAL_ITEM_INVALID"
    assert Consultation.objects.get().final_item is None


def test_an_item_without_a_consultation_shows_no_notice(desk, client, time_machine):
    at(time_machine, dt.date(2026, 4, 1))
    item = _publish_item(desk)
    assert "本文件曾公开征求意见" not in client.get(f"/agencies/{desk.agency_a.code}/items/{item.pk}/").content.decode()


def test_feedback_is_overdue_after_fifteen_working_days(world, answered, time_machine):
    consultation = answered[0]
    # Period ended Tuesday 31 March 2026; 15 working days (清明 4–6 April is a holiday) end on 22 April.
    assert queries.feedback_overdue([world.agency_a.pk], dt.date(2026, 4, 22)) == []
    late = queries.feedback_overdue([world.agency_a.pk], dt.date(2026, 4, 23))
    assert [(o.consultation, o.last_day, o.due_on) for o in late] == [(consultation, dt.date(2026, 3, 31),
                                                                      dt.date(2026, 4, 22))]
    assert queries.feedback_overdue([world.agency_b.pk], dt.date(2026, 4, 23)) == []
    # Published late, it is no longer overdue, and the statistics count it as not on time.
    at(time_machine, dt.date(2026, 4, 24))
    first, second = answered[1], answered[2]
    services.feedback_publish(actor=world.drafter_a, consultation=consultation, summary="已研究。",
                              dispositions={first.pk: ("adopted", ""), second.pk: ("adopted", "")})
    assert queries.feedback_overdue([world.agency_a.pk], dt.date(2026, 4, 24)) == []
    figures = queries.statistics([world.agency_a.pk], dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert figures == queries.Statistics(opened=1, comments_received=3, comments_published=2, comments_adopted=2,
                                         feedback_published=1, feedback_on_time=0)


def test_statistics_count_feedback_on_time_and_leave_out_drafts_and_other_periods(world, answered):
    consultation, first, second, _third = answered
    services.feedback_publish(actor=world.drafter_a, consultation=consultation, summary="已研究。",
                              dispositions={first.pk: ("adopted", ""), second.pk: ("partly", "部分采纳")})
    services.consultation_create(actor=world.drafter_a, agency=world.agency_a, data={
        "title": "未发布的草稿", "draft_body": "草稿", "starts_on": dt.date(2026, 5, 1), "ends_on": dt.date(2026, 5, 31)})
    figures = queries.statistics([world.agency_a.pk], dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert (figures.opened, figures.comments_adopted, figures.feedback_on_time) == (1, 2, 1)
    assert queries.statistics([world.agency_a.pk], dt.date(2026, 4, 1), dt.date(2026, 12, 31)).opened == 0
