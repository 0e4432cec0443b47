"""Drafting, review levels, publication, withdrawal and validity — with permissions and audit."""

import datetime as dt

import pytest

from gongkai.audit.models import AuditEntry
from gongkai.disclosure import guide, services
from gongkai.disclosure.models import Item, ItemVersion, Status
from gongkai.disclosure.tests.conftest import item_data
from gongkai.errors import PermissionDeniedError, ServiceError

pytestmark = pytest.mark.django_db


def draft(desk, **overrides):
    return services.item_create(actor=desk.drafter_a, agency=desk.agency_a, data=item_data(desk.agency_a, **overrides))


def publish(desk, item):
    services.item_submit(actor=desk.drafter_a, item=item)
    services.item_approve(actor=desk.first_a, item=item)
    return services.item_approve(actor=desk.second_a, item=item)


def test_draft_then_two_level_review_publishes_with_an_index_number(desk):
    item = draft(desk)
    assert item.status == Status.DRAFT and item.index_number is None
    services.item_submit(actor=desk.drafter_a, item=item)
    item.refresh_from_db()
    assert (item.status, item.review_level) == (Status.IN_REVIEW, 1)
    services.item_approve(actor=desk.first_a, item=item)
    item.refresh_from_db()
    assert (item.status, item.review_level) == (Status.IN_REVIEW, 2)
    services.item_approve(actor=desk.second_a, item=item)
    item.refresh_from_db()
    year = item.published_on.year
    assert item.status == Status.PUBLISHED and item.is_public
    assert item.index_number == f"{desk.agency_a.code}/{year}-00001"
    assert item.version == 1 and ItemVersion.objects.filter(item=item).count() == 1
    actions = list(AuditEntry.objects.filter(object_type="disclosure.item", object_id=str(item.pk))
                   .order_by("id").values_list("action", flat=True))
    assert actions == ["create", "submit", "approve", "publish"]
    published = AuditEntry.objects.get(object_type="disclosure.item", action="publish")
    assert published.before["status"] == "in_review" and published.after["status"] == "published"
    assert published.after["index_number"] == item.index_number


def test_the_wrong_level_cannot_approve(desk):
    item = draft(desk)
    services.item_submit(actor=desk.drafter_a, item=item)
    with pytest.raises(PermissionDeniedError):
        services.item_approve(actor=desk.second_a, item=item)  # level 1 is 初审
    with pytest.raises(PermissionDeniedError):
        services.item_approve(actor=desk.drafter_a, item=item)
    item.refresh_from_db()
    assert item.review_level == 1


def test_reviewers_of_another_agency_cannot_approve(desk):
    other = desk.person("first_b", desk.agency_b, "first_reviewer")
    item = draft(desk)
    services.item_submit(actor=desk.drafter_a, item=item)
    with pytest.raises(PermissionDeniedError):
        services.item_approve(actor=other, item=item)


def test_drafter_of_another_agency_cannot_register_or_edit(desk):
    with pytest.raises(PermissionDeniedError):
        services.item_create(actor=desk.drafter_b, agency=desk.agency_a, data=item_data(desk.agency_a))
    item = draft(desk)
    with pytest.raises(PermissionDeniedError):
        services.item_update(actor=desk.drafter_b, item=item, data={"title": "改"})


def test_return_needs_a_comment_and_sends_the_item_back(desk):
    item = draft(desk)
    services.item_submit(actor=desk.drafter_a, item=item)
    with pytest.raises(ServiceError) as caught:
        services.item_return(actor=desk.first_a, item=item, comment="  ")
    assert caught.value.code == "RETURN_COMMENT_REQUIRED"
    services.item_return(actor=desk.first_a, item=item, comment="请补充文号")
    item.refresh_from_db()
    assert item.status == Status.DRAFT and item.return_comment == "请补充文号"
    services.item_update(actor=desk.drafter_a, item=item, data={"document_number": "清财发〔2026〕3号"})
    services.item_submit(actor=desk.drafter_a, item=item)
    item.refresh_from_db()
    assert item.return_comment == "" and item.review_level == 1


def test_items_in_review_cannot_be_edited(desk):
    item = draft(desk)
    services.item_submit(actor=desk.drafter_a, item=item)
    with pytest.raises(ServiceError) as caught:
        services.item_update(actor=desk.drafter_a, item=item, data={"title": "新标题"})
    assert caught.value.code == "ITEM_IN_REVIEW"


