"""政策解读 in several forms: the form's rules (图解 needs a picture, 视频 a web link), the staff form,
and the two-way links on the public pages, grouped by form."""

import pytest
from django.urls import reverse

from gongkai.audit.models import Action, AuditEntry
from gongkai.disclosure import services
from gongkai.disclosure.interpretations import by_form
from gongkai.disclosure.models import CatalogueNode, Genre, InterpretationForm, Item
from gongkai.disclosure.tests.conftest import item_data
from gongkai.errors import ServiceError

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%%EOF\n"


def draft(desk, files=(), **overrides):
    return services.item_create(actor=desk.drafter_a, agency=desk.agency_a, data=item_data(desk.agency_a, **overrides),
                                files=files)


def publish(desk, item):
    services.item_submit(actor=desk.drafter_a, item=item)
    services.item_approve(actor=desk.first_a, item=item)
    return services.item_approve(actor=desk.second_a, item=item)


def reading(desk, policy, form, *, files=(), **overrides):
    """A 解读 of ``policy`` in ``form``, filed under 政策解读."""
    node = CatalogueNode.objects.get(agency=desk.agency_a, code="zcjd")
    return draft(desk, files=files, interprets=policy, interpretation_form=form, catalogue_node=node,
                 genre=Genre.objects.get(name="政策解读"), **overrides)


@pytest.fixture
def policy(desk):
    return publish(desk, draft(desk, title="测试县预算公开管理办法", catalogue_node=CatalogueNode.objects.get(
        agency=desk.agency_a, code="xzgfxwj")))


def test_the_forms_offered_are_text_graphic_qa_video_press_and_expert():
    assert InterpretationForm.values == ["text", "graphic", "qa", "video", "press", "expert"]
    assert [label for _v, label in InterpretationForm.choices][:4] == ["文字解读", "图解", "问答", "视频"]


def test_an_interpretation_saved_without_a_form_is_a_text_interpretation(desk, policy):
    item = draft(desk, title="解读", interprets=policy)
    assert item.interpretation_form == InterpretationForm.TEXT


def test_a_form_without_a_policy_is_refused(desk):
    with pytest.raises(ServiceError) as caught:
        draft(desk, title="孤立的问答", interpretation_form=InterpretationForm.QA)
    assert caught.value.code == "ITEM_INTERPRETATION_POLICY_REQUIRED"
    assert not Item.objects.filter(title="孤立的问答").exists()


def test_an_unknown_form_is_refused(desk, policy):
    with pytest.raises(ServiceError) as caught:
        draft(desk, title="解读", interprets=policy, interpretation_form="podcast")
    assert caught.value.code == "ITEM_INTERPRETATION_FORM_INVALID"


def test_graphic_without_a_picture_is_refused_and_nothing_is_saved(desk, policy):
    with pytest.raises(ServiceError) as caught:
        reading(desk, policy, InterpretationForm.GRAPHIC, title="一图读懂", files=[("说明.pdf", PDF)])
    assert caught.value.code == "ITEM_GRAPHIC_IMAGE_REQUIRED" and caught.value.field == "attachments"
    assert not Item.objects.filter(title="一图读懂").exists()


def test_graphic_with_a_png_is_accepted_and_removing_the_last_picture_is_refused(desk, policy):
    item = reading(desk, policy, InterpretationForm.GRAPHIC, title="一图读懂", files=[("图解.png", PNG)])
    assert item.interpretation_form == InterpretationForm.GRAPHIC
    picture = item.attachments.get()
    with pytest.raises(ServiceError) as caught:
        services.item_update(actor=desk.drafter_a, item=item, data={}, remove_attachments=[picture.pk])
    assert caught.value.code == "ITEM_GRAPHIC_IMAGE_REQUIRED"
    assert item.attachments.count() == 1


def test_switching_a_draft_to_graphic_needs_a_picture_already_attached(desk, policy):
    item = reading(desk, policy, InterpretationForm.TEXT, title="解读")
    with pytest.raises(ServiceError) as caught:
        services.item_update(actor=desk.drafter_a, item=item, data={"interpretation_form": "graphic"})
    assert caught.value.code == "ITEM_GRAPHIC_IMAGE_REQUIRED"
    services.item_update(actor=desk.drafter_a, item=item, data={"interpretation_form": "graphic"},
                         files=[("图解.png", PNG)])
    item.refresh_from_db()
    assert item.interpretation_form == "graphic"


def test_video_needs_a_web_link(desk, policy):
    with pytest.raises(ServiceError) as caught:
        reading(desk, policy, InterpretationForm.VIDEO, title="视频解读")
    assert caught.value.code == "ITEM_VIDEO_URL_REQUIRED"
    for bad in ("javascript:alert(1)", "ftp://video.example.cn/a.mp4", "视频在县融媒体中心", "data:text/html,x"):
        with pytest.raises(ServiceError) as caught:
            reading(desk, policy, InterpretationForm.VIDEO, title="视频解读", video_url=bad)
        assert caught.value.code == "ITEM_VIDEO_URL_INVALID", bad
    item = reading(desk, policy, InterpretationForm.VIDEO, title="视频解读", video_url=" https://v.example.cn/jd/1 ")
    assert item.video_url == "https://v.example.cn/jd/1"
    assert reading(desk, policy, InterpretationForm.VIDEO, title="视频解读二", video_url="http://v.example.cn/2").pk


