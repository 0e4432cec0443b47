"""Public pages of the disclosure column: what visitors see, and what they must never see."""

import datetime as dt

import pytest
from django.urls import reverse

from gongkai.disclosure import services
from gongkai.disclosure.tests.conftest import item_data
from gongkai.disclosure.tests.test_pii_gate import ID_NUMBER

pytestmark = pytest.mark.django_db


def publish(w, **overrides):
    item = services.item_create(actor=w.drafter_a, agency=w.agency_a, data=item_data(w.agency_a, **overrides))
    services.item_submit(actor=w.drafter_a, item=item)
    services.item_mask_pii(actor=w.first_a, item=item) if ID_NUMBER in item.body else None
    services.item_approve(actor=w.first_a, item=item)
    return services.item_approve(actor=w.second_a, item=item)


def test_item_page_shows_metadata_and_masked_body_only(county, client):
    item = publish(county, body=f"经查，申请人身份证号码为{ID_NUMBER}。", document_number="清财发〔2026〕5号")
    page = client.get(reverse("portal:item", args=[county.agency_a.code, item.pk])).content.decode()
    for text in (item.index_number, "清财发〔2026〕5号", "2026年3月2日", "测试县财政局", "财政", "有效"):
        assert text in page
    assert ID_NUMBER not in page


def test_drafts_and_withdrawn_items_are_not_public(county, client):
    draft = services.item_create(actor=county.drafter_a, agency=county.agency_a, data=item_data(county.agency_a))
    assert client.get(reverse("portal:item", args=[county.agency_a.code, draft.pk])).status_code == 404
    item = publish(county, title="将被撤回的信息")
    services.item_withdraw(actor=county.admin_a, item=item, reason="重复发布")
    assert client.get(reverse("portal:item", args=[county.agency_a.code, item.pk])).status_code == 404


def test_repealed_item_carries_a_banner(county, client):
    item = publish(county)
    services.item_set_validity(actor=county.admin_a, item=item, validity="repealed", on_date=dt.date(2026, 6, 1))
    page = client.get(reverse("portal:item", args=[county.agency_a.code, item.pk])).content.decode()
    assert "本文件已于2026年6月1日废止" in page


def test_policy_and_interpretation_link_both_ways(county, client):
    from gongkai.disclosure.models import Genre

    policy = publish(county, title="清河县预算公开管理办法")
    reading = publish(county, title="《预算公开管理办法》解读", interprets=policy, genre=Genre.objects.get(name="政策解读"))
    policy_page = client.get(reverse("portal:item", args=[county.agency_a.code, policy.pk])).content.decode()
    reading_page = client.get(reverse("portal:item", args=[county.agency_a.code, reading.pk])).content.decode()
    assert "相关解读" in policy_page and reading.title in policy_page
    assert "解读的政策" in reading_page and policy.title in reading_page


def test_updated_items_show_updated_at(county, client):
    item = publish(county)
    services.item_update(actor=county.second_a, item=item, data={"summary": "更正后的概述"})
    page = client.get(reverse("portal:item", args=[county.agency_a.code, item.pk])).content.decode()
    assert "更新于" in page


def test_catalogue_page_counts_and_lists_items(county, client):
    publish(county, title="预算信息一")
    publish(county, title="预算信息二")
    response = client.get(reverse("portal:catalogue", args=[county.agency_a.code, "czxx"]))
    page = response.content.decode()
    assert "预算信息一" in page and "预算信息二" in page and "共 2 条" in page
    tree = {b["node"].code: b["count"] for b in response.context["tree"]}
    assert tree["czxx"] == 2 and tree["zcwj"] == 0


def test_agency_page_has_the_disclosure_column(county, client):
    publish(county, title="最新的一条信息")
    page = client.get(reverse("portal:agency_detail", args=[county.agency_a.code])).content.decode()
    assert "政府信息公开指南" in page and "公开目录" in page and "最新的一条信息" in page


