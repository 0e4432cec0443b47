"""The drafting and review pages as staff use them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.disclosure import services
from gongkai.disclosure.models import CatalogueNode, Genre, Item, Status, TopicCategory
from gongkai.disclosure.tests.conftest import item_data
from gongkai.disclosure.tests.test_pii_gate import ID_NUMBER

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def form_data(desk, **overrides):
    data = {
        "title": "清河县财政局关于公开2026年部门预算的通知", "document_number": "清财发〔2026〕9号", "publisher": "",
        "written_on": "2026-03-02", "catalogue_node": CatalogueNode.objects.get(agency=desk.agency_a, code="yjs").pk,
        "topic": TopicCategory.objects.get(name="财政", parent__name="财政、金融、审计").pk,
        "genre": Genre.objects.get(name="通知").pk, "keywords": "预算", "summary": "", "disclosure": "proactive",
        "exemption_reason": "", "reassess_on": "", "interprets_index": "", "body": "正文第一段。\n\n正文第二段。",
    }
    data.update(overrides)
    return data


def test_drafter_registers_an_item_with_an_attachment(desk, login):
    client = login(desk.drafter_a)
    response = client.post(reverse("disclosure_staff:item_new", args=[desk.agency_a.code]),
                           {**form_data(desk), "attachments": [SimpleUploadedFile("预算.pdf", PDF)]})
    item = Item.objects.get()
    assert response.status_code == 302
    assert item.publisher == desk.agency_a.name and item.attachments.get().original_name == "预算.pdf"
    page = client.get(reverse("disclosure_staff:item", args=[desk.agency_a.code, item.pk])).content.decode()
    assert "提交审核" in page and "预算.pdf" in page


def test_a_disguised_upload_is_explained_next_to_the_field_and_nothing_saved(desk, login):
    response = login(desk.drafter_a).post(reverse("disclosure_staff:item_new", args=[desk.agency_a.code]),
                                          {**form_data(desk), "attachments": [SimpleUploadedFile("表.xlsx", PDF)]})
    assert response.status_code == 200
    assert "扩展名与实际内容不符" in response.content.decode()
    assert Item.objects.count() == 0


def test_missing_metadata_in_the_form_is_explained(desk, login):
    response = login(desk.drafter_a).post(reverse("disclosure_staff:item_new", args=[desk.agency_a.code]),
                                          form_data(desk, title="", written_on=""))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "title" in errors and "written_on" in errors
    assert Item.objects.count() == 0


def test_leader_cannot_open_the_drafting_form(desk, login):
    assert login(desk.leader_a).get(reverse("disclosure_staff:item_new", args=[desk.agency_a.code])).status_code == 403


def test_reviewer_sees_pii_findings_masks_them_and_approves(desk, login):
    item = services.item_create(actor=desk.drafter_a, agency=desk.agency_a,
                                data=item_data(desk.agency_a, body=f"申请人身份证号码{ID_NUMBER}。"))
    services.item_submit(actor=desk.drafter_a, item=item)
    client = login(desk.first_a)
    url = reverse("disclosure_staff:item", args=[desk.agency_a.code, item.pk])
    page = client.get(url).content.decode()
    assert "居民身份证号" in page and ID_NUMBER in page and 'id="pii-findings"' in page
    response = client.post(reverse("disclosure_staff:item_approve", args=[desk.agency_a.code, item.pk]), follow=True)
    assert "疑似个人信息" in response.content.decode()
    client.post(reverse("disclosure_staff:item_mask", args=[desk.agency_a.code, item.pk]))
    client.post(reverse("disclosure_staff:item_approve", args=[desk.agency_a.code, item.pk]))
    item.refresh_from_db()
    assert item.review_level == 2 and ID_NUMBER not in item.public_body


def test_review_queue_shows_only_what_the_user_may_review(desk, login):
    item = services.item_create(actor=desk.drafter_a, agency=desk.agency_a, data=item_data(desk.agency_a))
    services.item_submit(actor=desk.drafter_a, item=item)
    url = reverse("disclosure_staff:items", args=[desk.agency_a.code])
    assert item.title in login(desk.first_a).get(url, {"tab": "review"}).content.decode()
    assert item.title not in login(desk.second_a).get(url, {"tab": "review"}).content.decode()


def test_item_list_query_count_is_bounded(desk, login, django_assert_max_num_queries):
    for n in range(12):
        services.item_create(actor=desk.drafter_a, agency=desk.agency_a,
                             data=item_data(desk.agency_a, title=f"草稿{n}", document_number=""))
    client = login(desk.drafter_a)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("disclosure_staff:items", args=[desk.agency_a.code])).status_code == 200


def test_catalogue_editor_adds_and_refuses_deleting_a_node_in_use(desk, login):
    client = login(desk.admin_a)
    url = reverse("disclosure_staff:catalogue", args=[desk.agency_a.code])
    client.post(url, {"name": "乡村振兴", "code": "xczx", "parent": "", "sort_order": "200"})
    assert CatalogueNode.objects.filter(agency=desk.agency_a, code="xczx").exists()
    services.item_create(actor=desk.drafter_a, agency=desk.agency_a, data=item_data(desk.agency_a))
    node = CatalogueNode.objects.get(agency=desk.agency_a, code="yjs")
    response = client.post(reverse("disclosure_staff:catalogue_node_delete", args=[desk.agency_a.code, node.pk]), follow=True)
    assert "不能删除" in response.content.decode()
    assert CatalogueNode.objects.filter(pk=node.pk).exists()


def test_guide_editor_saves_text_and_review_levels(desk, login):
    from gongkai.disclosure.catalogue import settings_for

    client = login(desk.admin_a)
    client.post(reverse("disclosure_staff:guide", args=[desk.agency_a.code]), {"text": "受理时间为工作日。", "review_levels": "3"})
    settings = settings_for(desk.agency_a)
    assert settings.guide_text == "受理时间为工作日。" and settings.review_levels == 3
    page = client.get(reverse("portal:guide", args=[desk.agency_a.code])).content.decode()
    assert "受理时间为工作日。" in page and "0999-1000001" in page and "预算决算" in page


def test_timeliness_dashboard_lists_late_publication(desk, login):
    import datetime as dt

    item = services.item_create(actor=desk.drafter_a, agency=desk.agency_a, data=item_data(
        desk.agency_a, written_on=dt.date(2026, 3, 2), published_on=dt.date(2026, 4, 30)))
    services.item_submit(actor=desk.drafter_a, item=item)
    services.item_approve(actor=desk.first_a, item=item)
    services.item_approve(actor=desk.second_a, item=item)
    page = login(desk.leader_a).get(reverse("disclosure_staff:timeliness", args=[desk.agency_a.code])).content.decode()
    assert item.title in page
    assert Item.objects.get(pk=item.pk).status == Status.PUBLISHED