def test_the_form_and_video_link_are_in_the_audit_row(desk, policy):
    item = reading(desk, policy, InterpretationForm.VIDEO, title="视频解读", video_url="https://v.example.cn/1")
    services.item_update(actor=desk.drafter_a, item=item, data={"video_url": "https://v.example.cn/2"})
    entry = AuditEntry.objects.filter(object_id=str(item.pk), action=Action.ITEM_UPDATE).get()
    assert entry.before["video_url"] == "https://v.example.cn/1" and entry.after["video_url"] == "https://v.example.cn/2"
    assert entry.after["interpretation_form"] == "video"


def test_by_form_groups_in_the_order_of_the_forms(desk, policy):
    qa = reading(desk, policy, InterpretationForm.QA, title="问答")
    text = reading(desk, policy, InterpretationForm.TEXT, title="文字")
    text2 = reading(desk, policy, InterpretationForm.TEXT, title="文字二")
    assert by_form([qa, text, text2]) == [("文字解读", [text, text2]), ("问答", [qa])]


def test_the_policy_page_lists_its_interpretations_by_form_and_each_links_back(desk, policy, client):
    text = publish(desk, reading(desk, policy, InterpretationForm.TEXT, title="《预算公开管理办法》文字解读"))
    graphic = publish(desk, reading(desk, policy, InterpretationForm.GRAPHIC, title="一图读懂预算公开管理办法",
                                    files=[("图解.png", PNG)]))
    qa = publish(desk, reading(desk, policy, InterpretationForm.QA, title="预算公开管理办法十问十答"))
    unpublished = reading(desk, policy, InterpretationForm.VIDEO, title="尚未发布的视频解读", video_url="https://v.example.cn/3")
    page = client.get(reverse("portal:item", args=[desk.agency_a.code, policy.pk])).content.decode()
    section = page[page.index('id="interpretations"'):]
    assert section.index("<h3>文字解读</h3>") < section.index(text.title) < section.index("<h3>图解</h3>")
    assert section.index("<h3>图解</h3>") < section.index(graphic.title) < section.index("<h3>问答</h3>") < section.index(qa.title)
    assert unpublished.title not in page and "<h3>视频</h3>" not in section
    for item, label in ((text, "文字解读"), (graphic, "图解"), (qa, "问答")):
        back = client.get(reverse("portal:item", args=[desk.agency_a.code, item.pk])).content.decode()
        assert f"本文为政策解读（{label}）" in back
        assert reverse("portal:item", args=[desk.agency_a.code, policy.pk]) in back


def test_a_graphic_shows_its_picture_in_the_page(desk, policy, client):
    item = publish(desk, reading(desk, policy, InterpretationForm.GRAPHIC, title="一图读懂", files=[("图解.png", PNG)]))
    picture = item.attachments.get()
    url = reverse("portal:attachment", args=[desk.agency_a.code, item.pk, picture.pk])
    page = client.get(reverse("portal:item", args=[desk.agency_a.code, item.pk])).content.decode()
    assert f'<img src="{url}?inline=1"' in page
    inline = client.get(url, {"inline": "1"})
    assert inline["Content-Type"] == "image/png" and "attachment" not in inline.get("Content-Disposition", "")
    assert b"".join(inline.streaming_content) == PNG
    assert client.get(url)["Content-Disposition"].startswith("attachment")


def test_a_video_interpretation_page_links_the_video_and_not_unsafe_schemes(desk, policy, client):
    item = publish(desk, reading(desk, policy, InterpretationForm.VIDEO, title="视频解读", video_url="https://v.example.cn/9"))
    page = client.get(reverse("portal:item", args=[desk.agency_a.code, item.pk])).content.decode()
    assert 'href="https://v.example.cn/9" rel="noopener noreferrer nofollow">观看视频' in page


def test_staff_form_lets_the_drafter_pick_the_form(desk, policy, client, login):
    login(desk.drafter_a)
    url = reverse("disclosure_staff:item_new", args=[desk.agency_a.code])
    form_page = client.get(url).content.decode()
    assert 'name="interpretation_form"' in form_page and "图解" in form_page
    data = {
        "title": "预算公开管理办法问答", "written_on": "2026-03-02", "topic": item_data(desk.agency_a)["topic"].pk,
        "genre": Genre.objects.get(name="政策解读").pk, "disclosure": "proactive",
        "catalogue_node": CatalogueNode.objects.get(agency=desk.agency_a, code="zcjd").pk,
        "interprets_index": policy.index_number, "interpretation_form": "graphic", "body": "问：……答：……",
    }
    refused = client.post(url, data)
    assert refused.status_code == 200 and "图解须上传至少一张图片附件" in refused.content.decode()
    assert client.post(url, {**data, "interpretation_form": "qa"}).status_code == 302
    saved = Item.objects.get(title="预算公开管理办法问答")
    assert saved.interprets == policy and saved.interpretation_form == "qa"
    detail = client.get(reverse("disclosure_staff:item", args=[desk.agency_a.code, saved.pk])).content.decode()
    assert "解读形式" in detail and "问答" in detail and policy.title in detail
