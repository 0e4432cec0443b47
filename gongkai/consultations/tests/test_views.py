"""The public and staff pages: comment journey, refusals, permissions, feeds and query counts."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from gongkai.conftest import on
from gongkai.consultations import services
from gongkai.consultations.models import Comment, Consultation, Moderation, Status
from gongkai.consultations.public_views import BURST_MESSAGE
from gongkai.consultations.tests.conftest import comment, consultation_data, opened

pytestmark = [pytest.mark.django_db, on(dt.date(2026, 3, 10))]
ATOM = "{http://www.w3.org/2005/Atom}"


def detail_url(consultation):
    return reverse("consultations_public:detail", args=[consultation.agency.code, consultation.pk])


def test_a_citizen_comments_gets_a_receipt_and_finds_the_comment_by_it(world, client):
    consultation = opened(world)
    page = client.get(detail_url(consultation)).content.decode()
    assert "第一条 为完善养老服务设施布局" in page and "正在征集" in page and 'id="comment-form"' in page
    response = client.post(detail_url(consultation), {"body": "建议在城东新区增设一处社区养老服务中心。", "phone": "13912345678"},
                           follow=True)
    receipt = Comment.objects.get().receipt_code
    assert receipt in response.content.decode() and "回执码" in response.content.decode()
    found = client.get(reverse("consultations_public:receipt"), {"code": receipt.lower()}).content.decode()
    assert "待审核" in found and "13912345678" not in found
    assert "13912345678" not in client.get(detail_url(consultation)).content.decode()


@pytest.mark.parametrize(("body", "message"), [
    ("", "请填写意见内容。"),
    ("建" * 3001, "意见内容不能超过3000字（现有3001字）"),
    ("好建议<script>alert(1)</script>", "含有脚本或嵌入代码"),
])
def test_bad_comments_are_refused_on_the_page_and_nothing_is_saved(world, client, body, message):
    consultation = opened(world)
    response = client.post(detail_url(consultation), {"body": body})
    assert response.status_code == 200 and message in response.content.decode()
    assert not Comment.objects.exists()


def test_a_burst_of_comments_is_refused_with_its_own_message(world, client, settings):
    settings.GONGKAI_COMMENT_PER_HOUR = 2
    consultation = opened(world)
    for n in range(2):
        assert client.post(detail_url(consultation), {"body": f"第{n}条意见：建议增加床位。"}).status_code == 302
    response = client.post(detail_url(consultation), {"body": "第三条意见：建议增加床位。"})
    assert response.status_code == 200 and BURST_MESSAGE in response.content.decode()
    assert Comment.objects.count() == 2


def test_a_closed_consultation_shows_no_form_and_refuses_a_post(world, client, time_machine):
    consultation = opened(world)
    time_machine.move_to(dt.datetime(2026, 4, 1, 9, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    page = client.get(detail_url(consultation)).content.decode()
    assert "征集结束" in page and 'id="comment-form"' not in page
    response = client.post(detail_url(consultation), {"body": "迟到的意见：建议增加床位。"})
    assert "征集已于2026年3月31日结束" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_draft_is_not_public(world, client):
    draft = services.consultation_create(actor=world.drafter_a, agency=world.agency_a, data=consultation_data())
    assert client.get(detail_url(draft)).status_code == 404
    assert draft.title not in client.get(reverse("consultations_public:all")).content.decode()


def test_lists_show_open_and_past_consultations(world, client):
    current = opened(world)
    past = services.consultation_create(actor=world.drafter_a, agency=world.agency_a, data=consultation_data(
        title="往期：测试县殡葬设施规划征求意见", starts_on=dt.date(2026, 1, 5), ends_on=dt.date(2026, 2, 5),
        accepts_online=False))
    services.consultation_open(actor=world.drafter_a, consultation=past)
    everywhere = client.get(reverse("consultations_public:all")).content.decode()
    open_part = everywhere.split('id="open-consultations"')[1].split("</ul>")[0]
    assert current.title in open_part and past.title not in open_part and past.title in everywhere
    agency_page = client.get(reverse("consultations_public:agency", args=[world.agency_a.code])).content.decode()
    assert current.title in agency_page and past.title in agency_page


def test_the_feeds_are_valid_atom(world, client):
    consultation = opened(world)
    for url in (reverse("consultations_public:feed"), reverse("consultations_public:agency_feed",
                                                              args=[world.agency_a.code])):
        response = client.get(url)
        assert response["Content-Type"].startswith("application/atom+xml")
        root = ET.fromstring(response.content)
        assert root.tag == f"{ATOM}feed" and root.find(f"{ATOM}title").text
        entries = root.findall(f"{ATOM}entry")
        assert [e.find(f"{ATOM}title").text for e in entries] == [consultation.title]
        assert entries[0].find(f"{ATOM}link").get("href").endswith(detail_url(consultation))
        assert entries[0].find(f"{ATOM}id").text and entries[0].find(f"{ATOM}updated").text
    other = ET.fromstring(client.get(reverse("consultations_public:agency_feed", args=[world.agency_b.code])).content)
    assert other.findall(f"{ATOM}entry") == []


def test_staff_pages_need_a_login_and_the_right_agency(world, client, login):
    consultation = opened(world)
    url = reverse("consultations_staff:detail", args=[world.agency_a.code, consultation.pk])
    assert client.get(url).status_code == 302  # to the sign-in page
    login(world.drafter_b)
    assert client.get(url).status_code == 404
    assert client.post(reverse("consultations_staff:close", args=[world.agency_a.code, consultation.pk]),
                       {"reason": "试图关闭"}).status_code == 404
    login(world.leader_a)  # sees the agency's work but may not run consultations
    assert client.get(url).status_code == 200
    assert client.post(reverse("consultations_staff:close", args=[world.agency_a.code, consultation.pk]),
                       {"reason": "试图关闭"}).status_code == 403
    assert client.get(reverse("consultations_staff:new", args=[world.agency_a.code])).status_code == 403
    assert Consultation.objects.get().closed_early_on is None


def test_staff_create_open_moderate_and_publish_feedback_through_the_pages(world, client, login, time_machine):
    login(world.drafter_a)
    data = {k: ("" if v is None else v) for k, v in consultation_data().items() if k != "accepts_online"}
    data.update(accepts_online="on", starts_on="2026-03-10", ends_on="2026-03-20", decision_entry="")
    response = client.post(reverse("consultations_staff:new", args=[world.agency_a.code]), data)
    consultation = Consultation.objects.get()
    assert response.status_code == 302 and consultation.status == Status.DRAFT
    client.post(reverse("consultations_staff:open", args=[world.agency_a.code, consultation.pk]))
    made = comment(consultation)
    queue = client.get(reverse("consultations_staff:queue", args=[world.agency_a.code])).content.decode()
    assert made.receipt_code in queue
    client.post(reverse("consultations_staff:moderate", args=[world.agency_a.code, made.pk]), {"decision": "publish"})
    assert Comment.objects.get().moderation == Moderation.PUBLISHED
    time_machine.move_to(dt.datetime(2026, 3, 23, 9, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    login(world.drafter_a)  # the session of 10 March has expired
    url = reverse("consultations_staff:feedback", args=[world.agency_a.code, consultation.pk])
    refused = client.post(url, {"summary": "共收到意见1条。", f"d-{made.pk}": "not_adopted", f"r-{made.pk}": "",
                                "publish": "1"}, follow=True)
    assert "请说明理由" in refused.content.decode() and Consultation.objects.get().status == Status.OPENED
    client.post(url, {"summary": "共收到意见1条。", f"d-{made.pk}": "adopted", f"r-{made.pk}": "", "publish": "1"})
    assert Consultation.objects.get().status == Status.FEEDBACK_PUBLISHED
    public = client.get(detail_url(consultation)).content.decode()
    assert "意见采纳情况反馈" in public and "共收到意见1条，公开1条；采纳1条" in public


def test_the_staff_list_flags_overdue_feedback_with_bounded_queries(world, login, time_machine,
                                                                    django_assert_max_num_queries):
    for n in range(3):
        made = opened(world, title=f"征集{n}", ends_on=dt.date(2026, 3, 12))
        comment(made)
    time_machine.move_to(dt.datetime(2026, 4, 10, 9, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    client = login(world.drafter_a)
    url = reverse("consultations_staff:list", args=[world.agency_a.code])
    with django_assert_max_num_queries(30):
        page = client.get(url).content.decode()
    assert 'id="feedback-overdue"' in page and "应于2026年4月2日前发布采纳情况" in page


def test_attachments_are_served_only_once_the_consultation_is_public(world, client):
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
    draft = services.consultation_create(actor=world.drafter_a, agency=world.agency_a, data=consultation_data(),
                                         files=[("规划草案.pdf", pdf)])
    stored = draft.attachments.get()
    url = reverse("consultations_public:attachment", args=[world.agency_a.code, draft.pk, stored.pk])
    assert client.get(url).status_code == 404
    services.consultation_open(actor=world.drafter_a, consultation=draft)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == pdf
    assert "规划草案.pdf" in client.get(detail_url(draft)).content.decode()
