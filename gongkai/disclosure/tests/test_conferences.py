"""新闻发布会 records: who may keep them, what is checked, the audit rows, the public pages."""

import datetime as dt

import pytest
from django.urls import reverse

from gongkai.audit.models import Action, AuditEntry
from gongkai.conftest import BEIJING
from gongkai.disclosure import conferences, services
from gongkai.disclosure.models import CatalogueNode, Genre, PressConference
from gongkai.disclosure.tests.conftest import item_data
from gongkai.errors import PermissionDeniedError, ServiceError

pytestmark = pytest.mark.django_db
HELD = dt.datetime(2026, 10, 13, 10, 0, tzinfo=BEIJING)


def publish(desk, **overrides):
    item = services.item_create(actor=desk.drafter_a, agency=desk.agency_a, data=item_data(desk.agency_a, **overrides))
    services.item_submit(actor=desk.drafter_a, item=item)
    services.item_approve(actor=desk.first_a, item=item)
    return services.item_approve(actor=desk.second_a, item=item)


def data(**overrides):
    base = {"topic": "2026年县级预算执行情况新闻发布会", "held_at": HELD, "place": "县政府新闻发布厅",
            "speakers": "县财政局局长 王某某\n县财政局预算股股长 李某某", "summary": "通报前三季度预算执行情况。"}
    base.update(overrides)
    return base


def test_only_the_second_reviewer_keeps_records_as_they_are_public_at_once(desk):
    for actor in (desk.drafter_a, desk.first_a, desk.drafter_b):
        with pytest.raises(PermissionDeniedError):
            conferences.conference_create(actor=actor, agency=desk.agency_a, data=data())
    assert not PressConference.objects.exists()
    conference = conferences.conference_create(actor=desk.second_a, agency=desk.agency_a, data=data())
    assert conference.speaker_list() == ["县财政局局长 王某某", "县财政局预算股股长 李某某"]
    with pytest.raises(PermissionDeniedError):
        conferences.conference_update(actor=desk.drafter_a, conference=conference, data=data(topic="改"))


@pytest.mark.parametrize(("overrides", "code"), [
    ({"topic": " "}, "CONFERENCE_TOPIC_REQUIRED"),
    ({"speakers": ""}, "CONFERENCE_SPEAKERS_REQUIRED"),
    ({"held_at": None}, "CONFERENCE_HELD_AT_REQUIRED"),
    ({"video_url": "javascript:alert(1)"}, "CONFERENCE_VIDEO_URL_INVALID"),
    ({"summary": "<iframe src=x></iframe>"}, "SCRIPT_NOT_ALLOWED"),
    ({"topic": "题" * 201}, "CONFERENCE_FIELD_TOO_LONG"),
])
def test_bad_records_are_refused(desk, overrides, code):
    with pytest.raises(ServiceError) as caught:
        conferences.conference_create(actor=desk.second_a, agency=desk.agency_a, data=data(**overrides))
    assert caught.value.code == code
    assert not PressConference.objects.exists()


def test_the_transcript_is_an_item_of_genre_press_conference_of_the_same_agency(desk):
    notice = publish(desk, title="普通通知")
    with pytest.raises(ServiceError) as caught:
        conferences.conference_create(actor=desk.second_a, agency=desk.agency_a, data=data(transcript=notice))
    assert caught.value.code == "CONFERENCE_TRANSCRIPT_INVALID"
    transcript = publish(desk, title="发布会文字实录", genre=Genre.objects.get(code="58"))
    conference = conferences.conference_create(actor=desk.second_a, agency=desk.agency_a,
                                               data=data(transcript=transcript))
    assert conference.transcript == transcript


def test_related_items_must_be_public(desk):
    draft = services.item_create(actor=desk.drafter_a, agency=desk.agency_a, data=item_data(desk.agency_a, title="草稿"))
    with pytest.raises(ServiceError) as caught:
        conferences.conference_create(actor=desk.second_a, agency=desk.agency_a, data=data(related_items=[draft]))
    assert caught.value.code == "CONFERENCE_RELATED_INVALID"


