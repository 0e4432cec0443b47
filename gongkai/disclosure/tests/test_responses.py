"""回应关切: the concern a response answers, the time to its first response and the late flag at
the limits (5 hours for a major event, 48 for others, clock hours), the query of late responses."""

import datetime as dt

import pytest
from django.test import override_settings
from django.urls import reverse

from gongkai.audit.models import Action, AuditEntry
from gongkai.conftest import BEIJING, on
from gongkai.disclosure import conferences, responses, services
from gongkai.disclosure.models import CatalogueNode, ConcernResponse, Genre, Item
from gongkai.disclosure.tests.conftest import item_data
from gongkai.errors import ServiceError

pytestmark = pytest.mark.django_db
H = dt.timedelta(hours=1)
SURFACED = dt.datetime(2026, 10, 12, 9, 0, tzinfo=BEIJING)


def concern_data(**overrides):
    data = {"description": "网传县城区自来水停供三天", "source_url": "https://weibo.example.cn/post/1",
            "surfaced_at": SURFACED, "level": "major", "responded_at": None, "response_channel": ""}
    data.update(overrides)
    return data


def response_draft(desk, concern=None, **overrides):
    data = item_data(desk.agency_a, **{"title": "关于城区供水情况的说明", "genre": Genre.objects.get(code="57"),
                                       "catalogue_node": CatalogueNode.objects.get(agency=desk.agency_a, code="hygq"),
                                       "written_on": dt.date(2026, 10, 12), **overrides})
    return services.item_create(actor=desk.drafter_a, agency=desk.agency_a, data=data,
                                concern=concern_data() if concern is None else concern)


def publish(desk, item):
    services.item_submit(actor=desk.drafter_a, item=item)
    services.item_approve(actor=desk.first_a, item=item)
    return services.item_approve(actor=desk.second_a, item=item)


# --- the rule as a pure function ------------------------------------------------------------

@pytest.mark.parametrize(("level", "elapsed", "late"), [
    ("major", 5 * H, False),
    ("major", 5 * H + dt.timedelta(minutes=1), True),
    ("general", 48 * H, False),
    ("general", 48 * H + dt.timedelta(minutes=1), True),
    ("general", 5 * H + dt.timedelta(minutes=1), False),
])
def test_late_only_when_over_the_limit_of_the_level(level, elapsed, late):
    assert responses.is_late(level, elapsed) is late


@override_settings(GONGKAI_CONCERN_RESPONSE_HOURS={"major": 2, "general": 24})
def test_the_limits_are_settings():
    assert responses.is_late("major", 2 * H + dt.timedelta(seconds=60))
    assert not responses.is_late("general", 24 * H)


def test_response_time_and_its_wording():
    assert responses.response_time(SURFACED, None) is None
    elapsed = responses.response_time(SURFACED, SURFACED + 5 * H + dt.timedelta(minutes=1))
    assert elapsed == dt.timedelta(hours=5, minutes=1)
    assert responses.format_elapsed(elapsed) == "5小时1分钟"
    assert responses.format_elapsed(dt.timedelta(days=2, minutes=3)) == "2天0小时3分钟"


# --- validation -----------------------------------------------------------------------------

@pytest.mark.parametrize(("overrides", "code"), [
    ({"description": "", "source_url": ""}, "CONCERN_SUBJECT_REQUIRED"),
    ({"source_url": "javascript:alert(1)"}, "CONCERN_URL_INVALID"),
    ({"surfaced_at": None}, "CONCERN_SURFACED_REQUIRED"),
    ({"surfaced_at": dt.datetime(2099, 1, 1, tzinfo=BEIJING)}, "CONCERN_SURFACED_IN_FUTURE"),
    ({"level": "urgent"}, "CONCERN_LEVEL_INVALID"),
    ({"responded_at": SURFACED - H}, "CONCERN_RESPONDED_BEFORE_SURFACED"),
    ({"description": "<script>alert(1)</script>"}, "SCRIPT_NOT_ALLOWED"),
    ({"description": "关" * 2001}, "CONCERN_DESCRIPTION_TOO_LONG"),
])
def test_bad_concern_data_is_refused_and_nothing_is_saved(desk, overrides, code):
    with pytest.raises(ServiceError) as caught:
        response_draft(desk, concern=concern_data(**overrides))
    assert caught.value.code == code
    assert not Item.objects.filter(title="关于城区供水情况的说明").exists()
    assert not ConcernResponse.objects.exists()


