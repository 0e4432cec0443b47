import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.test import override_settings
from django.urls import reverse

from gongkai.applications.models import Application
from gongkai.conftest import on
from gongkai.enquiries import services
from gongkai.enquiries.models import Enquiry, Faq, Status
from gongkai.enquiries.tests.conftest import ask, message
from gongkai.enquiries.tests.test_services import CONVERT

pytestmark = [pytest.mark.django_db, on(dt.date(2026, 3, 2))]
ATOM = "{http://www.w3.org/2005/Atom}"


def form_data(**overrides):
    data = message(**overrides)
    data["allow_publish"] = "on" if data["allow_publish"] else ""
    return data


def test_a_citizen_asks_and_sees_code_secret_and_deadline(client, world):
    response = client.post(reverse("enquiries_public:ask", args=[world.agency_a.code]), form_data(), follow=True)
    enquiry = Enquiry.objects.get()
    page = response.content.decode()
    assert enquiry.tracking_code in page and "2026年3月9日" in page and 'id="tracking-secret"' in page
    # The secret is shown once: the page again shows no secret.
    again = client.get(reverse("enquiries_public:status", args=[enquiry.tracking_code])).content.decode()
    assert 'id="tracking-secret"' not in again


def test_the_government_wide_form_lets_the_citizen_pick_the_agency(client, world):
    response = client.post(reverse("enquiries_public:ask_any"), form_data(agency=world.agency_b.pk))
    assert response.status_code == 302
    assert Enquiry.objects.get().agency == world.agency_b
    missing = client.post(reverse("enquiries_public:ask_any"), form_data())
    assert "请选择留言给哪个机关" in missing.content.decode()


def test_the_form_shows_every_problem_at_once_and_saves_nothing(client, world):
    response = client.post(reverse("enquiries_public:ask", args=[world.agency_a.code]),
                           form_data(subject="", body="<script>alert(1)</script>看看", phone="", email=""))
    page = response.content.decode()
    assert "请填写“标题”" in page and "含有脚本" in page and "请至少填写联系电话或电子邮箱" in page
    assert not Enquiry.objects.exists()


@override_settings(GONGKAI_ENQUIRY_PER_HOUR=2)
def test_a_burst_is_refused_and_the_refused_attempt_saves_nothing(client, world):
    url = reverse("enquiries_public:ask", args=[world.agency_a.code])
    for n in range(2):
        assert client.post(url, form_data(subject=f"第{n}次留言测试")).status_code == 302
    third = client.post(url, form_data(subject="第三次留言测试"))
    assert "留言过于频繁" in third.content.decode()
    assert Enquiry.objects.count() == 2


def test_tracking_shows_the_refusal_and_its_reason(client, world):
    enquiry, secret = ask(world.agency_a)
    services.refuse(actor=world.drafter_a, enquiry=enquiry, reason="out_of_scope", text="请向县市场监管局反映")
    wrong = client.post(reverse("enquiries_public:track"), {"code": enquiry.tracking_code, "secret": "AAAAAAAA"})
    assert "查询码或查询密码不正确" in wrong.content.decode()
    page = client.post(reverse("enquiries_public:track"), {"code": enquiry.tracking_code, "secret": secret},
                       follow=True).content.decode()
    assert "不予受理" in page and "超出受理范围：请向县市场监管局反映" in page


def test_an_untracked_status_page_is_not_found(client, world):
    enquiry, _secret = ask(world.agency_a)
    assert client.get(reverse("enquiries_public:status", args=[enquiry.tracking_code])).status_code == 404


def test_tracking_shows_the_transfer(client, world):
    enquiry, secret = ask(world.agency_a)
    services.transfer(actor=world.drafter_a, enquiry=enquiry, to_agency=world.agency_b, note="属教育局职责")
    page = client.post(reverse("enquiries_public:track"), {"code": enquiry.tracking_code, "secret": secret},
                       follow=True).content.decode()
    assert "由测试县财政局转测试县教育局办理（属教育局职责）" in page


def test_tracking_shows_the_new_application_and_opens_its_status(client, world):
    enquiry, secret = ask(world.agency_a)
    application, _ = services.convert(actor=world.drafter_a, enquiry=enquiry, data=CONVERT)
    page = client.post(reverse("enquiries_public:track"), {"code": enquiry.tracking_code, "secret": secret},
                       follow=True).content.decode()
    assert application.tracking_code in page and "第三十一条" in page
    assert client.get(reverse("apply:status", args=[application.tracking_code])).status_code == 200


