"""Detection of id cards, mobiles, bank cards, emails and names, and the cases that would fool it."""

import dataclasses
import datetime as dt
import itertools
import unicodedata

import pytest

from gongkai.pii import Finding, scan
from gongkai.pii.detectors import fold

TODAY = dt.date(2026, 3, 2)
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_card(first17: str) -> str:
    """A valid GB 11643-1999 number, computed here independently of the code under test."""
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def wrong_check(number: str) -> str:
    return number[:17] + ("0" if number[17] != "0" else "1")


def luhn_card(first: str) -> str:
    """``first`` followed by the Luhn check digit."""
    for check in "0123456789":
        digits = first + check
        total = sum(
            (int(d) * 2 - 9 if int(d) * 2 > 9 else int(d) * 2) if i % 2 else int(d)
            for i, d in enumerate(reversed(digits))
        )
        if total % 10 == 0:
            return digits
    raise AssertionError("unreachable")


def found(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in scan(text, today=TODAY)]


ID = id_card("11010519900307123")
assert ID == "110105199003071239"
STANDARD_EXAMPLE = "11010519491231002X"  # the worked example of GB 11643-1999


# --- 居民身份证号 -------------------------------------------------------------------------------


def test_a_valid_id_card_is_found_with_its_offsets_and_label():
    text = f"身份证号：{ID}。"
    assert scan(text, today=TODAY) == [Finding("id_card", 5, 23, ID, "居民身份证号")]


@pytest.mark.parametrize("number", [STANDARD_EXAMPLE, STANDARD_EXAMPLE.lower(), id_card("44030620000229001")])
def test_check_character_x_in_either_case_and_a_leap_day_birth_date(number):
    assert found(f"证件号码{number}") == [("id_card", number)]


def test_a_wrong_check_character_is_only_a_suspect():
    bad = wrong_check(ID)
    assert found(f"身份证号{bad}") == [("suspect_id_card", bad)]
    assert scan(bad, today=TODAY)[0].label == "疑似身份证号（校验位不符）"


@pytest.mark.parametrize(
    "first17",
    [
        "11010519900230123",  # 30 February
        "11010518991231123",  # born before 1900
        "11010520270101123",  # born after the current year
        "44052418800101001",  # the standard's 1880 example: valid check digit, implausible today
    ],
)
def test_an_impossible_birth_date_is_neither_an_id_card_nor_a_suspect(first17):
    # Any 18 digits may still pass Luhn and be reported as a bank card (the 1880 example does).
    for number in (id_card(first17), wrong_check(id_card(first17))):
        assert {kind for kind, _ in found(number)} <= {"bank_card"}


def test_the_birth_year_bound_is_the_current_year():
    born_this_year = id_card("11010520260101123")
    assert found(born_this_year) == [("id_card", born_this_year)]
    assert scan(born_this_year, today=dt.date(2025, 12, 31)) == []


@pytest.mark.parametrize("text", [f"9{ID}", f"{ID}7", f"A{ID}", f"{ID}b", f"No{ID}X"])
def test_an_id_card_inside_a_longer_run_of_digits_or_letters_is_not_matched(text):
    assert {kind for kind, _ in found(text)} <= {"bank_card"}


def test_a_19_digit_number_containing_an_id_card_is_at_most_a_bank_card():
    nineteen = "6" + ID  # Luhn-invalid: not a card either
    assert found(nineteen) == []
    card = luhn_card("6" + ID[:17])
    assert found(card) == [("bank_card", card)]


# --- 手机号码 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "13812345678",
        "19912345678",
        "138 1234 5678",
        "138-1234-5678",
        "+8613812345678",
        "+86 138 1234 5678",
        "+86-138-1234-5678",
        "86 13812345678",
    ],
)
def test_mobile_formats(number):
    assert found(f"联系电话：{number}，") == [("mobile", number)]


@pytest.mark.parametrize(
    "text",
    [
        "0999-6120601",  # a landline, like the test agency's office phone
        "010-62345678",
        "12812345678",  # 12x is not a mobile network
        "138123456789",  # twelve digits
        "913812345678",
        "138 1234-5678",  # mixed separators
        "138  1234 5678",
    ],
)
def test_landlines_and_other_digit_runs_are_not_mobiles(text):
    assert found(text) == []


def test_two_mobiles_separated_by_a_space_are_two_findings():
    assert found("13812345678 13912345678") == [("mobile", "13812345678"), ("mobile", "13912345678")]


# --- 银行卡号 -----------------------------------------------------------------------------------

CARD16 = luhn_card("622202123456789")
CARD19 = luhn_card("621700123456789012")