def test_atom_feed_and_sitemap_list_public_items(county, client):
    item = publish(county, title="订阅测试信息")
    feed = client.get(reverse("portal:agency_feed", args=[county.agency_a.code]))
    assert feed["Content-Type"].startswith("application/atom+xml") and "订阅测试信息" in feed.content.decode()
    node_feed = client.get(reverse("portal:catalogue_feed", args=[county.agency_a.code, "yjs"]))
    assert "订阅测试信息" in node_feed.content.decode()
    sitemap = client.get("/sitemap-items.xml").content.decode()
    assert reverse("portal:item", args=[county.agency_a.code, item.pk]) in sitemap


def test_search_page_finds_a_published_item_and_highlights(county, client):
    publish(county, title="关于推进政务公开工作的通知")
    response = client.get(reverse("portal:search"), {"q": "开工作"})
    page = response.content.decode()
    assert response.context["results"].total == 1
    assert "<mark>开工作</mark>" in page


def test_search_results_name_the_publishing_agency(county, client):
    publish(county, title="关于推进政务公开工作的通知")
    page = client.get(reverse("portal:search"), {"q": "政务公开"}).content.decode()
    assert '<span class="result-agency">测试县财政局</span>' in page


def test_a_page_past_the_last_goes_to_the_last_page_instead_of_contradicting_the_count(county, client):
    publish(county, title="关于推进政务公开工作的通知")
    response = client.get(reverse("portal:search"), {"q": "政务公开", "page": "999"})
    assert response.status_code == 302 and response["Location"].endswith("page=1")
    assert "q=%E6%94%BF%E5%8A%A1%E5%85%AC%E5%BC%80" in response["Location"]
    final = client.get(response["Location"]).content.decode()
    assert "没有找到" not in final and "第 999" not in final


def test_search_page_with_empty_query_shows_the_form_only(client, db):
    response = client.get(reverse("portal:search"), {"q": "  "})
    assert response.status_code == 200 and response.context["results"] is None


def test_item_page_query_count_is_bounded(county, client, django_assert_max_num_queries):
    item = publish(county)
    with django_assert_max_num_queries(8):
        client.get(reverse("portal:item", args=[county.agency_a.code, item.pk]))


def test_attachments_download_only_while_the_item_is_public(county, client):
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
    item = services.item_create(actor=county.drafter_a, agency=county.agency_a, data=item_data(county.agency_a),
                                files=[("明细.pdf", pdf)])
    attachment = item.attachments.get()
    url = reverse("portal:attachment", args=[county.agency_a.code, item.pk, attachment.pk])
    assert client.get(url).status_code == 404  # still a draft
    services.item_submit(actor=county.drafter_a, item=item)
    services.item_approve(actor=county.first_a, item=item)
    services.item_approve(actor=county.second_a, item=item)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == pdf
    assert "attachment" in response["Content-Disposition"]


def test_the_annual_report_node_counts_and_lists_reports_published_through_the_workflow(county, client, time_machine):
    from gongkai.reports.filing import filing, publishing
    from gongkai.reports.tests.test_filing import YEAR, at, ready

    at(time_machine, dt.date(YEAR + 1, 1, 10))
    report = filing.send_for_review(actor=county.drafter_a, report=ready(county))
    report = filing.decide(actor=county.supervisor, report=filing.submit(actor=county.leader_a, report=report), accept=True)
    publishing.publish(actor=county.admin_a, report=report)
    column = client.get(reverse("portal:agency_detail", args=[county.agency_a.code]))
    node = next(b for b in column.context["tree"] if b["node"].code == "ndbg")
    assert node["count"] == 1
    page = client.get(reverse("portal:catalogue", args=[county.agency_a.code, "ndbg"])).content.decode()
    assert 'id="annual-reports"' in page and reverse("portal:report", args=[county.agency_a.code, report.pk]) in page


def test_the_guide_covers_procedure_time_limits_fees_and_remedies(county, client):
    page = client.get(reverse("portal:guide", args=[county.agency_a.code])).content.decode()
    for anchor, article in (("procedure", "第三十条"), ("time-limits", "第三十三条"), ("fees", "第四十二条"),
                            ("remedies", "第五十一条")):
        assert f'id="{anchor}"' in page and article in page
    assert reverse("apply:form", args=[county.agency_a.code]) in page