def test_public_pages_show_published_answers_only(client, world):
    public, _ = ask(world.agency_a, subject="公开的咨询标题")
    private, _ = ask(world.agency_a, subject="不公开的咨询标题", allow_publish=False)
    services.answer(actor=world.drafter_a, enquiry=public, text="公开的答复内容。")
    services.answer(actor=world.drafter_a, enquiry=private, text="不公开的答复内容。")
    listing = client.get(reverse("enquiries_public:agency", args=[world.agency_a.code])).content.decode()
    assert "公开的咨询标题" in listing and "不公开的咨询标题" not in listing
    detail = client.get(reverse("enquiries_public:detail", args=[world.agency_a.code, public.pk])).content.decode()
    # 互动交流: 受理日期、答复日期、答复部门、答复内容; never the asker's contact data.
    assert "2026年3月2日" in detail and "测试县财政局" in detail and "公开的答复内容" in detail
    assert "13800138000" not in detail and "李明" not in detail
    assert client.get(reverse("enquiries_public:detail", args=[world.agency_a.code, private.pk])).status_code == 404
    column = client.get(reverse("enquiries_public:column")).content.decode()
    assert "公开的咨询标题" in column


def test_faq_and_statistics_pages(client, world):
    enquiry, _ = ask(world.agency_a)
    services.answer(actor=world.drafter_a, enquiry=enquiry, text="每年9月至12月。")
    services.faq_add(actor=world.drafter_a, enquiry=enquiry, question="医保什么时候缴费？", answer="每年9月至12月。")
    assert "医保什么时候缴费？" in client.get(reverse("enquiries_public:faq", args=[world.agency_a.code])).content.decode()
    stats = client.get(reverse("enquiries_public:stats", args=[world.agency_a.code])).content.decode()
    assert "受理留言</th><td>1<" in stats and "按时答复</th><td>1（100.0%）" in stats


def test_feeds_are_valid_atom_with_published_answers(client, world):
    public, _ = ask(world.agency_a, subject="公开的咨询标题")
    private, _ = ask(world.agency_a, subject="不公开的咨询标题", allow_publish=False)
    services.answer(actor=world.drafter_a, enquiry=public, text="公开的答复内容。")
    services.answer(actor=world.drafter_a, enquiry=private, text="不公开的答复内容。")
    for url in (reverse("enquiries_public:feed", args=[world.agency_a.code]), reverse("enquiries_public:feed_all")):
        response = client.get(url)
        assert response["Content-Type"].startswith("application/atom+xml")
        root = ET.fromstring(response.content)
        assert root.tag == f"{ATOM}feed"
        entries = root.findall(f"{ATOM}entry")
        assert [e.find(f"{ATOM}title").text for e in entries] == ["[咨询] 公开的咨询标题"]
        assert entries[0].find(f"{ATOM}updated").text.startswith("2026-03-02")
        assert entries[0].find(f"{ATOM}link").get("href").endswith(f"/enquiries/{public.pk}/")
    assert client.get(reverse("enquiries_public:feed", args=["NOSUCH"])).status_code == 404


def test_staff_pages_need_a_sign_in_and_the_right_agency(client, world, login):
    enquiry, _ = ask(world.agency_a)
    inbox = reverse("enquiries_staff:inbox", args=[world.agency_a.code])
    assert client.get(inbox).status_code == 302  # anonymous: to the sign-in page
    answer = reverse("enquiries_staff:act", args=[world.agency_a.code, enquiry.pk, "answer"])
    assert client.post(answer, {"answer": "匿名答复"}).status_code == 302
    login(world.drafter_b)
    assert client.get(inbox).status_code == 404  # another agency: not confirmed to exist
    assert client.get(reverse("enquiries_staff:message", args=[world.agency_b.code, enquiry.pk])).status_code == 404
    assert client.post(answer, {"answer": "别的机关的答复"}).status_code == 404
    login(world.leader_a)  # sees the agency's work, may not answer messages
    assert client.get(inbox).status_code == 403
    assert Enquiry.objects.get().status == Status.RECEIVED


def test_staff_answer_from_the_workbench(client, world, login):
    enquiry, _ = ask(world.agency_a)
    login(world.drafter_a)
    inbox = client.get(reverse("enquiries_staff:inbox", args=[world.agency_a.code])).content.decode()
    assert enquiry.tracking_code in inbox
    page = client.get(reverse("enquiries_staff:message", args=[world.agency_a.code, enquiry.pk])).content.decode()
    assert "答复期限" in page and "138****8000" in page and "13800138000" not in page
    url = reverse("enquiries_staff:act", args=[world.agency_a.code, enquiry.pk, "answer"])
    empty = client.post(url, {"answer": " "}, follow=True).content.decode()
    assert "请填写“答复内容”" in empty
    client.post(url, {"answer": "集中缴费期为每年9月至12月。"})
    assert Enquiry.objects.get().status == Status.ANSWERED
    client.post(reverse("enquiries_staff:act", args=[world.agency_a.code, enquiry.pk, "faq"]),
                {"question": "医保什么时候缴费？", "faq_answer": "集中缴费期为每年9月至12月。"})
    assert Faq.objects.get().question == "医保什么时候缴费？"


