"""Regression tests for problems found in review of the proactive-disclosure feature."""

import datetime as dt

import pytest
from django.urls import reverse

from gongkai.conftest import on
from gongkai.disclosure import services
from gongkai.disclosure.models import Genre, Item, Status
from gongkai.disclosure.tests.conftest import item_data
from gongkai.disclosure.tests.test_pii_gate import ID_NUMBER
from gongkai.errors import PermissionDeniedError, ServiceError

pytestmark = pytest.mark.django_db


def draft(desk, **overrides):
    return services.item_create(actor=desk.drafter_a, agency=desk.agency_a, data=item_data(desk.agency_a, **overrides))


def publish(desk, **overrides):
    item = draft(desk, **overrides)
    services.item_submit(actor=desk.drafter_a, item=item)
    services.item_approve(actor=desk.first_a, item=item)
    return services.item_approve(actor=desk.second_a, item=item)


def test_guide_editor_page_renders_and_a_refused_level_change_saves_nothing(desk, login):
    client = login(desk.admin_a)
    url = reverse("disclosure_staff:guide", args=[desk.agency_a.code])
    assert client.get(url).status_code == 200
    item = draft(desk)
    services.item_submit(actor=desk.drafter_a, item=item)
    services.item_approve(actor=desk.first_a, item=item)  # now at level 2
    response = client.post(url, {"text": "新的说明", "review_levels": "1"})
    assert response.status_code == 200 and "审核环节" in response.content.decode()
    from gongkai.disclosure.catalogue import settings_for

    assert settings_for(desk.agency_a).guide_text == ""


@pytest.mark.parametrize("field", ["keywords", "document_number", "publisher"])
def test_personal_data_in_any_public_metadata_blocks_approval(desk, field):
    item = draft(desk, **{field: f"联系13812345678 {ID_NUMBER}"[:40]})
    services.item_submit(actor=desk.drafter_a, item=item)
    with pytest.raises(ServiceError) as caught:
        services.item_approve(actor=desk.first_a, item=item)
    assert caught.value.code == "PII_UNRESOLVED"


def test_personal_data_in_a_link_target_is_found_and_title_attributes_are_dropped(desk):
    item = draft(desk, body=f'<a href="mailto:zhangsan@163.com" title="身份证{ID_NUMBER}">联系我们</a>')
    assert "title=" not in item.body
    kinds = {f["finding"].kind for f in services.pii_findings(item)}
    assert "email" in kinds


@on(dt.date(2026, 3, 4))
def test_imported_index_numbers_move_the_counter(desk, tmp_path):
    import csv

    from django.core.management import call_command

    year = 2026
    path = tmp_path / "i.csv"
    row = {"agency_code": desk.agency_a.code, "index_number": f"{desk.agency_a.code}/{year}-00005", "title": "导入",
           "written_on": f"{year}-01-05", "published_on": f"{year}-01-06", "catalogue": "yjs",
           "topic": "财政、金融、审计/财政", "genre": "通知", "body": "正文"}
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(row))
        writer.writeheader()
        writer.writerow(row)
    call_command("import", "items", str(path))
    item = publish(desk)
    assert item.index_number == f"{desk.agency_a.code}/{year}-00006"


def test_one_person_cannot_approve_two_levels(desk):
    both = desk.person("both_a", desk.agency_a, "first_reviewer", "second_reviewer")
    item = draft(desk)
    services.item_submit(actor=desk.drafter_a, item=item)
    services.item_approve(actor=both, item=item)
    with pytest.raises(ServiceError) as caught:
        services.item_approve(actor=both, item=item)
    assert caught.value.code == "REVIEWER_ALREADY_APPROVED"


def test_a_stale_approval_does_not_approve_the_next_level(desk):
    item = draft(desk)
    services.item_submit(actor=desk.drafter_a, item=item)
    services.item_approve(actor=desk.first_a, item=item, expected_level=1)
    with pytest.raises(ServiceError) as caught:
        services.item_approve(actor=desk.second_a, item=item, expected_level=1)
    assert caught.value.code == "ITEM_LEVEL_MOVED"


