"""Scoring one agency under a scheme (国办秘函〔2019〕19号 frame, spec supervision.md §1): a pure
function of the scheme's rows and the findings counted for the agency.

* Any veto indicator reaching its line → 不合格, and nothing else is scored.
* Deductions within one indicator stop at its points (扣完为止); an area's deductions stop at the
  area's points too (weighted schemes cap each first-level indicator at its weight).
* Areas the agency is exempt from (a department site without 办事服务) leave the score out of the
  remaining points, scaled back to the full points (75 → ×4/3).
* Below ``fail_below`` → 不合格; above ``bonus_above`` the bonus part opens: final = score + bonus,
  each bonus indicator up to its points and all bonuses up to ``bonus_max``.
"""

from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

TWO_PLACES = Decimal("0.01")


@dataclass
class Line:
    rule_id: int
    area: str
    name: str
    kind: str
    findings: int
    points: Decimal  # lost (deduction), added (bonus), 0 for a veto line


@dataclass
class AgencyScore:
    lines: list[Line] = field(default_factory=list)
    vetoes: list[str] = field(default_factory=list)
    deduction_score: Decimal | None = None
    bonus: Decimal = Decimal(0)
    final: Decimal | None = None
    grade: str = ""


def _q(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def score(scheme, counts: Counter, *, exempt_area_ids=frozenset()) -> AgencyScore:
    """``scheme`` with its areas and indicators loaded; ``counts`` {indicator row id: findings}."""
    result = AgencyScore()
    total = applicable = lost = bonus = Decimal(0)
    for area in scheme.areas.all():
        exempt = area.pk in exempt_area_ids
        area_lost = Decimal(0)
        for rule in area.indicators.all():
            n = counts.get(rule.pk, 0)
            if rule.kind == "veto":
                if n >= rule.veto_at:
                    result.vetoes.append(f"{rule.name}：{n} 个，达到单项否决线 {rule.veto_at} 个")
                result.lines.append(Line(rule.pk, area.name, rule.name, rule.kind, n, Decimal(0)))
            elif rule.kind == "bonus":
                added = min(rule.points, rule.per_finding * n)
                bonus += added
                result.lines.append(Line(rule.pk, area.name, rule.name, rule.kind, n, added))
            else:
                taken = Decimal(0) if exempt else min(rule.points, rule.per_finding * n)
                area_lost += taken
                result.lines.append(Line(rule.pk, area.name, rule.name, rule.kind, n, taken))
        if area.points:
            total += area.points
            if not exempt:
                applicable += area.points
                lost += min(area_lost, area.points)
    if result.vetoes:
        result.grade = "不合格（单项否决）"
        return result
    deduction_score = (applicable - lost) * total / applicable if applicable else Decimal(0)
    result.deduction_score = _q(deduction_score)
    if result.deduction_score < scheme.fail_below:
        result.grade = "不合格"
        result.final = result.deduction_score
        return result
    if scheme.bonus_above is not None and result.deduction_score > scheme.bonus_above:
        result.bonus = _q(min(bonus, scheme.bonus_max))
    result.final = result.deduction_score + result.bonus
    result.grade = "合格"
    return result
