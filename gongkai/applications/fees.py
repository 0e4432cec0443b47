"""信息处理费: the information processing fee, in whole yuan.

条例第42条: applications are free in principle; a fee may be charged only when the number or
frequency of an applicant's requests clearly exceeds a reasonable range. The amounts are those of
《政府信息公开信息处理费管理办法》(国办函〔2020〕109号) 第3–4条 [spec regulation.md §1.4]:
either per item (按件) or per page (按量), never both for one application, and both are
progressive over the excess (超额累进) like income-tax bands: each unit is priced by the band it
falls in, not the whole quantity at the top band's price.
"""

from dataclasses import asdict, dataclass, field
from typing import NamedTuple

BASIS = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"

PER_ITEM = "per_item"
PER_PAGE = "per_page"

# 按件 (109号第4条): the same applicant's applications in one natural month, counted together.
FREE_ITEMS_PER_MONTH = 10
FIRST_ITEM_BAND_END = 30  # items 11–30: 100 元/件
FIRST_ITEM_PRICE = 100
# From item 31, each block of 10 items costs 100 元/件 more than the last: 31–40 200, 41–50 300 …
# The blocks' prices are derived from the rule's wording [P]; the rule itself is [C].
ITEM_BLOCK = 10
ITEM_BLOCK_STEP = 100

# 按量 (109号第4条): paper, e-mail or copied electronic data. Whether pages are counted per
# application and how electronic data converts to pages are UNCONFIRMED; counted per application.
PAGE_BANDS: tuple[tuple[int, int | None, int], ...] = (
    (1, 30, 0),
    (31, 100, 10),
    (101, 200, 20),
    (201, None, 40),
)

# The applicant pays within 20 WD from the day after receiving the fee notice, or is deemed to have
# given up the application (视为放弃 → ReplyType.OTHER_FEE_UNPAID). [C] only in 四川's transmittal of
# 109号; the article number in the national text is UNCONFIRMED (spec §1.4), as are whether the
# reply period pauses while the notice is out and any waivers.
FEE_PAYMENT_WORKING_DAYS = 20


class FeeLine(NamedTuple):
    label: str
    units: int
    unit_price: int
    subtotal: int


@dataclass(frozen=True)
class FeeQuote:
    method: str  # PER_ITEM | PER_PAGE
    quantity: int
    amount: int
    breakdown: list[FeeLine] = field(default_factory=list)
    previous_in_month: int = 0  # per item only: the applicant's earlier applications that month

    def describe(self) -> str:
        """The 标准 and 数额 paragraph of the 收费通知书, e.g. for 250 pages:
        "按量计收：第1至30页，30页免费；第31至100页，70页×10元＝700元；… 合计4,700元。"
        """
        way = "按件计收" if self.method == PER_ITEM else "按量计收"
        unit = "件" if self.method == PER_ITEM else "页"
        parts = [
            f"{line.label}，{line.units}{unit}免费"
            if line.unit_price == 0
            else f"{line.label}，{line.units}{unit}×{line.unit_price:,}元＝{line.subtotal:,}元"
            for line in self.breakdown
        ]
        prior = f"本月此前已申请{self.previous_in_month}件；" if self.previous_in_month else ""
        return f"{way}：{prior}{'；'.join(parts) or '无'}。合计{self.amount:,}元。"

    def as_json(self) -> dict:
        data = asdict(self)
        data["breakdown"] = [line._asdict() for line in self.breakdown]
        return data


def _require_count(name: str, value: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    if value < 0:
        raise ValueError(f"{name} must not be negative (got {value})")


def _item_price(position: int) -> int:
    """Price of the ``position``-th application of the month (1-based)."""
    if position <= FREE_ITEMS_PER_MONTH:
        return 0
    if position <= FIRST_ITEM_BAND_END:
        return FIRST_ITEM_PRICE
    return FIRST_ITEM_PRICE + ITEM_BLOCK_STEP * (1 + (position - FIRST_ITEM_BAND_END - 1) // ITEM_BLOCK)


def _item_band_end(position: int) -> int:
    if position <= FREE_ITEMS_PER_MONTH:
        return FREE_ITEMS_PER_MONTH
    if position <= FIRST_ITEM_BAND_END:
        return FIRST_ITEM_BAND_END
    blocks = (position - FIRST_ITEM_BAND_END - 1) // ITEM_BLOCK + 1
    return FIRST_ITEM_BAND_END + blocks * ITEM_BLOCK


def per_item_fee(count_in_month: int) -> int:
    """Fee for ``count_in_month`` applications by one applicant in one natural month, in yuan.

    45 items: 20×100 + 10×200 + 5×300 = 5,500 (spec §1.4).
    """
    _require_count("count_in_month", count_in_month)
    if count_in_month <= FREE_ITEMS_PER_MONTH:
        return 0
    fee = FIRST_ITEM_PRICE * (min(count_in_month, FIRST_ITEM_BAND_END) - FREE_ITEMS_PER_MONTH)
    if count_in_month > FIRST_ITEM_BAND_END:
        # Closed form so a large count costs no loop: k full blocks, then r items in block k+1.
        k, r = divmod(count_in_month - FIRST_ITEM_BAND_END, ITEM_BLOCK)
        full_blocks = ITEM_BLOCK * (FIRST_ITEM_PRICE * k + ITEM_BLOCK_STEP * k * (k + 1) // 2)
        fee += full_blocks + r * (FIRST_ITEM_PRICE + ITEM_BLOCK_STEP * (k + 1))
    return fee


def per_item_fee_for_new(previous_in_month: int, new_items: int) -> int:
    """The part of the month's fee that the ``new_items`` applications add to the earlier ones."""
    _require_count("previous_in_month", previous_in_month)
    _require_count("new_items", new_items)
    return per_item_fee(previous_in_month + new_items) - per_item_fee(previous_in_month)


def per_page_fee(pages: int) -> int:
    """Fee for ``pages`` pages in yuan. 250 pages: 70×10 + 100×20 + 50×40 = 4,700 (spec §1.4)."""
    _require_count("pages", pages)
    return sum(line.subtotal for line in _page_lines(pages))


def _page_lines(pages: int) -> list[FeeLine]:
    lines = []
    for low, high, price in PAGE_BANDS:
        if pages < low:
            break
        top = pages if high is None else min(pages, high)
        units = top - low + 1
        lines.append(FeeLine(_span(low, top, "页"), units, price, units * price))
    return lines


def _span(low: int, high: int, unit: str, prefix: str = "") -> str:
    return f"{prefix}第{low}{unit}" if low == high else f"{prefix}第{low}至{high}{unit}"


def quote_per_item(new_items: int, *, previous_in_month: int = 0) -> FeeQuote:
    """The fee for ``new_items`` applications, numbered after the applicant's earlier ones that month.

    The bands run over the month's cumulative count, so the 11th application of a month is charged
    even when it arrives alone.
    """
    _require_count("new_items", new_items)
    _require_count("previous_in_month", previous_in_month)
    lines = []
    position, last = previous_in_month + 1, previous_in_month + new_items
    while position <= last:
        top = min(_item_band_end(position), last)
        units, price = top - position + 1, _item_price(position)
        lines.append(FeeLine(_span(position, top, "件", prefix="本月"), units, price, units * price))
        position = top + 1
    amount = per_item_fee_for_new(previous_in_month, new_items)
    return FeeQuote(PER_ITEM, new_items, amount, lines, previous_in_month)


def quote_per_page(pages: int) -> FeeQuote:
    _require_count("pages", pages)
    return FeeQuote(PER_PAGE, pages, per_page_fee(pages), _page_lines(pages))