def test_a_concern_response_needs_its_concern_and_other_genres_refuse_one(desk):
    data = item_data(desk.agency_a, genre=Genre.objects.get(code="57"))
    with pytest.raises(ServiceError) as caught:
        services.item_create(actor=desk.drafter_a, agency=desk.agency_a, data=data)
    assert caught.value.code == "CONCERN_REQUIRED"
    with pytest.raises(ServiceError) as caught:
        services.item_create(actor=desk.drafter_a, agency=desk.agency_a, data=item_data(desk.agency_a),
                             concern=concern_data())
    assert caught.value.code == "CONCERN_GENRE_MISMATCH"


def test_concern_changes_are_audited_with_before_and_after(desk):
    item = response_draft(desk, concern=concern_data(level="general"))
    created = AuditEntry.objects.get(object_id=str(item.pk), action=Action.CREATE, object_type="disclosure.item")
    assert created.after["concern"]["level"] == "general"
    services.item_update(actor=desk.drafter_a, item=item, data={}, concern=concern_data(level="major"))
    updated = AuditEntry.objects.get(object_id=str(item.pk), action=Action.ITEM_UPDATE)
    assert updated.before["concern"]["level"] == "general" and updated.after["concern"]["level"] == "major"
    assert dt.datetime.fromisoformat(updated.after["concern"]["surfaced_at"]) == SURFACED


def test_an_edit_that_leaves_the_concern_out_keeps_it(desk):
    item = response_draft(desk)
    services.item_update(actor=desk.drafter_a, item=item, data={"summary": "更新概述"})
    assert ConcernResponse.objects.get(item=item).description == "网传县城区自来水停供三天"


def test_only_the_agencys_drafter_records_a_response(desk):
    with pytest.raises(ServiceError) as caught:
        services.item_create(actor=desk.drafter_b, agency=desk.agency_a, data=item_data(
            desk.agency_a, genre=Genre.objects.get(code="57")), concern=concern_data())
    assert caught.value.code == "PERMISSION_DENIED"


# --- response time of a published response --------------------------------------------------

@on(dt.date(2026, 10, 12), dt.time(13, 0))
def test_published_four_hours_after_a_major_concern_is_on_time(desk):
    item = publish(desk, response_draft(desk))
    timing = responses.timing(ConcernResponse.objects.get(item=item))
    assert 4 * H <= timing.elapsed < 4 * H + dt.timedelta(minutes=1)
    assert not timing.late and timing.elapsed_text == "4小时0分钟"


@on(dt.date(2026, 10, 12), dt.time(14, 1))
def test_published_five_hours_one_minute_after_a_major_concern_is_late(desk):
    item = publish(desk, response_draft(desk))
    assert responses.timing(ConcernResponse.objects.get(item=item)).late


def test_an_earlier_response_elsewhere_counts_at_exactly_five_hours(desk):
    on_time = publish(desk, response_draft(desk, concern=concern_data(responded_at=SURFACED + 5 * H,
                                                                        response_channel="县政府官方微博")))
    late = publish(desk, response_draft(desk, title="第二次说明", concern=concern_data(
        responded_at=SURFACED + 5 * H + dt.timedelta(minutes=1))))
    assert not responses.timing(ConcernResponse.objects.get(item=on_time)).late
    assert responses.timing(ConcernResponse.objects.get(item=late)).late


def test_a_major_event_needs_a_press_conference_within_24_hours(desk):
    item = publish(desk, response_draft(desk, concern=concern_data(responded_at=SURFACED + H)))
    concern = ConcernResponse.objects.get(item=item)
    assert responses.timing(concern, now=SURFACED + 23 * H).press_conference_late is False
    assert responses.timing(concern, now=SURFACED + 25 * H).press_conference_late is True
    conferences.conference_create(actor=desk.second_a, agency=desk.agency_a, data={
        "topic": "城区供水情况新闻发布会", "held_at": SURFACED + 24 * H, "speakers": "县水利局局长",
        "related_items": [item]})
    timing = responses.timing(concern, now=SURFACED + 30 * H)
    assert timing.press_conference_at == SURFACED + 24 * H and not timing.press_conference_late