@pytest.mark.parametrize(
    "card",
    [
        CARD16,
        CARD19,
        " ".join([CARD16[:4], CARD16[4:8], CARD16[8:12], CARD16[12:]]),
        "-".join([CARD16[:4], CARD16[4:8], CARD16[8:12], CARD16[12:]]),
        " ".join([CARD19[:4], CARD19[4:8], CARD19[8:12], CARD19[12:16], CARD19[16:]]),
    ],
)
def test_luhn_valid_bank_cards_plain_and_grouped(card):
    assert found(f"银行账号{card}。") == [("bank_card", card)]


@pytest.mark.parametrize(
    "text",
    [
        CARD16[:-1] + str((int(CARD16[-1]) + 1) % 10),  # Luhn fails
        luhn_card("62220212345678"),  # 15 digits
        luhn_card("6222021234567890123"),  # 20 digits
        "1" + CARD16,  # a valid card inside a longer run
        f"{CARD16[:4]} {CARD16[4:8]} {CARD16[8:12]} {CARD16[12:]} 1234",  # a grouped 20-digit run
    ],
)
def test_luhn_failures_and_wrong_lengths_are_not_bank_cards(text):
    assert "bank_card" not in {kind for kind, _ in found(text)}


# --- 电子邮箱 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "email"),
    [
        ("邮箱zhang.san@example.com。", "zhang.san@example.com"),
        ("请发送至li_si+gk@mail.gov.cn，谢谢", "li_si+gk@mail.gov.cn"),
        ("(12345678@qq.com)", "12345678@qq.com"),
    ],
)
def test_emails_stop_at_chinese_text_and_punctuation(text, email):
    assert found(text) == [("email", email)]


@pytest.mark.parametrize("text", ["zhang@localhost", "@example.com", "zhang@.com", "版本 v1.2@3"])
def test_strings_with_an_at_sign_that_are_not_addresses(text):
    assert found(text) == []


# --- 姓名 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("申请人张三丰提出政府信息公开申请", ["张三丰"]),
        ("申请人：李四，男，1980年出生", ["李四"]),
        ("申请人: 王小明", ["王小明"]),
        ("申请人：\u3000赵六", ["赵六"]),
        ("联系人：欧阳娜娜。", ["欧阳娜娜"]),
        ("被申请人司马光同志", ["司马光"]),
        ("举报人刘伟称其", ["刘伟"]),
        ("患者陈静因病住院", ["陈静"]),
        ("经办人孙丽女士", ["孙丽"]),
        ("姓名 周杰 性别 男", ["周杰"]),
        ("户主姓名：吴敏", ["吴敏"]),
        ("法定代表人郭强在会上", ["郭强"]),
        ("申请人：张三、李四", ["张三", "李四"]),
        ("经办人王小明今日来电", ["王小明"]),
        ("申请人王小明明确要求", ["王小明"]),  # a run with no known end is cut at three characters
        ("申请人：何平", ["何平"]),  # a word-like surname counts when set off by a colon
    ],
)
def test_names_after_words_that_introduce_a_person(text, names):
    assert found(text) == [("person_name", name) for name in names]


@pytest.mark.parametrize(
    "text",
    [
        "申请人应当在收到告知书之日起",
        "申请人可以申请行政复议",
        "申请人陈述的事实",  # 陈 is a surname, 陈述 a word
        "申请人于2024年3月1日提出",
        "申请人向本机关提出",
        "申请人何时提出",
        "被申请人黄山市人民政府",
        "申请人：武汉大学",
        "申请人王某某称",  # already pseudonymised
        "申请人张**提出",  # already masked
        "申请人Smith",
        "张三提出申请",  # a name with no introducing word is not recognised (documented limit)
        "申请人欧阳",  # a surname alone
    ],
)
def test_words_after_申请人_that_are_not_names(text):
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("信访人王小明反映", ["王小明"]),
        ("来信人：张丽华", ["张丽华"]),
        ("委托人：陈建国", ["陈建国"]),
        ("被执行人：孙国庆", ["孙国庆"]),
        ("监护人：吴芳", ["吴芳"]),
        ("证人钱多多称", ["钱多多"]),
        ("业主胡兵反映", ["胡兵"]),
        ("本人王小明，申请公开", ["王小明"]),
        ("被举报人：郑义", ["郑义"]),
    ],
)
def test_names_after_more_words_that_introduce_a_person(text, names):
    assert found(text) == [("person_name", name) for name in names]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("经查，张三，男，1980年出生，住某村", ["张三"]),
        ("李四（女，汉族）", ["李四"]),
        ("原告刘德华，男，", ["刘德华"]),
        ("欧阳娜娜，女，1990年生", ["欧阳娜娜"]),
        ("张三（身份证号码：略）", ["张三"]),
        ("王五，公民身份号码略", ["王五"]),
    ],
)
def test_names_before_the_particulars_of_a_private_person(text, names):
    assert found(text) == [("person_name", name) for name in names]


