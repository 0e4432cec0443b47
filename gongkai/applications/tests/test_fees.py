"""信息处理费 bands of 国办函〔2020〕109号: the spec's worked examples and the band edges."""

import pytest

from gongkai.applications.fees import (
    FEE_PAYMENT_WORKING_DAYS,
    PER_ITEM,
    PER_PAGE,
    FeeLine,
    per_item_fee,
    per_item_fee_for_new,
    per_page_fee,
    quote_per_item,
    quote_per_page,
)


def test_spec_example_45_items_in_a_month_cost_5500():
    assert per_item_fee(45) == 20 * 100 + 10 * 200 + 5 * 300 == 5500


def test_spec_example_250_pages_cost_4700():
    assert per_page_fee(250) == 70 * 10 + 100 * 20 + 50 * 40 == 4700


def test_nothing_is_charged_at_or_below_the_free_thresholds():
    assert per_item_fee(0) == per_item_fee(10) == 0
    assert per_page_fee(0) == per_page_fee(30) == 0


@pytest.mark.parametrize(
    ("count", "fee"),
    [
        (11, 100),              # the first charged item
        (30, 2000),             # end of the 100-yuan band
        (31, 2200),             # the first item of the 200-yuan block
        (40, 4000),
        (41, 4300),             # the first item of the 300-yuan block
        (50, 7000),
        (51, 7400),
        (60, 11000),
    ],
)
def test_per_item_band_edges(count, fee):
    assert per_item_fee(count) == fee


@pytest.mark.parametrize(("pages", "fee"), [(31, 10), (100, 700), (101, 720), (200, 2700), (201, 2740)])
def test_per_page_band_edges(pages, fee):
    assert per_page_fee(pages) == fee


def test_bands_are_progressive_not_the_whole_count_at_the_top_price():
    # 31 items at a flat 200 would be 6,200; only the 31st is in the 200 band.
    assert per_item_fee(31) - per_item_fee(30) == 200
    assert per_page_fee(201) - per_page_fee(200) == 40


def test_closed_form_matches_summing_item_by_item():
    def by_item(n):
        total = 0
        for position in range(1, n + 1):
            if position > 30:
                total += 100 * (2 + (position - 31) // 10)
            elif position > 10:
                total += 100
        return total

    for n in range(0, 251):
        assert per_item_fee(n) == by_item(n), n


def test_a_lone_eleventh_application_in_the_month_is_charged():
    assert per_item_fee_for_new(previous_in_month=10, new_items=1) == 100
    assert per_item_fee_for_new(previous_in_month=0, new_items=1) == 0


def test_splitting_the_month_into_several_notices_costs_the_same_as_one():
    parts = [7, 8, 12, 18]  # 45 in all
    seen, total = 0, 0
    for n in parts:
        total += per_item_fee_for_new(seen, n)
        seen += n
    assert total == per_item_fee(45)


@pytest.mark.parametrize(
    "call",
    [
        lambda: per_item_fee(-1),
        lambda: per_page_fee(-1),
        lambda: per_item_fee_for_new(-1, 3),
        lambda: per_item_fee_for_new(3, -1),
        lambda: quote_per_item(-2),
        lambda: quote_per_item(2, previous_in_month=-1),
        lambda: quote_per_page(-5),
    ],
)
def test_negative_quantities_are_refused(call):
    with pytest.raises(ValueError):
        call()


def test_a_fractional_quantity_is_refused():
    with pytest.raises(TypeError):
        per_page_fee(30.5)


def test_per_item_quote_for_45_items_breaks_down_by_band():
    quote = quote_per_item(45)
    assert quote.method == PER_ITEM
    assert (quote.quantity, quote.amount) == (45, 5500)
    assert quote.breakdown == [
        FeeLine("本月第1至10件", 10, 0, 0),
        FeeLine("本月第11至30件", 20, 100, 2000),
        FeeLine("本月第31至40件", 10, 200, 2000),
        FeeLine("本月第41至45件", 5, 300, 1500),
    ]
    assert sum(line.subtotal for line in quote.breakdown) == quote.amount
    assert quote.describe() == (
        "按件计收：本月第1至10件，10件免费；本月第11至30件，20件×100元＝2,000元；"
        "本月第31至40件，10件×200元＝2,000元；本月第41至45件，5件×300元＝1,500元。合计5,500元。"
    )


def test_per_item_quote_numbers_new_items_after_the_earlier_ones():
    quote = quote_per_item(3, previous_in_month=29)
    assert quote.breakdown == [FeeLine("本月第30件", 1, 100, 100), FeeLine("本月第31至32件", 2, 200, 400)]
    assert quote.amount == 500 == per_item_fee_for_new(29, 3)
    assert quote.describe().startswith("按件计收：本月此前已申请29件；本月第30件")


def test_per_page_quote_for_250_pages():
    quote = quote_per_page(250)
    assert quote.method == PER_PAGE
    assert quote.amount == 4700
    assert [(line.label, line.units, line.unit_price, line.subtotal) for line in quote.breakdown] == [
        ("第1至30页", 30, 0, 0),
        ("第31至100页", 70, 10, 700),
        ("第101至200页", 100, 20, 2000),
        ("第201至250页", 50, 40, 2000),
    ]
    assert quote.describe().endswith("第201至250页，50页×40元＝2,000元。合计4,700元。")
    assert quote.as_json()["breakdown"][3] == {"label": "第201至250页", "units": 50, "unit_price": 40, "subtotal": 2000}


def test_quote_below_the_threshold_shows_the_free_band_and_no_charge():
    quote = quote_per_page(30)
    assert quote.amount == 0
    assert quote.breakdown == [FeeLine("第1至30页", 30, 0, 0)]
    assert quote_per_item(0).describe() == "按件计收：无。合计0元。"


def test_payment_period_is_twenty_working_days():
    assert FEE_PAYMENT_WORKING_DAYS == 20