@pytest.mark.parametrize(("levels", "approvers"), [(1, ["second_a"]), (3, ["first_a", "second_a", "admin_a"])])
def test_review_levels_are_configurable(desk, levels, approvers):
    guide.review_levels_update(actor=desk.admin_a, agency=desk.agency_a, levels=levels)
    item = draft(desk)
    services.item_submit(actor=desk.drafter_a, item=item)
    for username in approvers:
        item.refresh_from_db()
        assert item.status == Status.IN_REVIEW
        services.item_approve(actor=getattr(desk, username), item=item)
    item.refresh_from_db()
    assert item.status == Status.PUBLISHED


def test_reducing_review_levels_below_an_item_in_review_is_refused(desk):
    item = draft(desk)
    services.item_submit(actor=desk.drafter_a, item=item)
    services.item_approve(actor=desk.first_a, item=item)
    with pytest.raises(ServiceError) as caught:
        guide.review_levels_update(actor=desk.admin_a, agency=desk.agency_a, levels=1)
    assert caught.value.code == "REVIEW_LEVELS_IN_USE"


def test_non_proactive_items_are_registered_not_published(desk):
    item = draft(desk, disclosure="withheld", exemption_reason="X16-2", reassess_on=dt.date(2027, 3, 1))
    item = publish(desk, item)
    assert item.status == Status.REGISTERED and not item.is_public
    assert item.index_number.endswith("-00001")


def test_withdraw_keeps_the_record_and_its_number_and_the_number_is_never_reused(desk):
    first = publish(desk, draft(desk))
    services.item_withdraw(actor=desk.admin_a, item=first, reason="内容有误，重新发布")
    first.refresh_from_db()
    assert first.status == Status.WITHDRAWN and first.withdrawn_reason == "内容有误，重新发布"
    second = publish(desk, draft(desk, title="第二条"))
    assert first.index_number.endswith("-00001") and second.index_number.endswith("-00002")


def test_withdraw_needs_rights_and_a_reason(desk):
    item = publish(desk, draft(desk))
    with pytest.raises(PermissionDeniedError):
        services.item_withdraw(actor=desk.drafter_a, item=item, reason="x")
    with pytest.raises(ServiceError) as caught:
        services.item_withdraw(actor=desk.admin_a, item=item, reason="")
    assert caught.value.code == "WITHDRAW_REASON_REQUIRED"


def test_repeal_marks_the_item_and_adds_a_version(desk):
    item = publish(desk, draft(desk))
    services.item_set_validity(actor=desk.admin_a, item=item, validity="repealed", on_date=dt.date(2026, 6, 1))
    item.refresh_from_db()
    assert item.validity == "repealed" and item.validity_changed_on == dt.date(2026, 6, 1)
    assert item.is_public  # a repealed document stays readable, clearly marked
    assert item.version == 2
    assert AuditEntry.objects.filter(object_type="disclosure.item", action="repeal").count() == 1


def test_correcting_a_published_item_is_a_new_version(desk):
    item = publish(desk, draft(desk))
    services.item_update(actor=desk.second_a, item=item, data={"summary": "部署本年度预算、决算公开工作。"})
    item.refresh_from_db()
    assert item.version == 2 and item.status == Status.PUBLISHED
    assert [v.note for v in item.versions.all()] == ["更正", "发布"]


def test_interpretation_links_to_a_published_policy(desk):
    policy = publish(desk, draft(desk))
    reading = publish(desk, draft(desk, title="一图读懂预算公开通知", interprets=policy,
                                   genre=__import__("gongkai.disclosure.models", fromlist=["Genre"]).Genre.objects.get(name="政策解读")))
    assert list(policy.interpretations.all()) == [reading]
    unpublished = draft(desk, title="未发布的政策")
    with pytest.raises(ServiceError) as caught:
        draft(desk, title="解读未发布政策", interprets=unpublished)
    assert caught.value.code == "ITEM_INTERPRETS_INVALID"


def test_audit_rows_of_items_are_scoped_to_their_agency(desk):
    draft(desk)
    assert AuditEntry.objects.filter(object_type="disclosure.item", agency=desk.agency_b).count() == 0
    assert Item.objects.filter(agency=desk.agency_a).count() == 1