def test_staff_convert_links_both_ways(client, world, login):
    enquiry, _ = ask(world.agency_a)
    login(world.drafter_a)
    client.post(reverse("enquiries_staff:act", args=[world.agency_a.code, enquiry.pk, "convert"]), CONVERT)
    application = Application.objects.get()
    page = client.get(reverse("enquiries_staff:message", args=[world.agency_a.code, enquiry.pk])).content.decode()
    assert reverse("applications_staff:case", args=[world.agency_a.code, application.pk]) in page
    case = client.get(reverse("applications_staff:case", args=[world.agency_a.code, application.pk])).content.decode()
    assert reverse("enquiries_staff:message", args=[world.agency_a.code, enquiry.pk]) in case


def test_the_inbox_flags_overdue_messages(client, world, login, travel):
    late, _ = ask(world.agency_a)
    travel(dt.date(2026, 3, 10))
    ask(world.agency_a)
    login(world.drafter_a)
    page = client.get(reverse("enquiries_staff:inbox", args=[world.agency_a.code])).content.decode()
    assert page.count('class="row-overdue"') == 1 and "1条留言已超过答复时限" in page


def test_list_pages_do_not_grow_queries_with_rows(client, world, django_assert_max_num_queries):
    for n in range(12):
        enquiry, _ = ask(world.agency_a, subject=f"第{n}条公开咨询")
        services.answer(actor=world.drafter_a, enquiry=enquiry, text="答复。")
    with django_assert_max_num_queries(8):
        client.get(reverse("enquiries_public:agency", args=[world.agency_a.code]))
    with django_assert_max_num_queries(8):
        client.get(reverse("enquiries_public:column"))


def test_staff_register_a_phone_message_and_see_the_secret_once(client, world, login):
    login(world.drafter_a)
    url = reverse("enquiries_staff:register", args=[world.agency_a.code])
    assert "留言渠道" in client.get(url).content.decode()
    future = client.post(url, {**form_data(), "channel": "phone", "received_on": "2026-03-03"})
    assert "受理日期不能为空或晚于今天" in future.content.decode() and not Enquiry.objects.exists()
    response = client.post(url, {**form_data(), "channel": "phone", "received_on": "2026-02-27"}, follow=True)
    enquiry = Enquiry.objects.get()
    # Sat 28 Feb 2026 is a 调休 working day (Spring Festival): day 1, then 2-5 Mar.
    assert (enquiry.channel, enquiry.received_on, enquiry.due_on) == ("phone", dt.date(2026, 2, 27), dt.date(2026, 3, 5))
    assert "查询密码" in response.content.decode()


def test_staff_edit_and_remove_faq_entries_and_the_public_page_follows(client, world, login):
    enquiry, _ = ask(world.agency_a)
    services.answer(actor=world.drafter_a, enquiry=enquiry, text="集中缴费期为每年9月至12月。")
    faq = services.faq_add(actor=world.drafter_a, enquiry=enquiry, question="医保什么时候缴费？", answer="每年9月至12月。")
    public = reverse("enquiries_public:faq", args=[world.agency_a.code])
    login(world.drafter_a)
    inbox = client.get(reverse("enquiries_staff:inbox", args=[world.agency_a.code])).content.decode()
    manage = reverse("enquiries_staff:faqs", args=[world.agency_a.code])
    assert manage in inbox
    assert "医保什么时候缴费？" in client.get(manage).content.decode()
    edit = reverse("enquiries_staff:faq_edit", args=[world.agency_a.code, faq.pk])
    refused = client.post(edit, {"question": "医保缴费", "faq_answer": "请联系13800138000。"}, follow=True)
    assert "含有个人信息" in refused.content.decode()
    client.post(edit, {"question": "城乡居民医保什么时候缴费？", "faq_answer": "每年9月1日至12月31日。"})
    page = client.get(public).content.decode()
    assert "城乡居民医保什么时候缴费？" in page and "每年9月1日至12月31日。" in page and "每年9月至12月。" not in page
    client.post(reverse("enquiries_staff:faq_remove", args=[world.agency_a.code, faq.pk]), {"reason": "政策已调整"})
    assert "城乡居民医保什么时候缴费？" not in client.get(public).content.decode() and not Faq.objects.exists()


def test_faq_management_is_for_the_agencys_message_staff(client, world, login):
    enquiry, _ = ask(world.agency_a)
    services.answer(actor=world.drafter_a, enquiry=enquiry, text="集中缴费期为每年9月至12月。")
    faq = services.faq_add(actor=world.drafter_a, enquiry=enquiry, question="医保什么时候缴费？", answer="每年9月至12月。")
    login(world.leader_a)  # sees the agency's work, may not answer messages
    assert client.get(reverse("enquiries_staff:faqs", args=[world.agency_a.code])).status_code == 403
    assert client.post(reverse("enquiries_staff:faq_remove", args=[world.agency_a.code, faq.pk]),
                       {"reason": "x"}).status_code == 403
    login(world.drafter_b)  # the entry is not found under B's code either
    assert client.post(reverse("enquiries_staff:faq_edit", args=[world.agency_b.code, faq.pk]),
                       {"question": "改", "faq_answer": "改"}).status_code in (403, 404)
    assert Faq.objects.get().question == "医保什么时候缴费？"
