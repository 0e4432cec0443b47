"""Letter wording as a 政务公开办 would send it: the request as corrected after a 补正, reasons as
sentences before 「特此告知」, where already-published information is, and how to pay a fee."""

import datetime as dt

import pytest
from django.test import override_settings

from gongkai.applications import handling
from gongkai.applications.letters.context import cn_date, request_as_corrected
from gongkai.applications.replies import ReplyType
from gongkai.applications.tests.test_letters import TODAY, register
from gongkai.conftest import on
from gongkai.portal.tests.test_disclosure_pages import publish

pytestmark = [pytest.mark.django_db, on(TODAY)]  # the letters tests' day: their dates count from it


def test_request_as_corrected_splits_the_internal_marker():
    text = "请公开补助资金文件。\n\n【补正 2026-12-07】具体为2025年湖沟镇危房改造补助资金的拨付文件。"
    assert request_as_corrected(text) == ("请公开补助资金文件", "具体为2025年湖沟镇危房改造补助资金的拨付文件",
                                          dt.date(2026, 12, 7))
    assert request_as_corrected("没有补正的申请。") == ("没有补正的申请", "", None)


def test_reply_after_a_correction_quotes_the_corrected_request_and_its_date(world):
    application = register(world, description="请公开补助资金文件。")
    handling.request_correction(actor=world.admin_a, application=application, items="请写明补助资金的名称和年度。",
                                deadline=TODAY + dt.timedelta(days=15))
    handling.receive_correction(application=application, text="2025年农村危房改造补助资金的拨付文件")
    application.refresh_from_db()
    letter = handling.decide_reply(actor=world.admin_a, application=application, reply_type=ReplyType.PUBLIC_PROVIDED)
    assert "【补正" not in letter.body
    assert f"于{cn_date(TODAY)}收到您补正后的申请" in letter.body
    assert "“请公开补助资金文件”，补正后明确为：“2025年农村危房改造补助资金的拨付文件”" in letter.body


@pytest.mark.parametrize("reply_type", [ReplyType.UNAVAILABLE_NOT_EXIST, ReplyType.UNAVAILABLE_NOT_RESPONSIBLE])
def test_reason_of_a_not_exist_or_not_ours_reply_comes_before_the_closing_words(world, reply_type):
    reason = "经查，该信息由测试县人民政府办公室负责公开，联系电话0999-1234567"
    letter = handling.decide_reply(actor=world.admin_a, application=register(world), reply_type=reply_type,
                                   reason=reason)
    assert letter.body.index(reason) < letter.body.index("特此告知")
    assert reason + "。" in letter.body  # closed as a sentence


def test_already_published_reply_gives_the_title_index_number_and_link(county_items):
    world, item = county_items
    with override_settings(GONGKAI_PUBLIC_URL="https://gk.example.gov.cn/"):
        letter = handling.decide_reply(actor=world.admin_a, application=register(world),
                                       reply_type=ReplyType.PUBLIC_ALREADY, reason=f"索引号{item.index_number}")
    assert f"《{item.title}》" in letter.body and f"索引号为{item.index_number}" in letter.body
    assert f"https://gk.example.gov.cn/agencies/{world.agency_a.code}/items/{item.pk}/" in letter.body


@pytest.fixture
def county_items(world):
    from gongkai.disclosure.catalogue import ensure_catalogue

    world.first_a = world.person("first_a", world.agency_a, "first_reviewer")
    world.second_a = world.person("second_a", world.agency_a, "second_reviewer")
    ensure_catalogue(world.agency_a)
    return world, publish(world, title="测试县财政局2025年度部门决算")


def _fee_letter(world):
    application = register(world)
    return handling.fee_notice(actor=world.admin_a, application=application, method="per_page", quantity=400)


def test_fee_notice_states_the_bank_account_of_the_agency_setting(world):
    setting = {world.agency_a.code: {"payee": "测试县财政局", "bank": "农业银行测试县支行", "account": "1234 5678 9012",
                                     "reference": "“信息处理费＋查询码”"}}
    with override_settings(GONGKAI_FEE_PAYMENT=setting):
        letter = _fee_letter(world)
    assert letter is not None  # 400 pages are over the free allowance
    assert "户名测试县财政局，开户银行农业银行测试县支行，账号1234 5678 9012" in letter.body
    assert "请向本机关政府信息公开工作机构咨询" not in letter.body


def test_fee_notice_without_a_setting_says_to_pay_in_person_at_the_office(world):
    with override_settings(GONGKAI_FEE_PAYMENT={}):
        letter = _fee_letter(world)
    assert letter is not None and "当面缴纳" in letter.body
