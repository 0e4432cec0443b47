"""Reviewers cannot approve while personal information is unresolved; masking keeps the original."""

import pytest

from gongkai.disclosure import services
from gongkai.disclosure.models import Status
from gongkai.disclosure.tests.conftest import item_data
from gongkai.errors import ServiceError
from gongkai.pii.detectors import id_check_char

pytestmark = pytest.mark.django_db

ID_BODY = "1101051990030712"
ID_NUMBER = ID_BODY + "2" + id_check_char(ID_BODY + "2")


def in_review(desk, body):
    item = services.item_create(actor=desk.drafter_a, agency=desk.agency_a, data=item_data(desk.agency_a, body=body))
    services.item_submit(actor=desk.drafter_a, item=item)
    item.refresh_from_db()
    return item


def test_an_id_number_blocks_approval_until_masked(desk):
    item = in_review(desk, f"申请人身份证号{ID_NUMBER}，联系电话13812345678。")
    with pytest.raises(ServiceError) as caught:
        services.item_approve(actor=desk.first_a, item=item)
    assert caught.value.code == "PII_UNRESOLVED" and "居民身份证号" in caught.value.message
    services.item_mask_pii(actor=desk.first_a, item=item)
    item.refresh_from_db()
    assert ID_NUMBER not in item.public_body and "13812345678" not in item.public_body
    assert ID_NUMBER in item.body  # the original stays internal
    services.item_approve(actor=desk.first_a, item=item)
    services.item_approve(actor=desk.second_a, item=item)
    item.refresh_from_db()
    assert item.status == Status.PUBLISHED and ID_NUMBER not in item.public_body


def test_reviewer_can_confirm_findings_are_not_personal_with_a_note(desk):
    item = in_review(desk, "咨询电话：13800001111（单位值班手机）。")
    with pytest.raises(ServiceError) as caught:
        services.item_clear_pii(actor=desk.first_a, item=item, note="")
    assert caught.value.code == "PII_CLEAR_REASON_REQUIRED"
    services.item_clear_pii(actor=desk.first_a, item=item, note="为单位公开值班电话")
    services.item_approve(actor=desk.first_a, item=item)
    item.refresh_from_db()
    assert item.review_level == 2


def test_a_confirmation_no_longer_holds_after_the_text_changes(desk):
    item = in_review(desk, "咨询电话：13800001111。")
    services.item_clear_pii(actor=desk.first_a, item=item, note="单位电话")
    services.item_return(actor=desk.first_a, item=item, comment="补充内容")
    services.item_update(actor=desk.drafter_a, item=item, data={"body": "咨询电话：13800001111，13912345678。"})
    services.item_submit(actor=desk.drafter_a, item=item)
    item.refresh_from_db()
    with pytest.raises(ServiceError) as caught:
        services.item_approve(actor=desk.first_a, item=item)
    assert caught.value.code == "PII_UNRESOLVED"


def test_masking_when_there_is_nothing_to_mask_says_so(desk):
    item = in_review(desk, "本通知自发布之日起施行。")
    with pytest.raises(ServiceError) as caught:
        services.item_mask_pii(actor=desk.first_a, item=item)
    assert caught.value.code == "PII_NOTHING_TO_MASK"


def test_an_invalid_checksum_is_flagged_as_suspect_not_as_an_id(desk):
    bad = ID_NUMBER[:-1] + ("0" if ID_NUMBER[-1] != "0" else "1")
    item = in_review(desk, f"编号{bad}")
    labels = {f["finding"].kind for f in services.pii_findings(item)}
    assert "id_card" not in labels
