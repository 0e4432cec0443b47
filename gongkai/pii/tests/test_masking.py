"""Masking: exact public forms, nothing changed outside the spans, and masking twice is a no-op."""

import dataclasses
import datetime as dt

import pytest

from gongkai.pii import DEFAULT_KINDS, mask, mask_all, scan
from gongkai.pii.tests.test_detectors import CARD16, CARD19, ID, STANDARD_EXAMPLE, to_full_width, wrong_check

TODAY = dt.date(2026, 3, 2)


def masked(text: str, kinds=None) -> str:
    return mask(text, scan(text, today=TODAY), kinds)


@pytest.mark.parametrize(
    ("original", "public"),
    [
        (ID, "110105********1239"),
        (STANDARD_EXAMPLE, "110105********002X"),
        ("13812345678", "138****5678"),
        ("+86 138 1234 5678", "+86 138 **** 5678"),
        ("138-1234-5678", "138-****-5678"),
        (CARD16, "*" * 12 + CARD16[-4:]),
        (f"{CARD16[:4]} {CARD16[4:8]} {CARD16[8:12]} {CARD16[12:]}", f"**** **** **** {CARD16[-4:]}"),
        (CARD19, "*" * 15 + CARD19[-4:]),
        ("zhang@example.com", "z***@example.com"),
        ("a@gov.cn", "a***@gov.cn"),
    ],
)
def test_each_kind_is_masked_to_its_public_form(original, public):
    assert masked(f"（{original}）") == f"（{public}）"


@pytest.mark.parametrize(
    ("text", "public"),
    [
        ("申请人张三丰提出申请", "申请人张**提出申请"),
        ("申请人：李四，男", "申请人：李**，男"),  # the given name's length is not revealed
        ("联系人：欧阳娜娜。", "联系人：欧阳**。"),  # a compound surname is kept whole
        ("申请人：张三、李四", "申请人：张**、李**"),
    ],
)
def test_names_keep_only_the_surname(text, public):
    assert masked(text) == public


def test_full_width_numbers_keep_their_own_characters_around_the_masks():
    text = f"身份证号{to_full_width(STANDARD_EXAMPLE)}，手机{to_full_width('13812345678')}"
    assert masked(text) == "身份证号１１０１０５********００２Ｘ，手机１３８****５６７８"


def test_a_suspect_id_card_is_left_for_the_reviewer_by_default():
    suspect = wrong_check(ID)
    assert masked(f"编号{suspect}") == f"编号{suspect}"
    assert masked(f"编号{suspect}", kinds={"suspect_id_card"}) == f"编号110105********{suspect[-4:]}"
    assert "suspect_id_card" not in DEFAULT_KINDS


def test_kinds_limits_what_is_masked():
    text = "申请人张三，手机13812345678"
    assert masked(text, kinds={"mobile"}) == "申请人张三，手机138****5678"
    assert masked(text, kinds=set()) == text


def test_an_unknown_kind_is_refused_rather_than_silently_masking_nothing():
    with pytest.raises(ValueError, match="unknown PII kinds"):
        masked("13812345678", kinds={"phone"})


def test_findings_from_another_text_are_refused():
    findings = scan("手机13812345678")
    with pytest.raises(ValueError, match="does not match"):
        mask("电话：13812345678", findings)


def test_overlapping_findings_are_refused():
    text = "13812345678"
    whole = scan(text)[0]
    inner = dataclasses.replace(whole, start=3, text=text[3:])
    with pytest.raises(ValueError, match="overlaps"):
        mask(text, [whole, inner])


DOCUMENT = (
    "关于张某政府信息公开申请的答复\n"
    f"申请人：张三丰，身份证号{ID}，联系电话+86 138 1234 5678，电子邮箱zhang.san@example.com。\n"
    f"退款账户{CARD16[:4]} {CARD16[4:8]} {CARD16[8:12]} {CARD16[12:]}（户主：李四）。\n"
    f"经办人王小明今日来电。另附编号{wrong_check(ID)}，本机关电话0999-6120601。\n"
    f"手机（全角）{to_full_width('13912345678')}；申请人应当于收到本答复之日起六十日内申请行政复议。"
)


def test_the_document_is_masked_as_a_reviewer_would_publish_it():
    public, findings = mask_all(DOCUMENT)
    assert public == (
        "关于张某政府信息公开申请的答复\n"
        "申请人：张**，身份证号110105********1239，联系电话+86 138 **** 5678，电子邮箱z***@example.com。\n"
        f"退款账户**** **** **** {CARD16[-4:]}（户主：李**）。\n"
        f"经办人王**今日来电。另附编号{wrong_check(ID)}，本机关电话0999-6120601。\n"
        "手机（全角）１３９****５６７８；申请人应当于收到本答复之日起六十日内申请行政复议。"
    )
    assert [f.kind for f in findings] == [
        "person_name", "id_card", "mobile", "email", "bank_card", "person_name", "person_name",
        "suspect_id_card", "mobile",
    ]


def test_masking_changes_nothing_outside_each_span():
    findings = scan(DOCUMENT)
    assert findings
    for f in findings:
        one = mask(DOCUMENT, [f], kinds={f.kind})
        assert one.startswith(DOCUMENT[:f.start])
        assert one.endswith(DOCUMENT[f.end:])
        assert one != DOCUMENT


def test_masked_text_scans_clean_for_the_masked_kinds():
    public, _ = mask_all(DOCUMENT)
    assert {f.kind for f in scan(public)} == {"suspect_id_card"}


def test_masking_twice_changes_nothing():
    once, _ = mask_all(DOCUMENT)
    twice, findings = mask_all(once)
    assert twice == once
    assert [f.kind for f in findings] == ["suspect_id_card"]


def test_text_without_personal_information_is_returned_as_is():
    text = "本机关于2026年3月2日收到申请，电话0999-6120601。"
    assert mask_all(text) == (text, [])