@pytest.mark.parametrize(
    "text",
    [
        "联系人：林场办公室，电话0999-1234567",  # was found as 林场办
        "当事人：李记餐馆",  # was 李记餐
        "当事人：周黑鸭食品店",  # was 周黑鸭
        "联系人：马鞍山钢铁股份",  # was 马鞍山
        "联系人：高新区管委会",
        "当事人：江苏某某建设工程有限公司",
        "联系人：黄山风景区",
        "受害人赵某某",  # already pseudonymised
        "本人承诺所提供材料真实",
        "本人于2026年3月1日提出",
        "本市男女老少",
        "县林业局，男职工",  # the run before the sex is a unit
        "某公司（男装店）",
        "任命张三同志为县财政局局长",  # officials' names in 任免 notices are public on purpose
        "男，1980年出生",  # no name before
    ],
)
def test_places_companies_and_words_are_not_names(text):
    assert found(text) == []


# --- full-width characters and offsets ------------------------------------------------------------


def to_full_width(ascii_text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in ascii_text)


def test_nfkc_folds_the_full_width_characters_one_for_one():
    # The offset mapping relies on this: each of these folds to exactly one ASCII character.
    for ch in "０１２３４５６７８９ＸｘＡｚ＠．－＋：\u3000":
        folded = unicodedata.normalize("NFKC", ch)
        assert len(folded) == 1 and folded.isascii()
    assert to_full_width("13812345678") == "１３８１２３４５６７８"


def test_full_width_numbers_are_found_and_reported_in_the_original_characters():
    number = to_full_width(STANDARD_EXAMPLE)
    assert number.endswith("Ｘ")
    text = f"身份证号：{number}，手机：{to_full_width('13812345678')}"
    findings = scan(text, today=TODAY)
    assert [(f.kind, f.text) for f in findings] == [("id_card", number), ("mobile", "１３８１２３４５６７８")]
    for f in findings:
        assert text[f.start:f.end] == f.text


def test_characters_that_nfkc_would_expand_do_not_shift_offsets():
    # ㈱ → "(株)" and ﬁ → "fi" under NFKC; folding leaves them as they are, so offsets stay true.
    text = f"㈱ﬁ½ 联系电话１３８１２３４５６７８，身份证号{ID}"
    assert len(fold(text)) == len(text)
    for f in scan(text, today=TODAY):
        assert text[f.start:f.end] == f.text
    assert found(text) == [("mobile", "１３８１２３４５６７８"), ("id_card", ID)]


def test_circled_and_other_compatibility_digits_fold_too():
    assert fold("①②") == "12"


# --- overlaps -----------------------------------------------------------------------------------


def test_an_id_card_that_also_passes_luhn_is_reported_once_as_an_id_card():
    number = next(
        n for n in (id_card(f"110105199003071{i:02d}") for i in range(100)) if luhn_card(n[:17]) == n
    )
    assert found(number) == [("id_card", number)]


def test_a_suspect_id_card_that_passes_luhn_is_a_bank_card():
    number = next(
        n for n in (luhn_card(f"110105199003071{i:02d}") for i in range(100)) if id_card(n[:17]) != n
    )
    assert found(number) == [("bank_card", number)]


def test_an_email_made_of_a_mobile_number_is_one_email():
    assert found("13812345678@163.com") == [("email", "13812345678@163.com")]


def test_findings_are_sorted_and_never_overlap():
    text = (
        f"申请人：张三，身份证号{ID}，手机+86 138 1234 5678，邮箱zhang@example.com，"
        f"银行卡{CARD16}；联系人李四，疑似证号{wrong_check(ID)}。"
    )
    findings = scan(text, today=TODAY)
    assert [f.kind for f in findings] == [
        "person_name", "id_card", "mobile", "email", "bank_card", "person_name", "suspect_id_card",
    ]
    for earlier, later in itertools.pairwise(findings):
        assert earlier.end <= later.start


def test_findings_are_immutable():
    finding = scan(ID, today=TODAY)[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.start = 0


def test_empty_text_has_no_findings():
    assert scan("") == []


def test_gates_change_no_finding(monkeypatch):
    """The cheap gates in front of the detectors only skip texts where the full patterns cannot
    match: scanning random digit-heavy text with the gates forced open finds the same."""
    import random
    import re

    from gongkai.pii import detectors

    rng = random.Random(7)
    alphabet = "0123456789" * 6 + " -@.xX+８６中文申请人：张三a"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 80))) for _ in range(3000)]
    texts += ["11010519491231002X", "13812345678", "6222 0212 3456 7890 128", "a.b@example.com", "４２０１０６"]
    gated = [detectors.scan(text) for text in texts]
    anything = re.compile("")
    monkeypatch.setattr(detectors, "_ID_GATE", anything)
    monkeypatch.setattr(detectors, "_MOBILE_GATE", anything)
    monkeypatch.setattr(detectors, "_CARD_GATES", dict.fromkeys(detectors._CARD_GATES, anything))
    assert [detectors.scan(text) for text in texts] == gated
    assert any(gated)