# --- late responses as a query ----------------------------------------------------------------

def test_concern_responses_late_finds_late_unanswered_and_missing_press_conference(desk):
    D = dt.date
    prompt = publish(desk, response_draft(desk, title="及时回应", concern=concern_data(
        level="general", responded_at=SURFACED + 48 * H)))
    tardy = publish(desk, response_draft(desk, title="迟到回应", concern=concern_data(
        level="general", responded_at=SURFACED + 48 * H + dt.timedelta(minutes=1))))
    unanswered = response_draft(desk, title="仍是草稿", concern=concern_data(level="general"))
    major = publish(desk, response_draft(desk, title="重大事件", concern=concern_data(responded_at=SURFACED + 2 * H)))
    found = {late.concern.item_id: late for late in responses.concern_responses_late([desk.agency_a.pk], D(2026, 10, 1),
                                                                                       D(2026, 10, 31))}
    assert prompt.pk not in found
    assert "才首次回应" in found[tardy.pk].detail and found[tardy.pk].occurred_on == D(2026, 10, 14)
    assert "仍未回应" in found[unanswered.pk].detail
    assert found[major.pk].detail == "未在24小时内召开新闻发布会"
    # Looked at on the day it surfaced, the draft was not yet 48 hours old.
    same_day = responses.concern_responses_late([desk.agency_a.pk], D(2026, 10, 12), D(2026, 10, 12))
    assert unanswered.pk not in {late.concern.item_id for late in same_day}
    # Another agency's window sees none of them.
    assert responses.concern_responses_late([desk.agency_b.pk], D(2026, 10, 1), D(2026, 10, 31)) == []


# --- pages ----------------------------------------------------------------------------------

def test_staff_and_public_pages_show_the_concern_the_time_taken_and_the_flag(desk, client, login):
    item = publish(desk, response_draft(desk, concern=concern_data(responded_at=SURFACED + 5 * H + dt.timedelta(minutes=1),
                                                                     response_channel="县政府官方微博")))
    public = client.get(reverse("portal:item", args=[desk.agency_a.code, item.pk])).content.decode()
    assert "网传县城区自来水停供三天" in public and "2026年10月12日 09:00" in public
    assert "用时5小时1分钟" in public and 'id="concern-late"' in public and "县政府官方微博" in public
    login(desk.drafter_a)
    staff = client.get(reverse("disclosure_staff:item", args=[desk.agency_a.code, item.pk])).content.decode()
    assert "用时5小时1分钟" in staff and "超过时限" in staff


def test_staff_form_records_a_response_with_its_concern(desk, client, login):
    login(desk.drafter_a)
    url = reverse("disclosure_staff:item_new", args=[desk.agency_a.code])
    data = {
        "title": "关于网传停水的说明", "written_on": "2026-10-12", "topic": item_data(desk.agency_a)["topic"].pk,
        "genre": Genre.objects.get(code="57").pk, "disclosure": "proactive",
        "catalogue_node": CatalogueNode.objects.get(agency=desk.agency_a, code="hygq").pk, "body": "经核实……",
        "concern_description": "网传停水", "concern_level": "general",
    }
    refused = client.post(url, data)
    assert refused.status_code == 200 and "请填写关切出现的时间" in refused.content.decode()
    assert client.post(url, {**data, "concern_surfaced_at": "2026-10-12T08:30"}).status_code == 302
    concern = ConcernResponse.objects.get(item__title="关于网传停水的说明")
    assert concern.surfaced_at == dt.datetime(2026, 10, 12, 8, 30, tzinfo=BEIJING) and concern.level == "general"


def test_a_draft_changed_to_another_genre_drops_its_concern_and_the_audit_row_keeps_it(desk):
    item = response_draft(desk)
    services.item_update(actor=desk.drafter_a, item=item, data={"genre": Genre.objects.get(name="通知")})
    assert not ConcernResponse.objects.filter(item=item).exists()
    updated = AuditEntry.objects.get(object_id=str(item.pk), action=Action.ITEM_UPDATE)
    assert updated.before["concern"]["description"] == "网传县城区自来水停供三天" and "concern" not in updated.after