def test_corrections_need_the_secrecy_reviewer(desk):
    item = publish(desk)
    with pytest.raises(PermissionDeniedError):
        services.item_update(actor=desk.admin_a, item=item, data={"title": "未经保密审查的标题"})
    assert Item.objects.get(pk=item.pk).title == item.title


def test_withdrawn_items_reopen_as_drafts_keeping_their_number(desk):
    item = publish(desk)
    services.item_withdraw(actor=desk.admin_a, item=item, reason="需修改")
    with pytest.raises(ServiceError) as caught:
        services.item_update(actor=desk.drafter_a, item=item, data={"title": "改"})
    assert caught.value.code == "ITEM_WITHDRAWN"
    services.item_reopen(actor=desk.drafter_a, item=item)
    reopened = Item.objects.get(pk=item.pk)
    assert reopened.status == Status.DRAFT and reopened.index_number == item.index_number and reopened.published_on is None


def test_withdrawn_policy_is_not_linked_from_its_interpretation(desk, client):
    policy = publish(desk, title="被撤回的政策")
    reading = publish(desk, title="解读", interprets=policy, genre=Genre.objects.get(name="政策解读"))
    services.item_withdraw(actor=desk.admin_a, item=policy, reason="撤回")
    page = client.get(reverse("portal:item", args=[desk.agency_a.code, reading.pk])).content.decode()
    assert "被撤回的政策" not in page
    services.item_update(actor=desk.second_a, item=reading, data={"summary": "更正概述"})  # still correctable


def test_deactivating_an_agency_takes_its_items_out_of_search(desk):
    from gongkai.orgs import services as org_services
    from gongkai.search.index import search

    publish(desk, title="停用机构检索测试")
    assert search("停用机构检索").total == 1
    org_services.agency_update(actor=None, agency=desk.agency_a, changes={"is_active": False})
    assert search("停用机构检索").total == 0
    org_services.agency_update(actor=None, agency=desk.agency_a, changes={"is_active": True})
    assert search("停用机构检索").total == 1


def test_exports_leave_out_drafts_and_items_in_review(desk, tmp_path):
    import json

    from django.core.management import call_command

    draft(desk, body="电话13800138000")
    publish(desk, title="已发布")
    out = tmp_path / "o.jsonl"
    call_command("export", "items", "--format", "jsonl", "--output", str(out))
    titles = [json.loads(line)["title"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert titles == ["已发布"]


def test_decisions_by_the_command_line_render_on_the_detail_page(desk, login):
    item = draft(desk)
    services.item_submit(actor=None, item=item)
    assert login(desk.drafter_a).get(reverse("disclosure_staff:item", args=[desk.agency_a.code, item.pk])).status_code == 200


@pytest.mark.parametrize("query", ["?q=清河&page=99999999999999999999", "?q=清河&year=99999999999"])
def test_absurd_search_parameters_do_not_crash(db, client, query):
    assert client.get("/search/" + query).status_code == 200


def test_absurd_catalogue_year_does_not_crash(desk, client):
    for year in ("0", "99999999999"):
        assert client.get(reverse("portal:catalogue", args=[desk.agency_a.code, "yjs"]), {"year": year}).status_code == 200


def test_batched_sync_indexes_each_item_as_it_stands_when_the_block_ends(desk):
    from django.db import transaction

    from gongkai.disclosure import search_sync
    from gongkai.search.index import search

    kept_before = publish(desk, title="批量检索留存旧件")
    with transaction.atomic(), search_sync.batched():
        kept = publish(desk, title="批量检索留存新件")
        gone = publish(desk, title="批量检索撤回件")
        services.item_withdraw(actor=desk.admin_a, item=gone, reason="需修改")
        services.item_withdraw(actor=desk.admin_a, item=kept_before, reason="需修改")
        assert search("批量检索留存新件").total == 0  # noted, not yet written
        assert search("批量检索留存旧件").total == 1
    assert search("批量检索留存新件").total == 1 and search("批量检索撤回件").total == 0
    assert search("批量检索留存旧件").total == 0
    assert {hit.key for hit in search("批量检索").hits} == {search_sync.key_for(kept)}