def test_create_update_delete_are_audited_with_before_and_after(desk):
    policy = publish(desk, title="预算公开管理办法")
    conference = conferences.conference_create(actor=desk.second_a, agency=desk.agency_a, data=data())
    conferences.conference_update(actor=desk.second_a, conference=conference,
                                  data=data(topic="预算执行情况发布会（更正）", related_items=[policy]))
    with pytest.raises(ServiceError) as caught:
        conferences.conference_delete(actor=desk.second_a, conference=conference, reason=" ")
    assert caught.value.code == "CONFERENCE_DELETE_REASON_REQUIRED"
    conferences.conference_delete(actor=desk.second_a, conference=conference, reason="重复登记")
    rows = list(AuditEntry.objects.filter(object_type="disclosure.pressconference").order_by("id"))
    assert [r.action for r in rows] == [Action.CREATE, Action.CONFERENCE_UPDATE, Action.DELETE]
    assert rows[1].before["topic"] == "2026年县级预算执行情况新闻发布会"
    assert rows[1].after["topic"] == "预算执行情况发布会（更正）" and rows[1].after["related_items"] == [policy.pk]
    assert rows[2].note == "重复登记" and rows[2].agency_id == desk.agency_a.pk
    assert not PressConference.objects.exists()


def test_public_list_and_page_show_only_public_links(desk, client):
    policy = publish(desk, title="预算公开管理办法", catalogue_node=CatalogueNode.objects.get(agency=desk.agency_a,
                                                                                       code="xzgfxwj"))
    transcript = services.item_create(actor=desk.drafter_a, agency=desk.agency_a, data=item_data(
        desk.agency_a, title="发布会实录（审核中）", genre=Genre.objects.get(code="58")))
    conference = conferences.conference_create(actor=desk.second_a, agency=desk.agency_a, data=data(
        transcript=transcript, related_items=[policy], video_url="https://v.example.cn/fbh/1"))
    listing = client.get(reverse("portal:conferences", args=[desk.agency_a.code])).content.decode()
    assert conference.topic in listing and "2026-10-13 10:00" in listing
    page = client.get(reverse("portal:conference", args=[desk.agency_a.code, conference.pk])).content.decode()
    assert "县财政局局长 王某某" in page and "县政府新闻发布厅" in page and "2026年10月13日 10:00" in page
    assert policy.title in page and "https://v.example.cn/fbh/1" in page
    assert transcript.title not in page  # not yet published
    # The policy's page links back to the conference.
    policy_page = client.get(reverse("portal:item", args=[desk.agency_a.code, policy.pk])).content.decode()
    assert reverse("portal:conference", args=[desk.agency_a.code, conference.pk]) in policy_page
    assert "sitemap-conferences.xml" in client.get(reverse("portal:sitemap")).content.decode()
    assert reverse("portal:conference", args=[desk.agency_a.code, conference.pk]) in client.get(
        reverse("portal:sitemap_section", args=["conferences"])).content.decode()
    # Another agency's address does not show it.
    assert client.get(reverse("portal:conference", args=[desk.agency_b.code, conference.pk])).status_code == 404


def test_staff_pages_create_and_list(desk, client, login):
    login(desk.second_a)
    url = reverse("disclosure_staff:conference_new", args=[desk.agency_a.code])
    refused = client.post(url, {"topic": "发布会", "held_at": "2026-10-13T10:00", "speakers": "局长",
                                "video_url": "ftp://x.example.cn/v"})
    assert refused.status_code == 200 and "应为以 https:// 或 http:// 开头的网址" in refused.content.decode()
    saved = client.post(url, {"topic": "发布会", "held_at": "2026-10-13T10:00", "speakers": "局长"})
    assert saved.status_code == 302
    assert PressConference.objects.get().held_at == HELD
    listing = client.get(reverse("disclosure_staff:conferences", args=[desk.agency_a.code])).content.decode()
    assert "发布会" in listing and "登记新闻发布会" in listing
    client.logout()
    login(desk.drafter_a)
    assert client.get(url).status_code == 403
